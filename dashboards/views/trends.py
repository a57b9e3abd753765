"""The Trends page: monthly permanence, agency and vacancy rates, the rolling 12-month
turnover and starters against leavers, with the targets."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from .. import charts, selectors
from ..kpis import REGISTRY, Scope, kpi_targets
from ..kpis.registry import chart_kpis
from .base import DashboardView
from .figures import Chart, date_label, latest_summary, number, show, to_float


def trends_page(*, as_of: dt.date, scope: Scope, years: int, limit: int, suppress: bool) -> dict:
    """The rates, turnover and starters/leavers charts over ``years`` to ``as_of``, with
    the targets."""
    start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
    rates = list(chart_kpis("workforce-rates"))
    keys = [*rates, *chart_kpis("turnover"), *chart_kpis("starters-leavers")]
    rows = selectors.dashboard_series(
        scope=str(scope),
        keys=keys,
        start=start,
        end=as_of,
        suppress=suppress,
        limit=limit,
    )
    targets = kpi_targets()
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "date": [row["date"] for row in rows],
            **{key: [to_float(row[key]) for row in rows] for key in keys},
        }
    )

    def table(columns: list[str]) -> list[list[str]]:
        return [
            [date_label(row["date"])]
            + [
                show(key, row[key], hidden=key in row["hidden"], gap=row["gaps"].get(key))
                for key in columns
            ]
            for row in rows
        ]

    def target(key: str) -> float | None:
        return float(targets[key].target_value) if key in targets else None

    permanence_target = target("permanence_rate")
    summary = latest_summary(rows, "permanence_rate", what="permanence")
    if permanence_target is not None:
        summary += f" The target is {number(permanence_target)}%."
    charts_ = [
        Chart(
            slug="workforce-rates",
            title="Permanence, agency and vacancy rates at each month end",
            summary=summary,
            columns=["Month end"] + [REGISTRY[key].label for key in rates],
            rows=table(rates),
            figure=lambda: charts.line_chart(
                frame,
                x="date",
                series={key: REGISTRY[key].label for key in rates},
                title="Permanence, agency and vacancy rates",
                y_title="Percent",
                target=permanence_target,
                target_label="Permanence target",
                percent=True,
            ),
        ),
        Chart(
            slug="turnover",
            title="Turnover rate, rolling 12 months",
            summary=latest_summary(rows, "turnover_rate", what="turnover"),
            columns=["Month end", REGISTRY["turnover_rate"].label],
            rows=table(["turnover_rate"]),
            figure=lambda: charts.line_chart(
                frame,
                x="date",
                series={"turnover_rate": "Turnover rate (12 months)"},
                title="Turnover rate, rolling 12 months",
                y_title="Percent",
                target=target("turnover_rate"),
                target_label="Turnover target",
                percent=True,
            ),
        ),
        Chart(
            slug="starters-leavers",
            title="Starters and leavers in the 12 months to each month end (FTE)",
            summary=_starters_leavers_summary(rows),
            columns=["Month end", "Starters (FTE)", "Leavers (FTE)"],
            rows=table(["starters_fte", "leavers_fte"]),
            figure=lambda: charts.line_chart(
                frame,
                x="date",
                series={"starters_fte": "Starters (FTE)", "leavers_fte": "Leavers (FTE)"},
                title="Starters and leavers, rolling 12 months",
                y_title="FTE",
            ),
        ),
    ]
    return {"charts": charts_}


class TrendsView(DashboardView):
    """Monthly permanence, agency and vacancy rates, the rolling 12-month turnover and
    starters against leavers, with the targets."""

    page_name = "trends"
    page_title = "Trends"

    def build(self, *, as_of, scope, years, limit):
        return trends_page(
            as_of=as_of, scope=scope, years=years, limit=limit, suppress=self.suppress
        )


def _starters_leavers_summary(rows: list[dict]) -> str:
    shown = [
        r for r in rows if r.get("starters_fte") is not None and r.get("leavers_fte") is not None
    ]
    if not shown:
        return "No starters and leavers figures to show for this period and scope."
    last = shown[-1]
    starters, leavers = last["starters_fte"], last["leavers_fte"]
    net = (
        "more starters than leavers"
        if starters > leavers
        else ("more leavers than starters" if leavers > starters else "as many starters as leavers")
    )
    return (
        f"In the 12 months to {date_label(last['date'])}: {number(starters)} FTE started "
        f"and {number(leavers)} FTE left ({net})."
    )
