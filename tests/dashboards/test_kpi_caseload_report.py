"""The weekly caseload report: per team and overall, average / highest / lowest, headcount
and FTE with their change, 2-week trailing average, direction of movement."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.locking import UNCHECKED
from dashboards.kpis import Scope, caseload_report
from tests.factories import TeamFactory, employ
from workforce import services
from workforce.choices import ChangeReason, OrgRole

pytestmark = pytest.mark.django_db

WEEK_1 = dt.date(2023, 9, 4)  # a Monday
WEEK_2 = dt.date(2023, 9, 11)
WEEK_3 = dt.date(2023, 9, 18)


@pytest.fixture
def teams():
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    a = employ(team=north, start=dt.date(2020, 1, 6))
    b = employ(team=north, start=dt.date(2020, 1, 6), fte="0.5")
    c = employ(team=south, start=dt.date(2020, 1, 6), agency=True)
    d = employ(team=south, start=dt.date(2020, 1, 6), org_role=OrgRole.SENIOR_PRACTITIONER)
    record = services.caseload_record
    # week 1: North 10 and 20, South 15
    record(employment=a, date=WEEK_1 + dt.timedelta(days=4), cases=10)
    record(employment=b, date=WEEK_1 + dt.timedelta(days=4), cases=20)
    record(employment=c, date=WEEK_1 + dt.timedelta(days=4), cases=15)
    # week 2: North 12 (a corrected later in the week from 30) and 20; South 15 and 7
    record(employment=a, date=WEEK_2, cases=30)
    record(employment=a, date=WEEK_2 + dt.timedelta(days=4), cases=12)
    record(employment=b, date=WEEK_2 + dt.timedelta(days=4), cases=20)
    record(employment=c, date=WEEK_2 + dt.timedelta(days=4), cases=15)
    record(employment=d, date=WEEK_2 + dt.timedelta(days=4), cases=7)
    # week 3: North a only, 0 cases (not a case-holder); b nothing recorded
    record(employment=a, date=WEEK_3 + dt.timedelta(days=4), cases=0)
    return {"north": north, "south": south, "a": a, "d": d}


def rows_by(report, series):
    return {row["week"]: row for row in report if row["series"] == series}


def test_weekly_figures_per_team_and_overall(teams):
    report = caseload_report(start=WEEK_1, end=WEEK_3 + dt.timedelta(days=2), scope=Scope("all"))
    assert [row["series"] for row in report[:3]] == ["All teams in scope", "North", "South"]
    overall = rows_by(report, "All teams in scope")
    assert list(overall) == [WEEK_1, WEEK_2, WEEK_3]
    assert overall[WEEK_1]["workers"] == 3
    assert overall[WEEK_1]["average_caseload"] == 15
    assert overall[WEEK_1]["highest_caseload"] == 20
    assert overall[WEEK_1]["lowest_caseload"] == 10
    assert overall[WEEK_1]["fte"] == D("2.5")
    assert overall[WEEK_1]["direction"] is None  # no previous week in the report
    assert overall[WEEK_2]["workers"] == 4
    assert overall[WEEK_2]["cases"] == 54  # the corrected 12, not 30 + 12
    assert overall[WEEK_2]["average_caseload"] == D("13.5")
    assert overall[WEEK_2]["headcount_change"] == 1
    assert overall[WEEK_2]["fte_change"] == 1
    assert overall[WEEK_2]["trailing_2_week_average"] == D("14.25")
    assert overall[WEEK_2]["direction"] == "down"
    # week 3's only record (a Friday) is after the end of the report: not read
    assert overall[WEEK_3]["teams_entered"] == 0
    assert overall[WEEK_3]["workers"] is None
    assert overall[WEEK_3]["average_caseload"] is None
    assert overall[WEEK_3]["headcount_change"] is None

    north = rows_by(report, "North")
    assert north[WEEK_1]["average_caseload"] == 15
    assert north[WEEK_2]["average_caseload"] == 16
    assert north[WEEK_2]["direction"] == "up"
    assert north[WEEK_2]["caseload_per_fte"] == D(32) / D("1.5")
    south = rows_by(report, "South")
    assert south[WEEK_2]["lowest_caseload"] == 7
    assert south[WEEK_2]["highest_caseload"] == 15


def test_flat_when_the_average_does_not_move(teams):
    e = employ(team=TeamFactory(name="West"), start=dt.date(2020, 1, 6))
    services.caseload_record(employment=e, date=WEEK_1, cases=9)
    services.caseload_record(employment=e, date=WEEK_2, cases=9)
    west = rows_by(caseload_report(start=WEEK_1, end=WEEK_2, scope=Scope("team", "West")), "West")
    assert west[WEEK_2]["direction"] == "flat"


def test_scopes_follow_the_team_and_role_on_the_date(teams):
    sunday = WEEK_2 + dt.timedelta(days=6)
    south_only = caseload_report(start=WEEK_2, end=sunday, scope=Scope("team", "South"))
    assert {row["series"] for row in south_only} == {"All teams in scope", "South"}
    assert rows_by(south_only, "All teams in scope")[WEEK_2]["workers"] == 2
    senior = caseload_report(start=WEEK_2, end=sunday, scope=Scope("role", "4"))
    assert rows_by(senior, "All teams in scope")[WEEK_2]["cases"] == 7
    # a move: from its date, the worker's cases are in the new team
    services.assignment_change(
        employment=teams["d"],
        effective_from=WEEK_3,
        change_reason=ChangeReason.TEAM_MOVE,
        team=teams["north"],
        version=UNCHECKED,
    )
    services.caseload_record(employment=teams["d"], date=WEEK_3 + dt.timedelta(days=1), cases=8)
    report = caseload_report(
        start=WEEK_3, end=WEEK_3 + dt.timedelta(days=6), scope=Scope("team", "North")
    )
    assert rows_by(report, "North")[WEEK_3]["cases"] == 8


def test_the_command_prints_json_and_a_table(teams):
    out = io.StringIO()
    call_command(
        "caseload_report",
        "--from",
        "2023-09-04",
        "--to",
        "2023-09-17",
        "--format",
        "json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    overall = [row for row in rows if row["team"] is None]
    assert [row["week"] for row in overall] == ["2023-09-04", "2023-09-11"]
    assert overall[1]["average_caseload"] == 13.5
    table = io.StringIO()
    call_command(
        "caseload_report",
        "--from",
        "2023-09-04",
        "--to",
        "2023-09-17",
        "--scope",
        "team:North",
        "--format",
        "table",
        stdout=table,
    )
    text = table.getvalue()
    assert "Team: North" in text
    assert "11/09/2023  North" in text
    assert "16.0" in text and "up" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2023-09-30", "--to", "2023-09-01"], "before the start date"),
        (["--from", "1 Sept", "--to", "2023-09-01"], "--from must be a date"),
        (["--from", "2000-01-01", "--to", "2023-09-01"], "at most"),
        (["--from", "2023-09-01", "--to", "2023-09-30", "--scope", "team:Nowhere"], "Nowhere"),
    ],
)
def test_bad_arguments_are_clear_messages(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("caseload_report", *args)


# --- Weeks that are complete or say they are not (issue 12, part 4) ---------------------

MONDAY = dt.date(2026, 11, 23)
NEXT_MONDAY = dt.date(2026, 11, 30)  # the week of 30 November runs to Sunday 6 December


@pytest.fixture
def service():
    """Three case-holding teams (North 18 FTE of case-holders, South 2, East 1), a team
    that holds no cases and a closed one; every team enters on Friday 27 November; in the
    week of 30 November only East has entered so far (on Tuesday 1 December)."""
    teams = {name: TeamFactory(name=name) for name in ("North", "South", "East")}
    TeamFactory(name="Quality Assurance", is_case_holding=False)
    TeamFactory(name="Closed", valid_to=dt.date(2025, 3, 31))
    north = [employ(team=teams["North"], start=dt.date(2020, 1, 6)) for _ in range(18)]
    south = [employ(team=teams["South"], start=dt.date(2020, 1, 6)) for _ in range(2)]
    east = employ(team=teams["East"], start=dt.date(2020, 1, 6))
    friday = MONDAY + dt.timedelta(days=4)
    for worker in north + south:
        services.caseload_record(employment=worker, date=friday, cases=15)
    services.caseload_record(employment=east, date=friday, cases=9)
    services.caseload_record(employment=east, date=NEXT_MONDAY, cases=12)  # Monday 30 Nov
    services.caseload_record(employment=east, date=dt.date(2026, 12, 1), cases=30)
    return teams


def test_a_report_to_30_november_reads_nothing_of_1_december(service):
    report = caseload_report(start=MONDAY, end=NEXT_MONDAY, scope=Scope("team", "East"))
    east = rows_by(report, "East")
    # Monday's 12, not Tuesday's 30 (which would replace it as the week's latest)
    assert east[NEXT_MONDAY]["cases"] == 12
    assert east[NEXT_MONDAY]["week_end"] == NEXT_MONDAY
    whole_week = caseload_report(
        start=MONDAY, end=dt.date(2026, 12, 6), scope=Scope("team", "East")
    )
    assert rows_by(whole_week, "East")[NEXT_MONDAY]["cases"] == 30


def test_each_week_says_how_many_case_holding_teams_entered(service):
    report = caseload_report(start=MONDAY, end=dt.date(2026, 12, 2), scope=Scope("all"))
    overall = rows_by(report, "All teams in scope")
    # the team holding no cases and the closed team are not expected to enter
    assert (overall[MONDAY]["teams_entered"], overall[MONDAY]["teams_expected"]) == (3, 3)
    assert overall[MONDAY]["complete"] is True
    assert (overall[NEXT_MONDAY]["teams_entered"], overall[NEXT_MONDAY]["teams_expected"]) == (1, 3)
    assert overall[NEXT_MONDAY]["complete"] is False
    from dashboards.kpis.caseload_report import latest_complete_week, teams_entered_label

    assert teams_entered_label(overall[NEXT_MONDAY]) == "1 of 3 teams"
    quality = caseload_report(
        start=MONDAY, end=dt.date(2026, 12, 2), scope=Scope("team", "Quality Assurance")
    )
    assert teams_entered_label(rows_by(quality, "All teams in scope")[MONDAY]) == (
        "no case-holding teams"
    )
    headline = latest_complete_week(report)
    assert headline["week"] == MONDAY
    assert headline["average_caseload"] == D(15 * 20 + 9) / 21


def test_a_team_with_no_entries_says_not_entered_not_a_minus_18_change(service):
    report = caseload_report(start=MONDAY, end=dt.date(2026, 12, 2), scope=Scope("all"))
    north = rows_by(report, "North")[NEXT_MONDAY]
    assert north["entered"] is False
    assert north["fte"] is None and north["workers"] is None
    assert north["fte_change"] is None and north["headcount_change"] is None
    # the half-entered week moves nothing for the whole service either
    overall = rows_by(report, "All teams in scope")[NEXT_MONDAY]
    assert overall["fte_change"] is None and overall["direction"] is None
    # the team that did enter compares with its own previous week
    east = rows_by(report, "East")[NEXT_MONDAY]
    assert east["entered"] is True and east["fte_change"] == 0 and east["direction"] == "up"


def test_the_command_table_marks_teams_not_entered_and_incomplete_weeks(service):
    out = io.StringIO()
    call_command(
        "caseload_report", "--from", "2026-11-23", "--to", "2026-12-02", "--format", "table",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "30/11/2026  North" in text and "not entered" in text
    assert "1 of 3 teams (incomplete)" in text
    assert "3 of 3 teams" in text


def test_the_api_says_which_weeks_are_complete_and_stops_at_the_date(service, client_as):
    from core.roles import Role

    response = client_as(Role.DIRECTOR).get(
        "/api/caseload-report/", {"from": "2026-11-23", "to": "2026-11-30"}
    )
    assert response.status_code == 200
    weeks = {(w["series"], w["week"]): w for w in response.json()["weeks"]}
    overall = weeks[("All teams in scope", "2026-11-30")]
    assert (overall["teams_entered"], overall["teams_expected"], overall["complete"]) == (
        1,
        3,
        False,
    )
    assert weeks[("North", "2026-11-30")]["entered"] is False
    assert weeks[("North", "2026-11-30")]["fte"] is None
    assert weeks[("East", "2026-11-30")]["cases"] == 12  # not 1 December's 30
