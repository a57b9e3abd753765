"""Bench case: a full committee report pack on the large synthetic council.

Every section, every format (Word, PDF, Excel, CSV zip) and the chart images, for the
12 months to the benchmark date, in memory, as the background task builds it
(``dashboards.reports.services.report_files_render``). No SQL floor: the time is mostly
rendering. Goal (issue 8): under 15 s.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.measure import repeat

GOAL_SECONDS = 15.0


def report_case(*, runs: int, as_of: dt.date, tmp: str) -> list:
    from benchmarks.cases import Row
    from dashboards.kpis import Scope
    from dashboards.reports import builder
    from dashboards.reports.services import report_files_render

    start = dt.date(as_of.year - 1, as_of.month, as_of.day) + dt.timedelta(days=1)

    def build() -> None:
        rendered = report_files_render(
            start=start, end=as_of, scope=Scope("all"), sections=list(builder.SECTIONS)
        )
        if not all(rendered.files.values()):
            raise RuntimeError("a format came out empty")

    timing = repeat("report", build, runs=max(1, min(runs, 3)))
    return [
        Row(
            case="report pack: all sections, Word + PDF + Excel + CSV, charts",
            product=timing,
            floor=None,
            goal="under 15 s",
            goal_seconds=GOAL_SECONDS,
            ok=timing.median <= GOAL_SECONDS,
        )
    ]
