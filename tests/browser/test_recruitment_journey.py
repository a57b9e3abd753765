"""An HR officer takes an applicant from application to start in a real browser
(Playwright driving the system Chromium): record the application on the vacancy, shortlist
and interview from the pipeline board (bulk move), try an offer on the applicant's page,
accept, complete the checks, record the start, and see the starter on the workforce
person page with the vacancy filled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.roles import Role
from recruitment import services
from recruitment.models import Application, Vacancy
from tests.browser.axe import assert_accessible
from tests.factories import GradeFactory, TeamFactory
from workforce.choices import OrgRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def application_pk() -> int:
    return Application.objects.get(last_name="Okafor").pk


def test_hr_officer_moves_an_applicant_from_application_to_start(
    page: Page, live_server, make_user
):
    team = TeamFactory(name="Family Support West")
    grade = GradeFactory(name="Level 2 social worker", default_org_role=OrgRole.CASE_HOLDER)
    vacancy = services.vacancy_open(
        team=team, grade=grade, fte="1", reason="new_post",
        opened_on=timezone.localdate() - dt.timedelta(days=40),
    )  # fmt: skip
    make_user(Role.HR_OFFICER, username="hr.recruiter", password=PASSWORD)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.recruiter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # From the navigation to the vacancy, and record an application.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Recruitment", exact=True
    ).click()
    page.get_by_role("link", name=vacancy.reference).click()
    page.get_by_role("link", name="Record an application").click()
    page.get_by_label("First name").fill("Imani")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Route").select_option(label="Experienced social worker")
    page.get_by_role("button", name="Record application").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Application from Imani Okafor recorded."
    )

    # The pipeline board: select her and move her to interviewed (shortlisting skipped).
    page.goto(f"{live_server.url}/recruitment/pipeline/")
    page.get_by_label("Imani Okafor", exact=False).check()
    page.get_by_label("Move selected applicants to").select_option(label="Interviewed")
    page.get_by_role("button", name="Move selected").click()
    expect(page.locator('[data-stage="interviewed"]')).to_contain_text("Imani Okafor")
    assert_accessible(page)

    # Her page: offer and accept through the stage form.
    page.get_by_role("link", name="Open Imani Okafor").click()
    for stage in ["Offered", "Accepted"]:
        page.get_by_label("Move to").select_option(label=stage)
        page.get_by_role("button", name="Record", exact=True).click()
        expect(page.locator("#application-status")).to_contain_text(stage)
    assert_accessible(page)

    # "Checks complete" is refused until each check is recorded (issue 18: it stamped all
    # four as passed that day), naming the ones missing.
    page.get_by_label("Move to").select_option(label="Pre-employment checks complete")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "missing: DBS (enhanced, children's barred list), References, Social Work England "
        "registration and Right to work"
    )
    assert_accessible(page)
    assert Application.objects.get(last_name="Okafor").dbs_cleared_on is None

    # Each check on its own, with who checked it; the last one completes the stage.
    page.goto(f"{live_server.url}/recruitment/applications/{application_pk()}/")
    for check in ["DBS (enhanced, children's barred list)", "References",
                  "Social Work England registration", "Right to work"]:  # fmt: skip
        page.get_by_label("Pre-employment check").select_option(label=check)
        page.get_by_label("Checked by").fill("Dana Whitlock (HR adviser)")
        page.get_by_role("button", name="Record check").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("check recorded")
    expect(page.locator("#application-status")).to_contain_text("Pre-employment checks complete")
    expect(page.locator("#checks")).to_contain_text("checked by Dana Whitlock (HR adviser)")
    assert_accessible(page)

    # Start: one form, and she is in the workforce.
    page.get_by_role("link", name="Record the start").click()
    page.get_by_label("Social Work England number").fill("sw 804512")
    page.get_by_label("Where they came from").select_option(
        label="Social work role in another English council"
    )
    page.get_by_role("button", name="Record the start").click()

    expect(page.get_by_role("heading", name="Imani Okafor")).to_be_visible()
    expect(page.locator("main")).to_contain_text("SW804512")
    expect(page.locator("main")).to_contain_text("Family Support West")
    application = Application.objects.get(last_name="Okafor")
    assert application.stage == "started" and application.employment is not None
    assert Vacancy.objects.get(pk=vacancy.pk).status == "filled"
