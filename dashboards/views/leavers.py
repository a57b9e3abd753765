"""The Leavers page: leavers in the 12 months to the date by DfE reason, destination
and length of service, leaving within 1, 2 and 3 years, and ASYE cohort retention."""

from __future__ import annotations

import datetime as dt

from core import numbers
from workforce import suppression

from .. import charts, selectors
from ..kpis import Scope, leavers_breakdown
from .base import DashboardView
from .figures import HIDDEN_TEXT, NOT_AVAILABLE, Chart, date_label, number, pct, to_float


def leavers_page(*, as_of: dt.date, scope: Scope, years: int, limit: int, suppress: bool) -> dict:
    start = selectors.leavers_period_start(as_of=as_of)
    breakdown = leavers_breakdown(start=start, end=as_of, scope=scope)
    period = f"{date_label(start)} to {date_label(as_of)}"
    suppress_limit = limit if suppress else 0
    charts_ = [
        _counts_chart(
            slug="leavers-by-reason",
            title="Leavers by reason for leaving (DfE)",
            entries=breakdown["by_reason"],
            period=period,
            limit=suppress_limit,
        ),
        _counts_chart(
            slug="leavers-by-destination",
            title="Leavers by destination (DfE)",
            entries=breakdown["by_destination"],
            period=period,
            limit=suppress_limit,
        ),
        _counts_chart(
            slug="leavers-by-length-of-service",
            title="Leavers by length of service",
            entries=breakdown["by_length_of_service"],
            period=period,
            limit=suppress_limit,
            keep_order=True,
        ),
        _within_years_chart(breakdown, period=period, limit=suppress_limit),
        _asye_chart(scope=scope, as_of=as_of, limit=limit if suppress else None),
    ]
    return {"charts": charts_, "period": period}


class LeaversView(DashboardView):
    """Leavers in the 12 months to the chosen date by DfE reason, destination and length
    of service (Kent's analysis), leaving within 1, 2 and 3 years, and ASYE cohort
    retention."""

    page_name = "leavers"
    page_title = "Leavers"

    def build(self, *, as_of, scope, years, limit):
        return leavers_page(
            as_of=as_of, scope=scope, years=years, limit=limit, suppress=self.suppress
        )


def _cells(entries: list[dict], limit: int):
    counts = {index: entry["count"] for index, entry in enumerate(entries)}
    if not limit:
        cells = {i: suppression.Cell(c, 0) for i, c in counts.items()}
        return cells, suppression.Cell(sum(counts.values()), 0)
    return suppression.suppress_counts(counts, limit=limit)


def _counts_chart(*, slug, title, entries, period, limit, keep_order=False) -> Chart:
    cells, total = _cells(entries, limit)
    order = list(range(len(entries)))
    if not keep_order:
        order.sort(key=lambda i: -(cells[i].value or 0))
    rows, labels, values, notes = [], [], [], []
    for i in order:
        entry, cell = entries[i], cells[i]
        share = cell.rate_of(total)
        rows.append(
            [
                entry["label"],
                str(cell),
                HIDDEN_TEXT if cell.suppressed else number(entry["fte"]),
                HIDDEN_TEXT if cell.suppressed else pct(share),
            ]
        )
        # A hidden group has no bar: its label says so, or it would read as none.
        labels.append(f"{entry['label']} (hidden)" if cell.suppressed else entry["label"])
        values.append(to_float(share) if share is not None else None)
        notes.append(str(cell) if cell.suppressed else charts.NO_FIGURE)
    rows.append(
        [
            "All leavers",
            str(total),
            number(sum(e["fte"] for e in entries)) if not total.suppressed else HIDDEN_TEXT,
            "100.0%" if total.value else NOT_AVAILABLE,
        ]
    )
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame({"label": labels, "share": values})
    visible = [i for i in order if cells[i].value]
    if visible and total.value:
        top = max(visible, key=lambda i: cells[i].value)
        summary = (
            f"{period}: {total} leavers; the largest group was {entries[top]['label']} "
            f"({pct(cells[top].rate_of(total))})."
        )
    else:
        summary = f"{period}: {total} leavers."
    return Chart(
        slug=slug,
        title=title,
        summary=summary,
        columns=["Group", "Leavers", "FTE", "Share of leavers"],
        rows=rows,
        figure=lambda: charts.horizontal_bar_chart(
            frame,
            category="label",
            value="share",
            title=title,
            x_title="Share of leavers (%)",
            notes=notes,
        ),
    )


def _within_years_chart(breakdown, *, period, limit) -> Chart:
    bands = breakdown["by_length_of_service"]
    cells, total = _cells(bands, limit)
    rows, labels, values = [], [], []
    for years in (1, 2, 3):
        parts = [cells[i] for i in range(years)]
        if any(cell.suppressed for cell in parts) or total.suppressed:
            count, share = None, None
        else:
            count = sum(cell.value for cell in parts)
            share = numbers.share(count, total.value)
        label = f"Within {years} year{'s' if years > 1 else ''} of starting"
        rows.append(
            [
                label,
                HIDDEN_TEXT if count is None else f"{count:,}",
                HIDDEN_TEXT if count is None else pct(share),
            ]
        )
        labels.append(f"{label} (hidden)" if count is None else label)
        values.append(to_float(share))
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame({"label": labels, "share": values})
    notes = [HIDDEN_TEXT if value is None else charts.NO_FIGURE for value in values]
    shown = [row for row in rows if row[2] != HIDDEN_TEXT]
    summary = (
        f"{period}: {shown[-1][2]} of leavers left {shown[-1][0].lower()}."
        if shown and total.value
        else f"{period}: no leavers to show."
    )
    return Chart(
        slug="leavers-within-years",
        title="Leavers who left within 1, 2 and 3 years",
        summary=summary,
        columns=["Left", "Leavers", "Share of leavers"],
        rows=rows,
        figure=lambda: charts.horizontal_bar_chart(
            frame,
            category="label",
            value="share",
            title="Leavers who left within 1, 2 and 3 years",
            x_title="Share of leavers (%)",
            notes=notes if total.value else None,
        ),
    )


def _asye_chart(*, scope, as_of, limit) -> Chart:
    cohorts = selectors.asye_cohort_retention(scope=scope, as_of=as_of, limit=limit)

    def shown(entry, years):
        if not entry[f"retained_{years}_due"]:
            return "not yet"
        if entry[f"retained_{years}"] is None:
            return HIDDEN_TEXT
        return f"{entry[f'retained_{years}']:,} ({pct(entry[f'retained_{years}_share'])})"

    rows = [
        [entry["cohort"], str(suppression.Cell(entry["started"], limit or 0))]
        + [shown(entry, years) for years in (1, 2, 3)]
        for entry in cohorts
    ]
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "cohort": [e["cohort"] for e in cohorts],
            **{
                f"after_{y}": [to_float(e[f"retained_{y}_share"]) for e in cohorts]
                for y in (1, 2, 3)
            },
        }
    )
    # A cohort's missing bar says why: not yet due, or hidden (never an empty bar).
    notes = {
        f"after_{y}": [
            "not yet"
            if not e[f"retained_{y}_due"]
            else (HIDDEN_TEXT if e[f"retained_{y}"] is None else charts.NO_FIGURE)
            for e in cohorts
        ]
        for y in (1, 2, 3)
    }
    complete = [e for e in cohorts if e["retained_1_share"] is not None]
    summary = (
        f"Of the {complete[-1]['cohort']} ASYE cohort, {pct(complete[-1]['retained_1_share'])}"
        " were still employed a year after they started."
        if complete
        else "No ASYE cohort has reached its first anniversary in this scope."
    )
    return Chart(
        slug="asye-retention",
        title="ASYE cohort retention",
        summary=summary,
        columns=[
            "Cohort (reporting year started)",
            "Started",
            "Still employed after 1 year",
            "After 2 years",
            "After 3 years",
        ],
        rows=rows,
        figure=lambda: charts.bar_chart(
            frame,
            x="cohort",
            series={
                "after_1": "After 1 year",
                "after_2": "After 2 years",
                "after_3": "After 3 years",
            },
            title="ASYE cohorts still employed",
            y_title="Percent of cohort",
            percent=True,
            notes=notes,
        ),
    )
