"""Acceptance 2: Kent, June 2016 (seed 003), from the ``kpis`` command.

(a) Case-holding teams, establishment basis: 75.5% of posts filled by employed staff,
18.3% by agency workers, 24.5% vacant, 6.2% vacant and uncovered. Built at a scale of
100 funded FTE in two case-holding teams (plus a non-case-holding team that must not
count).

(b) Leavers April 2014 - May 2016: 144, by reason and length of service. Kent's own
categories map onto DfE's reason and destination codes like this (the mapping is the
test's, stated here so a reader can check it):

- "Resignation to new employment" = reason 1 (resignation), destination 1 (another council)
- "Resignation - other" = reason 1, destination 7 (other)
- "Resignation - personal/domestic reasons" = reason 1, destination 6 (no employment or
  career break)
- "Normal retirement" = reason 5 (retired)
- the other 24 leavers: dismissed, voluntary redundancy, other.

Kent's recruitment figures belong to the recruitment issue and are not checked here.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from core.dates import years_before
from tests.factories import GradeFactory, PostFactory, ServiceAreaFactory, TeamFactory, employ
from workforce.choices import OrgRole

pytestmark = pytest.mark.django_db

JUNE_2016 = dt.date(2016, 6, 30)


def one_dp(value: float) -> str:
    return f"{value:.1f}"


def kpis(*args: str) -> dict:
    out = io.StringIO()
    call_command("kpis", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def teams():
    area = ServiceAreaFactory(name="Specialist Children's Services")
    return {
        "north": TeamFactory(name="North Kent CP", service_area=area),
        "east": TeamFactory(name="East Kent CIN", service_area=area),
        "iro": TeamFactory(name="Safeguarding Unit", service_area=area, is_case_holding=False),
    }


def staff(team, *, fte_total: str, agency: bool = False, start=dt.date(2012, 9, 3)) -> None:
    whole, _, part = fte_total.partition(".")
    for _ in range(int(whole)):
        employ(team=team, start=start, agency=agency)
    if part and int(part):
        employ(team=team, start=start, agency=agency, fte=f"0.{part}")


def test_kent_june_2016_case_holding_establishment_basis(teams):
    grade = GradeFactory(name="Social worker KR9", default_org_role=OrgRole.CASE_HOLDER)
    for team, posts in ((teams["north"], 60), (teams["east"], 40), (teams["iro"], 10)):
        for _ in range(posts):
            PostFactory(team=team, grade=grade, valid_from=dt.date(2014, 4, 1))
    staff(teams["north"], fte_total="45.5")
    staff(teams["north"], fte_total="11.3", agency=True, start=dt.date(2016, 2, 1))
    staff(teams["east"], fte_total="30")
    staff(teams["east"], fte_total="7", agency=True, start=dt.date(2016, 2, 1))
    staff(teams["iro"], fte_total="4")  # not case-holding: a different picture
    staff(teams["iro"], fte_total="6", agency=True, start=dt.date(2016, 2, 1))

    figures = kpis("--as-of", "2016-06-30", "--scope", "caseholding")
    assert figures["establishment_fte"] == pytest.approx(100)
    assert one_dp(figures["posts_filled_permanent_rate"]) == "75.5"
    assert one_dp(figures["posts_covered_by_agency_rate"]) == "18.3"
    assert one_dp(figures["vacancy_rate"]) == "24.5"
    assert one_dp(figures["posts_vacant_uncovered_rate"]) == "6.2"
    # the workers basis is a different figure, and says so
    assert one_dp(figures["permanence_rate"]) == "80.5"  # 75.5 / 93.8

    whole_service = kpis("--as-of", "2016-06-30")
    assert one_dp(whole_service["posts_filled_permanent_rate"]) != "75.5"


def test_kent_leavers_april_2014_to_may_2016(teams):
    # (count, reason, destination) per Kent category - see the module docstring
    categories = [
        (60, 1, 1),  # resignation to new employment
        (32, 1, 7),  # resignation - other
        (14, 1, 6),  # resignation - personal/domestic reasons
        (14, 5, 6),  # normal retirement
        (10, 8, 8),  # other
        (8, 4, 8),  # dismissed
        (6, 2, 8),  # voluntary redundancy
    ]
    # length of service at leaving: 23 under 1 year, 56 under 3 years, 144 in all
    service_years = [0] * 23 + [1] * 20 + [2] * 13 + [3] * 16 + [4] * 14 + [7] * 58
    leavers = [(r, d) for count, r, d in categories for _ in range(count)]
    assert len(leavers) == len(service_years) == 144
    for n, ((reason, destination), years) in enumerate(zip(leavers, service_years, strict=True)):
        end = dt.date(2014, 4, 1) + dt.timedelta(days=(n * 5) % 790)
        start = years_before(end, years) - dt.timedelta(days=30)
        team = teams["north"] if n % 2 else teams["east"]
        employ(team=team, start=start, end=end, reason=reason, destination=destination)
    # not Kent's leavers: before and after the period, an agency placement ending, and
    # a leaver from a team that holds no cases
    employ(team=teams["north"], start=dt.date(2010, 1, 4), end=dt.date(2014, 3, 31))
    employ(team=teams["north"], start=dt.date(2010, 1, 4), end=dt.date(2016, 6, 1))
    employ(team=teams["north"], start=dt.date(2015, 1, 5), end=dt.date(2015, 9, 30), agency=True)
    employ(team=teams["iro"], start=dt.date(2010, 1, 4), end=dt.date(2015, 9, 30))

    figures = kpis(
        "--as-of", "2016-05-31", "--leavers-from", "2014-04-01", "--scope", "caseholding"
    )
    assert figures["leavers"] == 144
    pairs = {
        (row["reason"], row["destination"]): (row["count"], one_dp(row["share"]))
        for row in figures["leavers_by_reason_and_destination"]
    }
    assert pairs[(1, 1)] == (60, "41.7")
    assert pairs[(1, 7)] == (32, "22.2")  # the paper prints 21%: a rounding slip
    assert pairs[(1, 6)] == (14, "9.7")
    assert pairs[(5, 6)] == (14, "9.7")
    reasons = {
        row["code"]: (row["count"], one_dp(row["share"])) for row in figures["leavers_by_reason"]
    }
    assert reasons[5] == (14, "9.7")
    assert reasons[1] == (106, "73.6")
    bands = {row["band"]: row for row in figures["leavers_by_length_of_service"]}
    assert bands["<1"]["count"] == 23
    assert one_dp(bands["<1"]["share"]) == "16.0"
    assert bands["2-<3"]["cumulative_count"] == 56
    assert one_dp(bands["2-<3"]["cumulative_share"]) == "38.9"
    assert bands["5+"]["cumulative_count"] == 144

    table = io.StringIO()
    call_command(
        "kpis",
        "--as-of",
        "2016-05-31",
        "--leavers-from",
        "2014-04-01",
        "--scope",
        "caseholding",
        "--format",
        "table",
        stdout=table,
    )
    text = table.getvalue()
    assert "Leavers 01 April 2014 to 31 May 2016: 144" in text
    assert "Resignation - Other: 32 (22.2%)" in text
