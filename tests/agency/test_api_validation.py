"""The agency API checks a placement with the service's own validation
(``agency.services.placement_validate``): the same rules and messages as the pages, in
the API's error format (field -> messages; sign-offs under ``sign_offs.<role>``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agency import services
from agency.models import AgencyPlacement
from core.roles import Role
from tests.agency.conftest import placement_fields
from workforce.models import Agency

pytestmark = pytest.mark.django_db
URL = reverse("agency-api:placement-list")


def payload(**overrides) -> dict:
    data = {
        "swe_number": "SW900002",
        "agency": "API Agency",
        "role_category": "social_worker",
        "pay_rate": "38.00",
        "charge_rate": "50.00",
        "hours_per_week": "37",
        "start_date": "2025-01-06",
        "notice_weeks": 4,
        "reference_obtained_on": "2025-01-01",
        "declared_la_months": 40,
    }
    data.update(overrides)
    return data


def post(client, **overrides):
    return client.post(URL, payload(**overrides), content_type="application/json")


def test_the_service_rules_come_back_as_field_errors_all_at_once(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    response = post(
        client, charge_rate="30.00", hours_per_week="70", end_date="2024-12-01", notice_weeks=-1
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["charge_rate"] == ["The charge rate includes the pay rate: it cannot be lower."]
    assert errors["hours_per_week"] == ["Enter no more than 60 hours a week."]
    assert errors["end_date"] == ["The end date cannot be before the start date."]
    assert "notice_weeks" in errors  # the model's own range, through the service
    assert not AgencyPlacement.objects.exists()
    assert not Agency.objects.exists()  # nothing half-saved, not even the new agency


def test_sign_offs_are_checked_by_the_service_and_reported_where_they_were_sent(client_as, caps):
    client = client_as(Role.HR_OFFICER)
    response = post(
        client,
        sign_offs={
            "dcs": {"signed_by": "Dana", "signed_on": "2025-01-02"},
            "mayor": {"signed_by": "M"},
        },
    )
    assert response.status_code == 400
    errors = response.json()["sign_offs"]
    assert errors["dcs"]["reason"] == [
        "Enter the Director of Children's Services's reason for paying above the cap."
    ]
    assert "Sign-offs are by dcs and chief_executive (not mayor)." in errors["non_field_errors"]


def test_the_same_check_refuses_the_same_placement_in_the_service(caps, agency_firm):
    with pytest.raises(ValidationError) as caught:
        services.placement_validate(
            agency=agency_firm, **placement_fields(charge_rate=placement_fields()["pay_rate"] - 1)
        )
    assert "charge_rate" in caught.value.message_dict
    assert not AgencyPlacement.objects.exists()


def test_an_update_counts_the_sign_offs_already_recorded(client_as, caps, agency_firm):
    signed = {"signed_by": "D", "signed_on": dt.date(2025, 1, 2), "reason": "Cover"}
    placement = services.placement_save(
        agency=agency_firm,
        sign_offs={"dcs": signed, "chief_executive": signed},
        **placement_fields(pay_rate=placement_fields()["pay_rate"] + 5),
    )
    client = client_as(Role.HR_OFFICER)
    url = reverse("agency-api:placement-detail", args=[placement.pk])
    response = client.put(
        url, payload(agency=agency_firm.name, pay_rate="45.00", charge_rate="60.00",
                     swe_number=placement.swe_number, declared_la_months=36,
                     reference_obtained_on="2024-12-20"),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    placement.refresh_from_db()
    assert str(placement.charge_rate) == "60.00"
