"""The Caseloads page: the weekly caseload report (Buckinghamshire recommendation 18)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from workforce import disclosure

from .. import charts, selectors
from ..kpis import Scope, caseload_report
from ..kpis.caseload_report import latest_complete_week, teams_entered_label
from .base import DashboardView
from .figures import (
    NOT_AVAILABLE,
    NOT_ENTERED,
    ONE_PERSON_TEXT,
    Chart,
    date_label,
    number,
    to_float,
)

CASELOAD_WEEKS = 13


ARROWS = {"up": ("↑", "up"), "down": ("↓", "down"), "flat": ("→", "no change")}


def caseloads_page(
    *,
    as_of: dt.date,
    scope: Scope,
    limit: int,
    suppress: bool,
    audience: disclosure.Audience,
    latest: bool = False,
) -> dict:
    """The weekly caseload report for the 13 weeks to ``as_of`` (to this week when
    ``as_of`` is the ``latest`` month end with figures), the disclosure rule applied for
    ``audience`` when ``suppress``: the overall chart, its summary and the team table."""
    end = as_of
    if latest:  # the latest figures: up to this week
        end = max(as_of, timezone.localdate())
    start = end - dt.timedelta(weeks=CASELOAD_WEEKS - 1)
    report = caseload_report(start=start, end=end, scope=scope)
    weeks = sorted({entry["week"] for entry in report})
    if suppress:  # the disclosure rule, as the API applies it
        report = selectors.caseload_report_disclosed(report, audience=audience, scope=scope)
    hidden = {(e["series"], e["week"]): e["hidden"] for e in report if e.get("hidden")}
    overall = [e for e in report if e["team"] is None]
    # the teams of the latest week with any entries, those yet to enter saying so
    entered_weeks = [e["week"] for e in overall if e["entered"]]
    last_week = entered_weeks[-1] if entered_weeks else (weeks[-1] if weeks else None)
    team_rows = [
        e
        for e in report
        if e["team"] is not None and e["week"] == last_week and e["teams_expected"]
    ]

    def value(entry, key):
        return None if (entry["series"], entry["week"]) in hidden else entry[key]

    def complete(entry, key):
        return value(entry, key) if entry["complete"] else None

    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "week": [e["week"] for e in overall],
            # only complete weeks are drawn: a half-entered week is not a dip
            "average": [to_float(complete(e, "average_caseload")) for e in overall],
            "highest": [to_float(complete(e, "highest_caseload")) for e in overall],
            "lowest": [to_float(complete(e, "lowest_caseload")) for e in overall],
            "trailing": [to_float(complete(e, "trailing_2_week_average")) for e in overall],
        }
    )
    overall_rows = [
        _row(e, hidden, suppress=suppress, label=date_label(e["week"])) + [teams_entered_label(e)]
        for e in overall
    ]
    headline = latest_complete_week(report)
    if headline is not None and value(headline, "average_caseload") is not None:
        last = headline
        summary = (
            f"In the week of {date_label(last['week'])} the average caseload was "
            f"{number(last['average_caseload'])} cases per social worker"
            + (f", {ARROWS[last['direction']][1]} on the week before" if last["direction"] else "")
            + "."
        )
    elif overall and any(e["entered"] for e in overall):
        summary = "No week in this period has caseloads from every case-holding team."
    else:
        summary = "No caseloads were recorded in these weeks for this scope."
    if overall and not overall[-1]["complete"] and overall[-1]["teams_expected"]:
        summary += (
            f" Week beginning {date_label(overall[-1]['week'])}: "
            f"{teams_entered_label(overall[-1])} have entered caseloads so far, so its "
            "figures are not in the headline or the chart."
        )
    columns = [
        "Average caseload",
        "Highest",
        "Lowest",
        "2-week trailing average",
        "Direction",
        "Social workers (FTE)",
        "FTE change",
    ]
    return {
        "charts": [
            Chart(
                slug="weekly-caseloads",
                title=f"Weekly caseloads: {scope.label}",
                summary=summary,
                columns=["Week beginning"] + columns + ["Teams entered"],
                rows=overall_rows,
                figure=lambda: charts.caseload_band_chart(
                    frame, title="Average caseload per social worker, with highest and lowest"
                ),
            ),
        ],
        "report_end": end,
        "team_table": {
            "week": last_week,
            "caption": f"Caseloads by team, week beginning {last_week:%-d %B %Y}"
            if last_week
            else "",
            "entered": next(
                (teams_entered_label(e) for e in overall if e["week"] == last_week), ""
            ),
            "columns": ["Team"] + columns,
            "rows": [_row(e, hidden, suppress=suppress, label=e["team"]) for e in team_rows],
        },
    }


class CaseloadsView(DashboardView):
    """The weekly caseload report (Buckinghamshire recommendation 18) for the 13 weeks to
    the chosen date: per team, average with highest and lowest, the 2-week trailing
    average, direction of movement and the change in the team's FTE."""

    page_name = "caseloads"
    page_title = "Caseloads"

    def build(self, *, as_of, scope, years, limit):
        month_ends = self.state()["form_choices"]["month_ends"]
        return caseloads_page(
            as_of=as_of,
            scope=scope,
            limit=limit,
            suppress=self.suppress,
            audience=self.audience(),
            latest=bool(month_ends) and as_of == month_ends[0],
        )


def _row(entry: dict, hidden: dict, *, suppress: bool, label: str) -> list[str]:
    if not entry["entered"]:
        return [label] + [NOT_ENTERED] * 7
    reason = hidden.get((entry["series"], entry["week"]))
    if reason:
        return [label] + [reason] * 7
    one_person = ONE_PERSON_TEXT if suppress else NOT_AVAILABLE
    direction = entry["direction"]
    arrow = f"{ARROWS[direction][0]} {ARROWS[direction][1]}" if direction else NOT_AVAILABLE
    change = entry["fte_change"]
    return [
        label,
        number(entry["average_caseload"]),
        number(entry["highest_caseload"], 0)
        if entry["highest_caseload"] is not None
        else one_person,
        number(entry["lowest_caseload"], 0) if entry["lowest_caseload"] is not None else one_person,
        number(entry["trailing_2_week_average"]),
        arrow,
        number(entry["fte"]),
        NOT_AVAILABLE if change is None else f"{'+' if change > 0 else ''}{number(change)}",
    ]
