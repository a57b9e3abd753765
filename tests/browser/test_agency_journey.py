"""An HR officer records an agency placement above the regional price cap in a real
browser: the form warns of the breach before saving, refuses it without both sign-offs,
saves it with them, and the placement is on the compliance page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from agency.models import AgencyPlacement, CapSignOff, RegionalPriceCap
from core.roles import Role
from tests.browser.axe import assert_accessible
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
