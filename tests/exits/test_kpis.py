"""Exit interview coverage KPIs through the registry: agency leavers included, by scope,
the 12 months to the date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.locking import UNCHECKED
from dashboards.kpis import REGISTRY, Scope, compute_kpis
from exits import services
from tests.factories import TeamFactory, employ
from workforce.models import CensusReturn

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2024, 9, 30)


def test_the_kpis_are_registered_with_their_definitions():
    assert REGISTRY["exit_interview_offered_rate"].unit == "%"
    assert "agency workers included" in REGISTRY["exit_interview_completed_rate"].definition


def test_offered_and_completed_shares_include_agency_leavers():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    offered = employ(team=north, end=dt.date(2024, 3, 31)).exit_record
    services.exit_record_update(
        exit_record=offered,
        offered_on=dt.date(2024, 3, 20),
        channel="video",
        today=AS_OF,
        version=UNCHECKED,
    )
    completed = employ(team=north, end=dt.date(2024, 5, 31)).exit_record
    services.questionnaire_submit(exit_record=completed, answers={})
    employ(team=south, agency=True, end=dt.date(2024, 6, 30))  # agency, never offered
    employ(team=south, end=dt.date(2024, 8, 31))  # employed, never offered
    employ(team=south, end=dt.date(2023, 9, 30))  # left before the 12 months
    employ(team=south)  # still in post

    whole = compute_kpis(as_of=AS_OF, scope=Scope("all"))
    assert whole["exit_interview_offered_rate"] == Decimal(50)  # 2 of 4
    assert whole["exit_interview_completed_rate"] == Decimal(25)  # 1 of 4
    assert whole["exit_interview_agency_offered_rate"] == Decimal(0)
    team = compute_kpis(as_of=AS_OF, scope=Scope("team", "North"))
    assert team["exit_interview_offered_rate"] == Decimal(100)
    assert team["exit_interview_agency_offered_rate"] is None  # no agency leavers there


def test_a_census_import_gets_exit_records_for_its_leavers(django_capture_on_commit_callbacks):
    leaver = employ(end=dt.date(2024, 3, 31))
    leaver.exit_record.delete()  # as if the import wrote the employment in bulk
    with django_capture_on_commit_callbacks(execute=True):
        CensusReturn.objects.create(year=2024, reference_date=AS_OF, lea="999")
    leaver.refresh_from_db()
    assert leaver.exit_record.pk
