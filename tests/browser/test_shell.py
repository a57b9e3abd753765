"""The page shell in a real browser: sign in through the form, land on the dashboard with
no serious accessibility problems, then sign out."""

from __future__ import annotations

import pytest

from core.roles import Role
from tests.browser.axe import assert_accessible, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """live_server tests flush the database, role groups (a data migration) included."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_sign_in_land_on_an_accessible_dashboard_and_sign_out(live_server, page, make_user):
    make_user(Role.SERVICE_MANAGER, username="manager", password="a-long-test-password")

    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == "Sign in"
    assert_accessible(page)

    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/dashboards/")
    assert page.locator("h1").inner_text() == "Workforce dashboard"
    assert "manager" in page.locator("main").inner_text()
    assert "Service manager" in page.locator("main").inner_text()
    # GOV.UK Frontend's JavaScript ran (it marks the body once it starts).
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert axe_violations(page) == [], "serious/critical accessibility violations"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/dashboards/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")


def test_wrong_password_error_summary_is_accessible_and_focused(live_server, page, make_user):
    make_user(Role.DIRECTOR, username="director", password="a-long-test-password")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert_accessible(page)


def test_axe_helper_reports_serious_problems(page):
    # Guards the helper: an image without alt text and an unlabelled input must be reported.
    page.set_content(
        '<html lang="en"><head><title>Broken</title></head><body><main>'
        '<h1>Broken</h1><img src="chart.png"><input type="text"></main></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= found
