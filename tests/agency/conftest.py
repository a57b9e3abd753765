"""Fixtures for the agency register: a council in the South East, its caps, an agency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agency.models import RegionalPriceCap
from workforce.models import Agency, Council


@pytest.fixture
def council(db):
    return Council.objects.create(name="Kent County Council", lea_code="886", region_name="")


@pytest.fixture
def caps(council):
    """South East caps from 31 October 2024: £40 social worker ... £55 team manager."""
    values = {
        "social_worker": "40.00",
        "senior_social_worker": "45.00",
        "advanced_practitioner": "48.00",
        "team_manager": "55.00",
        "iro_cp_chair": "50.00",
    }
    return [
        RegionalPriceCap.objects.create(
            region="South East",
            role_category=category,
            effective_from=dt.date(2024, 10, 31),
            hourly_cap=Decimal(cap),
        )
        for category, cap in values.items()
    ]


@pytest.fixture
def agency_firm(db):
    return Agency.objects.create(name="Locum Partners")


def placement_fields(**overrides) -> dict:
    """A placement that breaks no rule (with the ``caps`` fixture), changed by ``overrides``."""
    fields = {
        "swe_number": "SW900001",
        "role_category": "social_worker",
        "pay_rate": Decimal("40.00"),
        "charge_rate": Decimal("52.00"),
        "hours_per_week": Decimal("37"),
        "start_date": dt.date(2025, 1, 6),
        "end_date": None,
        "notice_weeks": 4,
        "reference_obtained_on": dt.date(2024, 12, 20),
        "reference_given_on": None,
        "is_project_team": False,
        "project_worker_approved": False,
        "project_costs_broken_down": False,
        "declared_la_months": 36,
    }
    fields.update(overrides)
    return fields
