"""The weekly caseload report (Buckinghamshire recommendation 18; domain.md section 3).

For each week (Monday to Sunday) from the week containing ``start`` to the week
containing ``end``, per team and for all teams in the scope together:

- the case-holding social workers of the week: each worker's latest caseload record of
  the week with one or more cases (agency workers included), in the team the cases were
  held in; their headcount and FTE (FTE from their terms on the record's date), and the
  change in both since the previous week;
- average caseload per social worker (cases / headcount), cases per FTE, the highest and
  lowest caseload of one worker;
- the 2-week trailing average (mean of this and the previous week's average) and the
  direction of movement of the average since the previous week: ``up``, ``down`` or
  ``flat`` (a change that rounds to 0.0).

Weeks are complete or say they are not:

- nothing after ``end`` is read: the last week runs from its Monday to ``end`` if
  ``end`` is before its Sunday (a report to 30 November never shows 1 December);
- each week says how many of the case-holding teams in the scope (open that week) have
  entered caseloads, any record counting, 0 cases included (``teams_entered`` of
  ``teams_expected``: "12 of 14 teams"); the week is ``complete`` when all have;
- a team with no entries in a week is ``entered: False`` with no figures (``None``),
  never a zero FTE and a change of minus its FTE;
- changes, the trailing average and the direction compare two weeks only when both are
  complete (for a team: both entered), so a half-entered week moves nothing;
- ``latest_complete_week(report)`` is the week the headlines use.

Two queries for the whole period (the figures, grouped in the database by week and
team; the teams with entries per week) and one for the case-holding teams. A record
counts only with the worker's terms in force on its date (caseloads are recorded for
workers in post, so there always are).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)

from workforce.models import CaseloadSnapshot, Team

from . import rates
from .scope import Scope

#: The longest period one report covers (10 years of weeks).
MAX_WEEKS = 530

ALL_TEAMS = "All teams in scope"


def report_weeks(*, start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of the weeks from the one containing ``start`` to the one containing
    ``end``. Raises ``ValueError`` for a backwards or over-long period."""
    if end < start:
        raise ValueError(f"The end date ({end}) is before the start date ({start}).")
    first = start - dt.timedelta(days=start.weekday())
    weeks = []
    monday = first
    while monday <= end:
        weeks.append(monday)
        monday += dt.timedelta(days=7)
    if len(weeks) > MAX_WEEKS:
        raise ValueError(f"Choose a period of at most {MAX_WEEKS} weeks (about 10 years).")
    return weeks


def _last_day(monday: dt.date, end: dt.date) -> dt.date:
    """The last day of the week of ``monday`` that the report reads: Sunday, or ``end``."""
    return min(monday + dt.timedelta(days=6), end)


def _in_scope(queryset, scope: Scope, *, team: str = "team__"):
    if scope.kind == "team":
        return queryset.filter(**{f"{team}name": scope.value})
    if scope.kind == "area":
        return queryset.filter(**{f"{team}service_area__name": scope.value})
    if scope.kind == "caseholding":
        return queryset.filter(**{f"{team}is_case_holding": True})
    return queryset


def _expected_teams(weeks: list[dt.date], end: dt.date, scope: Scope) -> dict[dt.date, set]:
    """The case-holding teams in ``scope`` open at some time in each week (one query)."""
    teams = _in_scope(Team.objects.filter(is_case_holding=True), scope, team="").values_list(
        "name", "valid_from", "valid_to"
    )
    teams = list(teams)
    return {
        monday: {
            name
            for name, valid_from, valid_to in teams
            if (valid_from is None or valid_from <= _last_day(monday, end))
            and (valid_to is None or valid_to > monday)
        }
        for monday in weeks
    }


def _week_of(weeks: list[dt.date], end: dt.date, *, last_day: bool = False) -> Case:
    """The Monday (or the last day read) of the week of a record's ``date``."""
    return Case(
        *(
            When(
                date__gte=monday,
                date__lte=_last_day(monday, end),
                then=Value(_last_day(monday, end) if last_day else monday),
            )
            for monday in weeks
        ),
        output_field=DateField(),
    )


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


def caseload_report(*, start: dt.date, end: dt.date, scope: Scope) -> list[dict]:
    """The weekly caseload series, ordered by week, the whole scope first then each team."""
    weeks = report_weeks(start=start, end=end)
    last_day = end
    week_of = _week_of(weeks, end)
    week_end = _week_of(weeks, end, last_day=True)
    later_same_week = CaseloadSnapshot.objects.filter(
        employment=OuterRef("employment_id"),
        date__gt=OuterRef("date"),
        date__lte=OuterRef("week_end"),
    )
    in_period = _in_scope(
        CaseloadSnapshot.objects.filter(date__gte=weeks[0], date__lte=last_day), scope
    )
    entered: dict[dt.date, set[str]] = {monday: set() for monday in weeks}
    for week, team in (
        in_period.annotate(week=week_of).values_list("week", "team__name").distinct().order_by()
    ):
        entered[_as_date(week)].add(team)
    expected = _expected_teams(weeks, end, scope)
    snapshots = in_period.filter(cases__gt=0)
    snapshots = snapshots.annotate(week=week_of, week_end=week_end).filter(~Exists(later_same_week))
    # the worker's terms in force on the record's date (one join, reused below)
    terms = "employment__assignments__"
    snapshots = snapshots.filter(
        Q(**{f"{terms}effective_from__lte": F("date")})
        & (
            Q(**{f"{terms}effective_to__isnull": True})
            | Q(**{f"{terms}effective_to__gt": F("date")})
        )
    )
    if scope.kind == "role":
        snapshots = snapshots.filter(**{f"{terms}org_role": int(scope.value)})
    rows = (
        snapshots.values("week", "team__name")
        .annotate(
            workers=Count("id"),
            cases_total=Sum("cases"),
            highest=Max("cases"),
            lowest=Min("cases"),
            fte_total=Sum(f"{terms}fte"),
        )
        .order_by()
    )
    cells: dict[tuple[str, dt.date], dict] = {}
    for row in rows:
        week = _as_date(row["week"])
        team = row["team__name"]
        for series in (team, ALL_TEAMS):
            cell = cells.setdefault(
                (series, week),
                {"workers": 0, "cases": 0, "fte": Decimal(0), "highest": None, "lowest": None},
            )
            cell["workers"] += row["workers"]
            cell["cases"] += row["cases_total"] or 0
            cell["fte"] += Decimal(str(row["fte_total"] or 0))
            cell["highest"] = max(
                (v for v in (cell["highest"], row["highest"]) if v is not None), default=None
            )
            cell["lowest"] = min(
                (v for v in (cell["lowest"], row["lowest"]) if v is not None), default=None
            )
    named = {name for name, _ in cells} | set().union(*expected.values(), *entered.values())
    series_names = [ALL_TEAMS] + sorted(named - {ALL_TEAMS})
    report: list[dict] = []
    by_series: dict[str, list[dict]] = {}
    for name in series_names:
        previous: dict | None = None
        for week in weeks:
            entry = _entry(
                name,
                week,
                end,
                cells.get((name, week)),
                entered=entered[week],
                expected=expected[week],
            )
            if previous is not None and previous["complete"] and entry["complete"]:
                entry["headcount_change"] = entry["workers"] - previous["workers"]
                entry["fte_change"] = entry["fte"] - previous["fte"]
                average, before = entry["average_caseload"], previous["average_caseload"]
                if average is not None and before is not None:
                    entry["trailing_2_week_average"] = (average + before) / 2
                    entry["direction"] = _direction(average - before)
            by_series.setdefault(name, []).append(entry)
            previous = entry
    for index, _week in enumerate(weeks):
        for name in series_names:
            report.append(by_series[name][index])
    return report


def _entry(
    name: str, week: dt.date, end: dt.date, cell: dict | None, *, entered: set, expected: set
) -> dict:
    """One series' figures for one week, with whether they are complete."""
    if name == ALL_TEAMS:
        teams_expected = expected | entered
        teams_entered = len(entered & teams_expected)
        has_entries = bool(entered)
        complete = bool(teams_expected) and teams_entered == len(teams_expected)
        counts = (teams_entered, len(teams_expected))
    else:
        has_entries = name in entered
        complete = has_entries
        counts = (int(has_entries), int(has_entries or name in expected))
    workers = cell["workers"] if cell else 0
    fte = cell["fte"] if cell else Decimal(0)
    cases = cell["cases"] if cell else 0
    entry = {
        "week": week,
        "week_end": _last_day(week, end),
        "team": None if name == ALL_TEAMS else name,
        "series": name,
        "entered": has_entries,
        "teams_entered": counts[0],
        "teams_expected": counts[1],
        "complete": complete,
        "workers": workers if has_entries else None,
        "fte": fte if has_entries else None,
        "cases": cases if has_entries else None,
        "average_caseload": Decimal(cases) / workers if workers else None,
        "caseload_per_fte": rates.caseload(cases=cases, case_holders_fte=fte),
        "highest_caseload": cell["highest"] if cell else None,
        "lowest_caseload": cell["lowest"] if cell else None,
        "headcount_change": None,
        "fte_change": None,
        "trailing_2_week_average": None,
        "direction": None,
    }
    return entry


def latest_complete_week(report: list[dict]) -> dict | None:
    """The whole scope's entry for the latest week every team has entered (the week the
    headlines use), or ``None`` if no week is complete."""
    complete = [e for e in report if e["team"] is None and e["complete"]]
    return complete[-1] if complete else None


def teams_entered_label(entry: dict) -> str:
    """ "12 of 14 teams" for a week of the whole scope."""
    expected = entry["teams_expected"]
    if not expected:
        return "no case-holding teams"
    return f"{entry['teams_entered']} of {expected} team{'' if expected == 1 else 's'}"


def _direction(change: Decimal) -> str:
    shown = change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown > 0:
        return "up"
    if shown < 0:
        return "down"
    return "flat"
