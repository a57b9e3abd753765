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

One query for the whole period, grouped in the database by week and team. A record
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

from workforce.models import CaseloadSnapshot

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


def caseload_report(*, start: dt.date, end: dt.date, scope: Scope) -> list[dict]:
    """The weekly caseload series, ordered by week, the whole scope first then each team."""
    weeks = report_weeks(start=start, end=end)
    last_day = weeks[-1] + dt.timedelta(days=6)
    week_of = Case(
        *(
            When(date__gte=monday, date__lte=monday + dt.timedelta(days=6), then=Value(monday))
            for monday in weeks
        ),
        output_field=DateField(),
    )
    week_end = Case(
        *(
            When(
                date__gte=monday,
                date__lte=monday + dt.timedelta(days=6),
                then=Value(monday + dt.timedelta(days=6)),
            )
            for monday in weeks
        ),
        output_field=DateField(),
    )
    later_same_week = CaseloadSnapshot.objects.filter(
        employment=OuterRef("employment_id"),
        date__gt=OuterRef("date"),
        date__lte=OuterRef("week_end"),
    )
    snapshots = CaseloadSnapshot.objects.filter(date__gte=weeks[0], date__lte=last_day, cases__gt=0)
    if scope.kind == "team":
        snapshots = snapshots.filter(team__name=scope.value)
    elif scope.kind == "area":
        snapshots = snapshots.filter(team__service_area__name=scope.value)
    elif scope.kind == "caseholding":
        snapshots = snapshots.filter(team__is_case_holding=True)
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
        week = row["week"]
        if isinstance(week, str):  # SQLite returns a CASE of dates as text
            week = dt.date.fromisoformat(week)
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
    series_names = [ALL_TEAMS] + sorted({name for name, _ in cells if name != ALL_TEAMS})
    report: list[dict] = []
    by_series: dict[str, list[dict]] = {}
    for name in series_names:
        previous: dict | None = None
        for week in weeks:
            cell = cells.get((name, week))
            workers = cell["workers"] if cell else 0
            fte_total = cell["fte"] if cell else Decimal(0)
            cases = cell["cases"] if cell else 0
            average = Decimal(cases) / workers if workers else None
            entry = {
                "week": week,
                "week_end": week + dt.timedelta(days=6),
                "team": None if name == ALL_TEAMS else name,
                "series": name,
                "workers": workers,
                "fte": fte_total,
                "cases": cases,
                "average_caseload": average,
                "caseload_per_fte": rates.caseload(cases=cases, case_holders_fte=fte_total),
                "highest_caseload": cell["highest"] if cell else None,
                "lowest_caseload": cell["lowest"] if cell else None,
                "headcount_change": None,
                "fte_change": None,
                "trailing_2_week_average": None,
                "direction": None,
            }
            if previous is not None:
                entry["headcount_change"] = workers - previous["workers"]
                entry["fte_change"] = fte_total - previous["fte"]
                before = previous["average_caseload"]
                if average is not None and before is not None:
                    entry["trailing_2_week_average"] = (average + before) / 2
                    entry["direction"] = _direction(average - before)
            by_series.setdefault(name, []).append(entry)
            previous = entry
    for index, _week in enumerate(weeks):
        for name in series_names:
            report.append(by_series[name][index])
    return report


def _direction(change: Decimal) -> str:
    shown = change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown > 0:
        return "up"
    if shown < 0:
        return "down"
    return "flat"
