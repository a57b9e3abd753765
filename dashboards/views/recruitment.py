"""The Recruitment page: the funnel in the 12 months to the date and the time to hire at
each month end, from the recruitment KPI family's stored figures."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from .. import charts, selectors
from ..kpis import REGISTRY, Scope
from ..kpis.registry import chart_kpis
from .base import DashboardView
from .figures import HIDDEN_TEXT, NOT_AVAILABLE, Chart, date_label, month_end_chart, show, to_float

#: The charts' KPIs, from the registry (each KPI's ``charts``).
FUNNEL = chart_kpis("recruitment-funnel")
TIME_TO_HIRE = chart_kpis("time-to-hire")


def recruitment_page(
    *, as_of: dt.date, scope: Scope, years: int, limit: int, suppress: bool
) -> dict:
    """The funnel in the 12 months to ``as_of`` and the time to hire over ``years``."""
    start = as_of.replace(day=1) - relativedelta(years=years) + relativedelta(months=1)
    keys = [key for key in FUNNEL + TIME_TO_HIRE if key in REGISTRY]
    rows = selectors.dashboard_series(
        scope=str(scope),
        keys=[*keys, "time_to_hire_offers", "time_to_hire_starts"],
        start=start,
        end=as_of,
        suppress=suppress,
        limit=limit,
    )
    latest = rows[-1] if rows and rows[-1]["date"] == as_of else None
    funnel = [key for key in FUNNEL if key in REGISTRY]
    stages = [
        [
            REGISTRY[key].label,
            show(
                key,
                latest.get(key) if latest else None,
                hidden=bool(latest) and (key in latest["hidden"]),
            ),
        ]
        for key in funnel
    ]
    funnel_hidden = [bool(latest) and key in latest["hidden"] for key in funnel]
    import pandas as pd  # imported when used: it adds a second to every command's start

    funnel_frame = pd.DataFrame(
        {  # a hidden stage has no bar: its label says so, or it would read as none
            "stage": [
                f"{REGISTRY[key].label} (hidden)" if hidden else REGISTRY[key].label
                for key, hidden in zip(funnel, funnel_hidden, strict=True)
            ],
            "count": [to_float(latest.get(key)) if latest else None for key in funnel],
        }
    )
    funnel_notes = [HIDDEN_TEXT if hidden else charts.NO_FIGURE for hidden in funnel_hidden]
    hire = [key for key in TIME_TO_HIRE if key in REGISTRY]
    # Medians of a handful of hires describe a few people: hidden with their counts.
    for row in rows:
        small = any(
            row.get(count) is not None and 0 < row[count] < limit
            for count in ("time_to_hire_offers", "time_to_hire_starts")
        )
        if suppress and small:
            for key in hire:
                row[key] = None
                row["hidden"].add(key)
    applications = stages[0][1] if stages else NOT_AVAILABLE
    started = stages[-1][1] if stages else NOT_AVAILABLE
    charts_ = [
        Chart(
            slug="recruitment-funnel",
            title="Recruitment funnel, 12 months to the date",
            summary=f"In the 12 months to {date_label(as_of)}: {applications} "
            f"applications, {started} recruited starters.",
            columns=["Stage", "Applicants"],
            rows=stages,
            figure=lambda: charts.horizontal_bar_chart(
                funnel_frame,
                category="stage",
                value="count",
                title="Recruitment funnel",
                x_title="Applicants",
                notes=funnel_notes,
            ),
        ),
        month_end_chart(
            slug="time-to-hire",
            title="Time to hire at each month end (median days, 12 months to the date)",
            rows=rows,
            keys=hire,
            summary_key=TIME_TO_HIRE[-1],
            what="time to hire",
            chart_title="Time to hire (median days)",
            y_title="Days",
        ),
    ]
    return {"charts": charts_}


class RecruitmentView(DashboardView):
    """The recruitment funnel in the 12 months to the chosen date and the time to hire
    at each month end, from the recruitment KPI family's stored figures."""

    page_name = "recruitment"
    page_title = "Recruitment"

    def build(self, *, as_of, scope, years, limit):
        return recruitment_page(
            as_of=as_of, scope=scope, years=years, limit=limit, suppress=self.suppress
        )
