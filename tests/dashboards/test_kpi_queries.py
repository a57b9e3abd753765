"""A KPI set is a constant number of aggregate queries, whatever the number of workers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.kpis import Scope, all_scopes, caseload_report, compute_kpis, compute_kpis_many
from dashboards.kpis.workforce import workforce_kpis
from tests.factories import GradeFactory, PostFactory, TeamFactory, employ
from workforce import services

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 9, 30)


def build(workers: int) -> None:
    teams = [TeamFactory() for _ in range(3)]
    grade = GradeFactory()
    for n in range(workers):
        team = teams[n % 3]
        PostFactory(team=team, grade=grade)
        employment = employ(
            team=team,
            start=dt.date(2018 + n % 5, 1 + n % 12, 1),
            end=dt.date(2023, 6, 30) if n % 4 == 0 else None,
            agency=n % 5 == 1,
            is_asye=n % 7 == 3,
        )
        if employment.end_date is None:
            services.caseload_record(employment=employment, date=AS_OF, cases=n % 20)
            services.sickness_absence_record(
                employment=employment,
                start_date=dt.date(2023, 1, 2),
                end_date=dt.date(2023, 1, 6),
                working_days_lost=n % 3,
            )


def queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


@pytest.mark.parametrize("scope", [Scope("all"), Scope("caseholding"), Scope("role", "5")], ids=str)
def test_compute_kpis_takes_the_same_few_queries_for_3_or_30_workers(scope):
    build(3)
    small = queries(lambda: compute_kpis(as_of=AS_OF, scope=scope))
    small_workforce = queries(lambda: workforce_kpis(dates=[AS_OF], scopes=[scope]))
    build(27)
    large = queries(lambda: compute_kpis(as_of=AS_OF, scope=scope))
    large_workforce = queries(lambda: workforce_kpis(dates=[AS_OF], scopes=[scope]))
    assert small == large  # every registered family, whatever the data size
    assert small_workforce == large_workforce == 3  # teams, census, the components


def test_the_batch_path_is_constant_per_date_whatever_the_scopes():
    build(30)
    scopes = all_scopes()
    one_date = queries(lambda: compute_kpis_many(dates=[AS_OF], scopes=scopes[:1]))
    one_date_all_scopes = queries(lambda: compute_kpis_many(dates=[AS_OF], scopes=scopes))
    assert one_date == one_date_all_scopes
    three_dates = [dt.date(2023, 3, 31), dt.date(2023, 6, 30), AS_OF]
    workforce_one = queries(lambda: workforce_kpis(dates=[AS_OF], scopes=scopes))
    workforce_three = queries(lambda: workforce_kpis(dates=three_dates, scopes=scopes))
    assert workforce_three == workforce_one == 3  # the same queries whatever the dates


def test_the_caseload_report_is_three_queries_whatever_the_weeks():
    """The figures, the teams with entries per week and the case-holding teams."""
    build(9)
    four = queries(
        lambda: caseload_report(start=dt.date(2023, 9, 4), end=AS_OF, scope=Scope("all"))
    )
    build(21)
    year = queries(
        lambda: caseload_report(start=dt.date(2022, 10, 1), end=AS_OF, scope=Scope("all"))
    )
    assert four == year == 3
