"""The Exits page: why social workers leave (the themes leavers gave) and exit
interview coverage."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from .. import charts, selectors
from ..kpis import REGISTRY, Scope
from ..kpis.registry import chart_kpis
from .base import DashboardView
from .figures import HIDDEN_TEXT, Chart, date_label, month_end_chart, to_float

EXIT_COVERAGE = chart_kpis("exit-interview-coverage")


def exits_page(*, as_of: dt.date, scope: Scope, years: int, limit: int, suppress: bool) -> dict:
    """The themes leavers gave in the 12 months to ``as_of`` and exit interview coverage
    over ``years``."""
    year_start = as_of - relativedelta(years=1) + dt.timedelta(days=1)
    themes = selectors.exit_themes(
        start=year_start, end=as_of, scope=scope, suppress=suppress, limit=limit
    )
    theme_rows = [
        [row["theme"], HIDDEN_TEXT if row["count"] is None else f"{row['count']:,}"]
        for row in themes["themes"]
    ]
    import pandas as pd  # imported when used: it adds a second to every command's start

    theme_frame = pd.DataFrame(
        {  # a hidden count has no bar: its label says so, or it would read as none
            "theme": [
                row["theme"] if row["count"] is not None else f"{row['theme']} (hidden)"
                for row in themes["themes"]
            ],
            "count": [to_float(row["count"]) for row in themes["themes"]],
        }
    )
    start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
    coverage = [key for key in EXIT_COVERAGE if key in REGISTRY]
    rows = selectors.dashboard_series(
        scope=str(scope),
        keys=coverage,
        start=start,
        end=as_of,
        suppress=suppress,
        limit=limit,
    )
    charts_ = [
        Chart(
            slug="exit-themes",
            title="Why leavers left: themes in the 12 months to the date",
            summary=_themes_summary(themes, as_of=as_of, scope=scope, limit=limit),
            columns=["Theme", "Leavers who gave it"],
            rows=theme_rows,
            figure=lambda: charts.horizontal_bar_chart(
                theme_frame,
                category="theme",
                value="count",
                title="Themes leavers gave",
                x_title="Leavers",
                notes=[HIDDEN_TEXT if row["count"] is None else "" for row in themes["themes"]],
            ),
        ),
        month_end_chart(
            slug="exit-interview-coverage",
            title="Exit interview coverage, 12 months to each month end",
            rows=rows,
            keys=coverage,
            summary_key=EXIT_COVERAGE[0],
            what="exit interview",
            chart_title="Exit interview coverage",
            y_title="Percent",
            percent=True,
        ),
    ]
    return {"charts": charts_, "whole_service": themes["whole_service"]}


class ExitsView(DashboardView):
    """Why social workers leave: the themes leavers gave in the 12 months to the chosen
    date (read live from the exit questionnaires, so their version is in the cache key)
    and exit interview coverage at each month end, from the exits KPI family's stored
    figures. The exits analysis page has every breakdown."""

    page_name = "exits"
    page_title = "Exits"

    def cache_parts(self) -> list[str]:
        return [selectors.exits_version()]

    def build(self, *, as_of, scope, years, limit):
        return exits_page(
            as_of=as_of, scope=scope, years=years, limit=limit, suppress=self.suppress
        )


def _themes_summary(themes: dict, *, as_of: dt.date, scope: Scope, limit: int) -> str:
    """ "12 leavers answered ...; the reasons given most: Workload (7), ..." """
    where = "the whole service" if themes["whole_service"] else scope.label
    period = f"in the 12 months to {date_label(as_of)} ({where})"
    answered = themes["answered"]
    if answered is None:
        return (
            f"Fewer than {limit} leavers answered the exit questionnaire {period}: "
            "their reasons are hidden."
        )
    if not answered:
        return f"No leaver answered the exit questionnaire {period}."
    top = [row for row in themes["themes"] if row["count"]][:3]
    most = ", ".join(f"{row['theme']} ({row['count']:,})" for row in top)
    return f"{answered:,} leavers answered the exit questionnaire {period}" + (
        f"; the reasons given most: {most}." if most else "."
    )
