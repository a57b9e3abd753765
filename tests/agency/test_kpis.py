"""The agency KPIs in the registry: spend, compliance, cap breaches, long placements."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agency import returns, services
from dashboards.kpis import REGISTRY, Scope, compute_kpis
from dashboards.kpis.agency import PlacementRow, agency_figures
from tests.agency.conftest import placement_fields
from tests.factories import TeamFactory

D = dt.date


def row(start, end=None, *, breaks=False, over_cap=False, hours="37", cost="50"):
    return PlacementRow(
        start=start,
        end=end,
        hours_per_week=Decimal(hours),
        hourly_cost=Decimal(cost),
        team_id=None,
        org_role=5,
        over_cap=over_cap,
        breaks=lambda date: breaks,
    )


def test_agency_figures_arithmetic():
    as_of = D(2025, 3, 31)
    rows = [
        row(D(2024, 3, 31)),  # exactly 12 months: over 12 months
        row(D(2024, 4, 1), breaks=True, over_cap=True),
        row(D(2025, 1, 1), D(2025, 3, 1)),  # ended: spend only
    ]
    figures = agency_figures(rows, as_of=as_of)
    assert figures["agency_placements"] == 2
    assert figures["agency_placements_compliant_rate"] == 50
    assert figures["agency_cap_breaches"] == 1
    assert figures["agency_placements_over_12_months"] == 1
    year = 365  # 1 Apr 2024 to 31 Mar 2025
    expected = Decimal(37) * 50 * (year + year + 59) / 7
    assert figures["agency_spend"].quantize(Decimal("0.0001")) == expected.quantize(
        Decimal("0.0001")
    )
    assert agency_figures([], as_of=as_of)["agency_placements_compliant_rate"] is None


def test_days_active_follows_the_house_rule():
    assert returns.days_active(D(2025, 1, 6), D(2025, 1, 8), D(2025, 1, 1), D(2025, 1, 31)) == 2
    assert returns.days_active(D(2025, 1, 6), None, D(2025, 2, 1), D(2025, 2, 28)) == 28
    assert returns.days_active(D(2025, 3, 6), None, D(2025, 2, 1), D(2025, 2, 28)) == 0


def test_the_kpis_are_registered_with_their_definitions():
    for key in (
        "agency_spend",
        "agency_placements_compliant_rate",
        "agency_cap_breaches",
        "agency_placements_over_12_months",
    ):
        assert REGISTRY[key].family == "agency"
        assert REGISTRY[key].definition


@pytest.mark.django_db
def test_compute_kpis_by_team_scope(caps, agency_firm):
    team = TeamFactory(name="Assessment East")
    services.placement_save(agency=agency_firm, team=team, **placement_fields())
    services.placement_save(
        agency=agency_firm,
        allow_over_cap=True,
        **placement_fields(swe_number="SW900002", pay_rate=Decimal("41"), charge_rate=None),
    )
    everyone = compute_kpis(as_of=D(2025, 2, 3), scope=Scope("all"))
    assert everyone["agency_placements"] == 2
    assert everyone["agency_cap_breaches"] == 1
    assert everyone["agency_placements_compliant_rate"] == 50
    # 6 Jan to 3 Feb 2025 inclusive: 29 days; no charge rate recorded: the pay rate.
    spend = (Decimal(37) * 52 + Decimal(37) * 41) * 29 / 7
    assert everyone["agency_spend"].quantize(Decimal("0.01")) == spend.quantize(Decimal("0.01"))
    in_team = compute_kpis(as_of=D(2025, 2, 3), scope=Scope("team", "Assessment East"))
    assert in_team["agency_placements"] == 1
    assert in_team["agency_cap_breaches"] == 0
    assert in_team["agency_placements_compliant_rate"] == 100


def test_spend_is_shown_in_whole_pounds():
    assert REGISTRY["agency_spend"].display(Decimal("14255.57")) == "£14,256"


@pytest.mark.django_db(transaction=True)
def test_a_placement_change_marks_the_stored_figures_stale(caps, agency_firm):
    from dashboards.models import KpiFillState

    before = KpiFillState.objects.values_list("data_version", flat=True).first() or 0
    services.placement_save(agency=agency_firm, **placement_fields())
    assert KpiFillState.objects.values_list("data_version", flat=True).first() > before
