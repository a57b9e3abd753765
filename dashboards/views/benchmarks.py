"""The Benchmarks page: the council against England, its region and its comparator
group from DfE's published figures."""

from __future__ import annotations

from .. import charts, selectors
from .base import DashboardView
from .figures import NOT_AVAILABLE, Chart, number, pct, to_float


def benchmarks_page(*, limit: int, suppress: bool) -> dict:
    """A chart per DfE measure: the council's published and own figures against its
    region, England and its comparator group, per year, with its ranks."""
    comparison = selectors.benchmark_comparison(suppress=suppress, limit=limit)
    group = comparison["group"]
    group_label = f"{group.name} (median)" if group else None
    council = comparison["council"]
    council_label = council.name if council else "The council"
    charts_ = []
    for measure in comparison["measures"]:
        rows = measure["rows"]
        if not rows:
            continue
        percent = measure["unit"] == "%"
        fmt = pct if percent else number
        series = {
            "council": f"{council_label} (DfE)",
            "own": f"{council_label} (own figures)",
            "region": comparison["region"] or "Region",
            "england": "England",
        }
        if group_label:
            series["group_median"] = group_label
        import pandas as pd  # imported when used: it adds a second to every command's start

        frame = pd.DataFrame(
            {
                "year": [r["year"] for r in rows],
                **{key: [to_float(r[key]) for r in rows] for key in series},
            }
        )
        table = [
            [
                f"{r['year'] - 1}-{str(r['year'])[-2:]}",
                fmt(r["council"])
                if r["council"] is not None
                else (
                    f"{NOT_AVAILABLE} ({r['council_symbol']})"
                    if r["council_symbol"]
                    else NOT_AVAILABLE
                ),
                fmt(r["own"]) if r["own"] is not None else (r["own_note"] or NOT_AVAILABLE),
                fmt(r["region"]),
                fmt(r["england"]),
                fmt(r["group_median"]),
                f"{r['rank']} of {r['councils_ranked']}" if r["rank"] else NOT_AVAILABLE,
                f"{r['group_rank']} of {r['group_size']}" if r["group_rank"] else NOT_AVAILABLE,
            ]
            for r in rows
        ]
        latest = next((r for r in reversed(rows) if r["council"] is not None), None)
        if latest:
            summary = (
                f"In {latest['year']}, {council_label}'s {measure['label'].lower()} was "
                f"{fmt(latest['council'])} against {fmt(latest['england'])} for England; "
                f"ranked {latest['rank']} of {latest['councils_ranked']} councils "
                "(1 = lowest)."
            )
        else:
            summary = f"DfE publishes no {measure['label'].lower()} for {council_label}."
        charts_.append(
            Chart(
                slug=f"benchmark-{measure['measure'].replace('_', '-')}",
                title=measure["label"],
                summary=summary,
                columns=[
                    "Year (to 30 September)",
                    f"{council_label} (DfE)",
                    f"{council_label} (own figures)",
                    comparison["region"] or "Region",
                    "England",
                    group_label or "Comparator group",
                    "Rank among councils",
                    "Rank in group",
                ],
                rows=table,
                figure=lambda frame=frame, series=series, measure=measure, percent=percent: (
                    charts.benchmark_chart(
                        frame,
                        title=measure["label"],
                        series=series,
                        y_title="Percent" if percent else measure["unit"],
                    )
                ),
            )
        )
    return {"charts": charts_, "comparison": comparison}


class BenchmarksView(DashboardView):
    """The council against England, its region and its comparator group from DfE's
    published figures, per measure and year, with its rank, and its own census-date
    figures beside DfE's."""

    page_name = "benchmarks"
    page_title = "Benchmarks"

    def build(self, *, as_of, scope, years, limit):
        return benchmarks_page(limit=limit, suppress=self.suppress)
