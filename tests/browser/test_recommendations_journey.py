"""The recommendations tracker in a real browser: a lead member records the executive's
response to a recommendation (after a refused empty response), then an HR officer
records a progress update, and the tracker shows both in the Tameside layout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.roles import Role
from recommendations import services
from tests.browser.axe import assert_accessible
from tests.recommendations.factories import ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def _sign_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-phase-banner")).to_contain_text(f"Signed in as {username}")


def test_response_then_progress_update(page: Page, live_server, make_user):
    review = ReviewFactory(
        committee__council="Tameside Metropolitan Borough Council",
        committee__name="Children's Services Scrutiny Panel",
        title="Review on Children's Workforce Strategy",
        report_date=dt.date(2023, 2, 8),
    )
    services.recommendation_create(
        review=review,
        number="5.5",
        text="To complete exit interviews with all social workers leaving the authority, "
        "including agency.",
    )
    make_user(Role.LEAD_MEMBER, username="lead.member", password=PASSWORD)
    make_user(Role.HR_OFFICER, username="hr.officer", password=PASSWORD)
    today = timezone.localdate()

    # The lead member finds the recommendation from the tracker.
    _sign_in(page, live_server, "lead.member")
    page.get_by_role("link", name="Recommendations").first.click()
    expect(page.get_by_role("heading", name="Scrutiny recommendations tracker")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="5.5", exact=True).click()
    expect(page.get_by_role("heading", name="Recommendation 5.5")).to_be_visible()
    expect(page.get_by_text("No executive response has been recorded.")).to_be_visible()
    assert_accessible(page)

    # An empty response is refused with a message beside the field.
    page.get_by_role("link", name="Record the executive response").click()
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Date of the response").fill("")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the executive's response.")
    expect(summary).to_contain_text("Enter the date of the response.")
    assert_accessible(page)

    page.get_by_label("Executive response").fill(
        "This is already current practice, we will continue to undertake exit interviews."
    )
    page.get_by_label("Date of the response").fill("2023-01-20")
    page.get_by_label("Officer responsible").fill("Tony DeCrop / Paula Sumner / Louise Dillon")
    page.get_by_label("Action by (date)").fill("2023-01-31")
    page.get_by_label("Action by, as printed").fill("January 2023")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Executive response saved.")
    response = page.locator("#executive-response")
    expect(response).to_contain_text("Accepted")
    expect(response).to_contain_text("January 2023")
    expect(response).to_contain_text("Overdue")  # January 2023 has long passed
    expect(page.get_by_role("link", name="Record a progress update")).to_have_count(0)

    # The officer records a progress update; the recommendation is then delivered.
    _sign_in(page, live_server, "hr.officer")
    page.goto(f"{live_server.url}/recommendations/")
    page.get_by_role("link", name="5.5", exact=True).click()
    page.get_by_role("link", name="Record a progress update").click()
    page.get_by_label("Date of the update").fill(today.isoformat())
    page.get_by_label("Delivered", exact=True).check()
    page.get_by_label("Green").check()
    page.get_by_label("What has happened").fill(
        "Exit interviews offered to every leaver, agency workers included."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Progress update saved.")
    expect(page.locator("#progress-updates")).to_contain_text("Delivered")
    expect(page.locator("#executive-response")).not_to_contain_text("Overdue")

    page.get_by_role("link", name="Recommendations tracker").click()
    row = page.locator("tr", has_text="5.5")
    expect(row).to_contain_text("Accepted")
    expect(row).to_contain_text("Tony DeCrop / Paula Sumner / Louise Dillon")
    expect(row).to_contain_text("Exit interviews offered to every leaver")
    expect(row).to_contain_text("Green")
