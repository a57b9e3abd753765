"""What every dashboard page shows its figures with: a ``Chart`` (the figure, a one-line
summary, its data as a table and as CSV), the texts shown in place of a hidden or missing
figure, and the formatting of numbers, percentages and dates. No request, no ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import charts
from ..kpis import REGISTRY

HIDDEN_TEXT = "hidden (small numbers)"
#: Highest and lowest caseloads are one person's figure: never shown to councillors.
ONE_PERSON_TEXT = "hidden (one person's figure)"
NOT_AVAILABLE = "not available"
NOT_ENTERED = "not entered"


@dataclass
class Chart:
    """A chart on a dashboard with what makes it usable without seeing it: a one-line
    summary, its data as a table (shown in a GOV.UK details) and as CSV."""

    slug: str
    title: str
    summary: str
    columns: list[str]
    rows: list[list[str]]
    figure: Callable[[], object] | None = None
    html: str = ""
    block: str = ""  # the whole section as HTML (includes/chart.html), rendered once

    def render(self) -> Chart:
        """Draw the figure once (and drop its builder, so the chart can be cached)."""
        if self.figure is not None and not self.html:
            self.html = charts.chart_html(self.figure(), div_id=f"chart-{self.slug}")
        self.figure = None
        return self


def show(key: str, value, *, hidden: bool = False, gap: str | None = None) -> str:
    if gap:
        return gap  # "no figure: ..." with the reason, never a zero
    if hidden:
        return HIDDEN_TEXT
    if key in REGISTRY:
        return REGISTRY[key].display(value)
    return NOT_AVAILABLE if value is None else str(value)


def number(value, places: int = 1) -> str:
    if value is None:
        return NOT_AVAILABLE
    quantum = Decimal(1).scaleb(-places)
    return f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):,}"


def pct(value) -> str:
    return NOT_AVAILABLE if value is None else f"{number(value)}%"


def to_float(value) -> float | None:
    return None if value is None else float(value)


def date_label(date: dt.date) -> str:
    return date.strftime("%-d %b %Y")


def latest_summary(rows: list[dict], key: str, *, what: str) -> str:
    """ "Permanence rate was 84.1% on 30 Sep 2025 (82.0% a year earlier)." """
    shown = [row for row in rows if row.get(key) is not None]
    if not shown:
        return f"No {what} figures to show for this period and scope."
    last, first = shown[-1], shown[0]
    return (
        f"{REGISTRY[key].label} was {show(key, last[key])} on {date_label(last['date'])}, "
        f"from {show(key, first[key])} on {date_label(first['date'])}."
    )


def month_end_chart(
    *,
    slug: str,
    title: str,
    rows: list[dict],
    keys: list[str],
    summary_key: str,
    what: str,
    chart_title: str,
    y_title: str,
    percent: bool = False,
) -> Chart:
    """A line per KPI of ``keys`` over the month ends of ``rows`` (``dashboard_series``),
    its table (a hidden figure says so) and a one-line summary of ``summary_key``."""
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "date": [row["date"] for row in rows],
            **{key: [to_float(row[key]) for row in rows] for key in keys},
        }
    )
    return Chart(
        slug=slug,
        title=title,
        summary=latest_summary(rows, summary_key, what=what),
        columns=["Month end"] + [REGISTRY[key].label for key in keys],
        rows=[
            [date_label(row["date"])]
            + [
                show(key, row[key], hidden=key in row["hidden"], gap=row["gaps"].get(key))
                for key in keys
            ]
            for row in rows
        ],
        figure=lambda: charts.line_chart(
            frame,
            x="date",
            series={key: REGISTRY[key].label for key in keys},
            title=chart_title,
            y_title=y_title,
            percent=percent,
        ),
    )
