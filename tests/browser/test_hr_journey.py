"""An HR officer's journey in a real browser (Playwright driving the system Chromium):
sign in through the sign-in form, record a starter (after a refused FTE of 1.5), record
their leaving, and see both on the person's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.helpers import fill_date
from tests.factories import GradeFactory, TeamFactory
from workforce.choices import OrgRole
from workforce.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def test_hr_officer_records_a_starter_and_their_leaving(page: Page, live_server, make_user):
    team = TeamFactory(name="Child Protection East")
    GradeFactory(name="Level 3", default_org_role=OrgRole.SENIOR_PRACTITIONER)
    make_user(Role.HR_OFFICER, username="hr.officer", password=PASSWORD)
    started = timezone.localdate() - dt.timedelta(days=60)
    left = timezone.localdate() - dt.timedelta(days=5)

    # Sign in through the form.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-phase-banner")).to_contain_text("Signed in as hr.officer")

    # Record a starter: first with FTE 1.5, which is refused.
    page.get_by_role("link", name="Record a starter").first.click()
    expect(page.get_by_role("heading", name="Record a starter")).to_be_visible()
    page.get_by_label("Social Work England number").fill("sw700123")
    page.get_by_label("First name").fill("Priya")
    page.get_by_label("Last name").fill("Shah")
    fill_date(page, "Date of birth", dt.date(1992, 7, 14))
    page.get_by_label("Ethnicity").select_option(label="Indian")
    page.get_by_label("Qualification route").select_option(label="Step Up to Social Work")
    page.get_by_label("Permanent").check()
    page.get_by_label("Team", exact=True).select_option(label="Child Protection East")
    page.get_by_label("Local grade").select_option(label="Level 3")
    page.get_by_label("FTE").fill("1.5")
    fill_date(page, "Start date", started)
    page.get_by_label("Where they came from").select_option(
        label="Social work role in another English council"
    )
    page.get_by_role("button", name="Record starter").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("FTE must be more than 0 and no more than 1")
    expect(page.locator(".govuk-error-message")).to_contain_text("you entered 1.5")
    assert not Person.objects.filter(swe_number="SW700123").exists()

    # The entered details are kept: correct the FTE and send again.
    expect(page.get_by_label("First name")).to_have_value("Priya")
    page.get_by_label("FTE").fill("0.8")
    page.get_by_role("button", name="Record starter").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Starter recorded for Priya Shah")
    expect(page.get_by_role("heading", name="Priya Shah", level=1)).to_be_visible()
    timeline = page.locator(".app-timeline")
    expect(timeline).to_contain_text("Started (permanent)")
    expect(timeline).to_contain_text("Team: Child Protection East")
    expect(timeline).to_contain_text("Role: Senior practitioner")  # the grade's DfE role

    # Record the leaving from the person's page.
    page.get_by_role("link", name="Record leaving").click()
    fill_date(page, "Leaving date", left)
    page.get_by_label("Reason for leaving").select_option(label="Resignation")
    page.get_by_label("Destination").select_option(label="Agency or consultancy in England")
    page.get_by_role("button", name="Record leaving").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Leaving recorded for Priya Shah"
    )
    timeline = page.locator(".app-timeline")
    expect(timeline).to_contain_text("Left")
    expect(timeline).to_contain_text(f"{left.day} {left:%B %Y}")
    expect(timeline).to_contain_text("Resignation, Agency or consultancy in England")
    expect(timeline).to_contain_text(f"{started.day} {started:%B %Y}")

    # And the people list shows them as a leaver.
    page.get_by_role("link", name="People").first.click()
    page.get_by_label("Search").fill("SW700123")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text(f"Left on {left.day} {left:%B %Y}")
    assert team.assignments.count() == 1
