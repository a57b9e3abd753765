"""A director opens the Forecast page in a real browser, saves a scenario and sees it
beside the baseline; no serious accessibility violations on the pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.axe import assert_accessible
from tests.dashboards.forecast import synthetic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    from django.contrib.auth.models import Group

    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_a_director_saves_a_scenario_and_sees_it_beside_the_baseline(
    page: Page, live_server, make_user
):
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))
    make_user(Role.DIRECTOR, username="director", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server.url}/dashboards/forecast/?from=2024-06-30")
    expect(page.get_by_role("heading", name="When will we reach 85% permanent?")).to_be_visible()
    expect(page.locator("#chart-forecast")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a scenario").click()
    assert_accessible(page)
    page.get_by_label("Name of the scenario").fill("Campaign of 3 a month")
    page.get_by_label("Extra recruits a month").fill("3")
    page.get_by_role("button", name="Save scenario").click()

    page.goto(f"{live_server.url}/dashboards/forecast/?from=2024-06-30")
    table = page.get_by_role("table", name="Baseline and saved scenarios")
    expect(table.get_by_role("row", name=re.compile(r"^Baseline "))).to_be_visible()
    expect(table.get_by_role("row", name="Campaign of 3 a month")).to_be_visible()
    expect(page.locator("#chart-forecast")).to_contain_text("Campaign of 3 a month: median")
