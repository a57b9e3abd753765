"""The batch path: many dates in one call give exactly the figures of one date at a time,
in the same few queries whatever the number of dates (the snapshot refresh depends on it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.locking import UNCHECKED
from dashboards.kpis import Scope, all_scopes, compute_kpis, compute_kpis_many
from dashboards.kpis.workforce import workforce_kpis
from tests.factories import GradeFactory, PostFactory, ServiceAreaFactory, TeamFactory, employ
from tests.recruitment.test_funnel import hires  # noqa: F401  (fixture)
from workforce import services
from workforce.choices import ChangeReason, OrgRole

pytestmark = pytest.mark.django_db


def weekly(start: dt.date, end: dt.date, step: int = 7) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        days.append(day)
        day += dt.timedelta(days=step)
    return days


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    ends, year, month = [], start.year, start.month
    while True:
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        last = first_of_next - dt.timedelta(days=1)
        if last > end:
            return ends
        ends.append(last)
        year, month = first_of_next.year, first_of_next.month


#: Fortnights and month ends over two years, with 29 February 2024 among them.
DATES = sorted(
    {
        *weekly(dt.date(2022, 6, 3), dt.date(2024, 3, 31), step=14),
        *month_ends(dt.date(2022, 6, 1), dt.date(2024, 3, 31)),
        dt.date(2024, 2, 29),
    }
)


@pytest.fixture
def council():
    """Two case-holding teams in two areas and a support team; a mid-year team move,
    a starter who leaves within the year, an agency worker, a returner, a manager, part
    time and ASYE terms, weekly caseloads (some weeks twice, some with no cases),
    sickness absence, and funded posts that open and close."""
    north, south = ServiceAreaFactory(name="North"), ServiceAreaFactory(name="South")
    team_a = TeamFactory(name="Assessment A", service_area=north)
    team_b = TeamFactory(name="Children in care B", service_area=south)
    team_c = TeamFactory(name="Quality C", service_area=north, is_case_holding=False)
    grade = GradeFactory()
    manager_grade = GradeFactory(default_org_role=OrgRole.FIRST_LINE_MANAGER)
    PostFactory(team=team_a, grade=grade, fte=Decimal("3"), valid_from=dt.date(2020, 1, 1))
    PostFactory(team=team_b, grade=grade, fte=Decimal("2.5"), valid_from=dt.date(2022, 9, 1))
    PostFactory(
        team=team_b,
        grade=manager_grade,
        valid_from=dt.date(2021, 1, 1),
        valid_to=dt.date(2023, 10, 1),
    )

    mover = employ(team=team_a, start=dt.date(2019, 3, 1))
    services.assignment_change(
        employment=mover,
        effective_from=dt.date(2023, 2, 15),
        change_reason=ChangeReason.TEAM_MOVE,
        team=team_b,
        fte=Decimal("0.8"),
        version=UNCHECKED,
    )
    short_stay = employ(
        team=team_a, start=dt.date(2022, 11, 10), fte="0.6", is_asye=True, end=dt.date(2023, 8, 31)
    )
    agency = employ(team=team_b, start=dt.date(2022, 1, 1), agency=True, end=dt.date(2023, 5, 1))
    employ(team=team_c, start=dt.date(2020, 1, 6), end=dt.date(2022, 6, 30), fte="0.5")
    returner = employ(team=team_c, start=dt.date(2023, 1, 9))
    manager = employ(
        team=team_b, start=dt.date(2021, 2, 1), org_role=OrgRole.FIRST_LINE_MANAGER, fte="0.9"
    )
    leap_starter = employ(team=team_a, start=dt.date(2023, 3, 1), fte="0.5")

    for employment, start, end in (
        (mover, dt.date(2022, 6, 1), dt.date(2024, 3, 31)),
        (short_stay, dt.date(2022, 11, 14), dt.date(2023, 8, 28)),
        (agency, dt.date(2022, 6, 2), dt.date(2023, 4, 27)),
        (leap_starter, dt.date(2023, 3, 6), dt.date(2024, 3, 25)),
    ):
        for n, day in enumerate(weekly(start, end)):
            services.caseload_record(employment=employment, date=day, cases=(n * 7) % 19)
    # Twice in one week: the later record is the one that counts.
    services.caseload_record(employment=mover, date=dt.date(2023, 6, 2), cases=11)
    services.caseload_record(employment=manager, date=dt.date(2023, 6, 29), cases=2)

    for employment, start, end, days in (
        (mover, dt.date(2022, 12, 5), dt.date(2022, 12, 9), 5),
        (mover, dt.date(2023, 9, 4), dt.date(2023, 9, 5), "1.5"),
        (short_stay, dt.date(2023, 3, 6), dt.date(2023, 3, 10), 4),
        (returner, dt.date(2024, 2, 26), dt.date(2024, 2, 29), 3),
    ):
        services.sickness_absence_record(
            employment=employment, start_date=start, end_date=end, working_days_lost=days
        )


def queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def test_many_dates_at_once_give_the_figures_of_each_date_alone(council):
    scopes = all_scopes()
    assert len(DATES) > 40 and len(scopes) > 8
    batch = compute_kpis_many(dates=DATES, scopes=scopes)
    for date in DATES:  # each date alone, every scope
        alone = compute_kpis_many(dates=[date], scopes=scopes)
        for scope in scopes:
            assert batch[(date, scope)] == alone[(date, scope)], (date, str(scope))
    # The whole council alone, every date: with the above, one date and one scope (the
    # live path) gives the batch's figures; asked directly for the dates checked by hand.
    alone = compute_kpis_many(dates=DATES, scopes=[Scope("all")])
    for date in DATES:
        assert batch[(date, Scope("all"))] == alone[(date, Scope("all"))], date
    for date in (dt.date(2023, 3, 31), dt.date(2023, 6, 2), dt.date(2024, 2, 29)):
        for scope in (Scope("all"), Scope("team", "Children in care B")):
            assert batch[(date, scope)] == compute_kpis(as_of=date, scope=scope), (date, scope)
    # Spot checks by hand, so that agreeing on wrong figures fails too.
    spring = batch[(dt.date(2023, 3, 31), Scope("all"))]
    assert spring["inpost_headcount"] == 5  # mover, short stay, returner, manager, leap starter
    assert spring["inpost_fte"] == Decimal("3.8")  # 0.8 + 0.6 + 1 + 0.9 + 0.5
    assert spring["agency_fte"] == Decimal("1")
    assert spring["starters_headcount"] == 3  # short stay, returner, leap starter
    assert spring["leavers_headcount"] == 1  # the returner's first spell ended 30 June 2022
    assert spring["working_days_lost"] == Decimal("9")  # mover 5 + short stay 4
    team_b = batch[(dt.date(2023, 3, 31), Scope("team", "Children in care B"))]
    assert team_b["inpost_fte"] == Decimal("1.7")  # the mover at 0.8 since February, manager
    assert team_b["establishment_fte"] == Decimal("3.5")  # 2.5 + the manager post
    week = batch[(dt.date(2023, 6, 2), Scope("team", "Children in care B"))]
    assert week["cases"] == 11  # the later of the two records the mover has that week
    assert batch[(dt.date(2024, 2, 29), Scope("all"))]["working_days_lost"] == Decimal("4.5")


def test_the_workforce_family_takes_the_same_queries_for_one_date_or_many(council):
    scopes = all_scopes()
    one = queries(lambda: workforce_kpis(dates=DATES[:1], scopes=scopes[:1]))
    many = queries(lambda: workforce_kpis(dates=DATES, scopes=scopes))
    assert one == many == 3  # teams, census returns, one statement for the components


@pytest.mark.usefixtures("hires")
def test_recruitment_figures_for_many_dates_equal_each_date_alone():
    """Hires read once for every date still count only in each date's own 12 months."""
    dates = weekly(dt.date(2024, 3, 1), dt.date(2025, 7, 31))
    scopes = [Scope("all"), Scope("team", "Hiring team")]
    batch = compute_kpis_many(dates=dates, scopes=scopes)
    for date in dates:  # each date alone, both scopes
        alone = compute_kpis_many(dates=[date], scopes=scopes)
        for scope in scopes:
            assert batch[(date, scope)] == alone[(date, scope)], (date, scope)
    for scope in scopes:  # each scope alone, every date
        alone = compute_kpis_many(dates=dates, scopes=[scope])
        assert all(batch[(date, scope)] == alone[(date, scope)] for date in dates), scope
    for date in (dt.date(2024, 12, 27), dt.date(2025, 6, 27)):  # the live path, as checked
        for scope in scopes:
            assert batch[(date, scope)] == compute_kpis(as_of=date, scope=scope), (date, scope)
    assert batch[(dt.date(2024, 12, 27), scopes[0])]["time_to_hire_starts"] == 3
    assert batch[(dt.date(2025, 6, 27), scopes[0])]["time_to_hire_starts"] == 1  # 80 days late
