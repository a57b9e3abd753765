"""The KPI dashboards in a real browser (system Chromium): every page as a scrutiny
member and as a director, charts drawn by plotly.js, a filter changed through the form
(the URL and the figures change), and no serious or critical accessibility violations."""

from __future__ import annotations

import datetime as dt

import pytest

from core.roles import Role
from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["Overview", "Trends", "Caseloads", "Leavers", "Benchmarks", "Recruitment", "Exits"]


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """live_server tests flush the database, role groups (a data migration) included."""
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def council(transactional_db):
    from django.core.cache import cache
    from django.utils import timezone

    from dashboards.models import KpiTarget
    from tests.dashboards.test_views import add_benchmarks, build_world

    cache.clear()
    KpiTarget.objects.get_or_create(kpi_key="permanence_rate", defaults={"target_value": 85})
    add_benchmarks()
    return build_world(start=timezone.localdate() - dt.timedelta(days=400))


def sign_in(page, live_server, make_user, role: Role) -> None:
    make_user(role, username="reader", password="a-long-test-password")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/dashboards/")


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.DIRECTOR])
def test_every_dashboard_page_draws_its_charts_and_is_accessible(
    live_server, page, make_user, council, role
):
    page.set_viewport_size({"width": 1024, "height": 768})  # an iPad in landscape
    sign_in(page, live_server, make_user, role)
    assert page.locator(".app-tile").count() == 8
    assert_accessible(page)
    for name in PAGES[1:]:
        page.get_by_role("navigation", name="Dashboard pages").get_by_role(
            "link", name=name
        ).click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == name
        plots = page.locator(".js-plotly-plot")
        plots.first.wait_for()
        assert plots.count() >= 1
        assert page.locator(".js-plotly-plot .main-svg").count() >= plots.count()
        assert_accessible(page)
    if role == Role.SCRUTINY_MEMBER:
        page.get_by_role("link", name="Overview").click()
        assert "Counts under 5 are hidden" in page.locator("main").inner_text()


def test_changing_a_filter_updates_the_url_and_the_figures(live_server, page, make_user, council):
    sign_in(page, live_server, make_user, Role.DIRECTOR)
    heading = page.get_by_role("heading", name="Agency rate", exact=True)
    tile = page.locator(".app-tile").filter(has=heading).locator(".app-tile__value")
    assert tile.inner_text() == "16.7%"
    page.get_by_text("Filter the figures").click()
    page.get_by_label("Team", exact=True).select_option("Beta")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**team=Beta**")
    assert "Team: Beta" in page.locator(".app-dashboard-meta").inner_text()
    assert tile.inner_text() == "100.0%"
    # The filter travels to the other pages: the trends chart is for Beta too.
    page.get_by_role("navigation", name="Dashboard pages").get_by_role(
        "link", name="Trends"
    ).click()
    assert "team=Beta" in page.url
    assert "Team: Beta" in page.locator(".app-dashboard-meta").inner_text()
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    assert_accessible(page)


def test_an_ipad_in_portrait_shows_the_tiles_without_sideways_scrolling(
    live_server, page, make_user, council
):
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, live_server, make_user, Role.SCRUTINY_MEMBER)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
