"""An HR officer records an agency placement above the regional price cap in a real
browser: the form warns of the breach before saving, refuses it without both sign-offs,
saves it with them, and the placement is on the compliance page. And an agency starter
recorded on the HR pages leads to the placement form for that start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agency.models import AgencyPlacement, CapSignOff, RegionalPriceCap
from core.roles import Role
from tests.browser.axe import assert_accessible
from tests.browser.helpers import fill_date
from tests.factories import GradeFactory, TeamFactory
from workforce.choices import OrgRole
from workforce.models import Agency, Council

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def test_hr_officer_records_a_placement_above_the_cap_with_both_sign_offs(
    page: Page, live_server, make_user
):
    Council.objects.create(name="Kent County Council", lea_code="886")
    RegionalPriceCap.objects.create(
        region="South East",
        role_category="social_worker",
        effective_from=dt.date(2024, 10, 31),
        hourly_cap=Decimal("40.00"),
    )
    Agency.objects.create(name="Locum Partners")
    make_user(Role.HR_OFFICER, username="hr.agency", password=PASSWORD)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.agency")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Agency", exact=True).click()
    page.get_by_role("link", name="Record a placement").click()
    expect(page.get_by_role("heading", name="Record an agency placement")).to_be_visible()
    page.get_by_label("Social Work England number").fill("SW640001")
    page.get_by_label("Agency", exact=True).select_option(label="Locum Partners")
    page.get_by_label("DfE role category").select_option(label="Social worker")
    page.get_by_label("Hourly pay rate").fill("45.00")
    page.get_by_label("Hourly charge rate").fill("58.00")
    page.get_by_label("Hours a week").fill("37")
    page.get_by_label("Start date").fill("2025-01-06")
    page.get_by_label("Notice period in weeks").fill("4")
    page.get_by_label("Practice-based reference obtained on").fill("2024-12-18")
    page.get_by_label("Declared local authority experience in months").fill("48")
    page.get_by_role("button", name="Save").click()

    # The warning, before anything is saved.
    warning = page.locator("#rule-warnings")
    expect(warning).to_contain_text("This placement breaks 1 DfE agency rule")
    expect(warning).to_contain_text("£45.00 an hour is above the South East cap of £40.00")
    assert not AgencyPlacement.objects.exists()
    assert_accessible(page)

    # Saving anyway without the sign-offs is refused.
    page.get_by_role("button", name="Save with these breaches").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("record the sign-offs of both")
    assert not AgencyPlacement.objects.exists()

    # Both sign-offs recorded: saved.
    page.get_by_label("Director of Children's Services: name").fill("Dana Director")
    page.get_by_label("Director of Children's Services: date signed").fill("2025-01-02")
    page.get_by_label("Director of Children's Services: reason").fill("Court deadline cover")
    page.get_by_label("Chief executive: name").fill("Chris Exec")
    page.get_by_label("Chief executive: date signed").fill("2025-01-03")
    page.get_by_label("Chief executive: reason").fill("Agreed with the DCS")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Placement of SW640001 recorded"
    )
    assert CapSignOff.objects.filter(placement__swe_number="SW640001").count() == 2

    # On the compliance page: above the cap, signed off by both, no rule broken.
    page.get_by_role("link", name="Compliance on a date").click()
    page.get_by_label("Active on").fill("2025-02-03")
    page.get_by_role("button", name="Apply filters").click()
    row = page.locator("#placements tbody tr", has_text="SW640001")
    expect(row).to_contain_text("Above cap")
    expect(row).to_contain_text("No rule broken")
    expect(row).to_contain_text("Dana Director (Director of Children's Services, 2 Jan 2025)")
    expect(row).to_contain_text("Chris Exec (Chief executive, 3 Jan 2025)")
    assert_accessible(page)


def test_hr_officer_starts_an_agency_worker_and_is_asked_for_the_placement(
    page: Page, live_server, make_user
):
    """Recording an agency starter leads to the placement form filled in from the start,
    with the banner saying why; saving it returns to the worker's page, where the
    "placement details missing" notice is gone."""
    Council.objects.create(name="Kent County Council", lea_code="886")
    RegionalPriceCap.objects.create(
        region="South East",
        role_category="advanced_practitioner",
        effective_from=dt.date(2024, 10, 31),
        hourly_cap=Decimal("48.00"),
    )
    Agency.objects.create(name="Locum Partners")
    TeamFactory(name="Family Safeguarding North")
    GradeFactory(name="Advanced practitioner", default_org_role=OrgRole.SENIOR_PRACTITIONER)
    make_user(Role.HR_OFFICER, username="hr.starter", password=PASSWORD)
    started = timezone.localdate() - dt.timedelta(days=7)

    page.goto(f"{live_server.url}/accounts/login/", wait_until="domcontentloaded")
    page.get_by_label("Username").fill("hr.starter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Record a starter").first.click()
    page.get_by_label("Social Work England number").fill("SW640777")
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name").fill("Ellis")
    page.get_by_role("radio", name="Agency").check()
    page.locator("#id_agency").select_option(label="Locum Partners")
    page.get_by_label("Team", exact=True).select_option(label="Family Safeguarding North")
    page.get_by_label("Local grade").select_option(label="Advanced practitioner")
    page.get_by_label("FTE").fill("1")
    fill_date(page, "Start date", started)
    page.get_by_role("button", name="Record starter").click()

    # On the placement form for that start, filled in, with the banner saying why.
    expect(page.get_by_role("heading", name="Record an agency placement")).to_be_visible()
    expect(page.locator("#placement-needed")).to_contain_text(
        "The placement details are needed for the DfE agency rules"
    )
    expect(page.locator("#placement-needed")).to_contain_text("Jordan Ellis")
    expect(page.get_by_label("Social Work England number")).to_have_value("SW640777")
    expect(page.get_by_label("Start date")).to_have_value(started.isoformat())
    expect(page.get_by_label("DfE role category")).to_have_value("advanced_practitioner")
    assert_accessible(page)

    page.get_by_label("Hourly pay rate").fill("44.00")
    page.get_by_label("Hourly charge rate").fill("57.00")
    page.get_by_label("Hours a week").fill("37")
    page.get_by_label("Practice-based reference obtained on").fill(
        (started - dt.timedelta(days=10)).isoformat()
    )
    page.get_by_label("Declared local authority experience in months").fill("48")
    page.get_by_role("button", name="Save").click()

    # Saved: back on the worker's page, the placement linked to the start.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Placement of SW640777 recorded"
    )
    expect(page.get_by_role("heading", name="Jordan Ellis")).to_be_visible()
    expect(page.locator('[data-testid="follow-up"]')).to_have_count(0)
    placement = AgencyPlacement.objects.get(swe_number="SW640777")
    assert placement.employment is not None and placement.employment.start_date == started
