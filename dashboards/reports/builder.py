"""Gather a report pack's data once, into a plain structure the renderers share.

A pack is a list of ``Section``s, each with paragraphs, ``Table``s (title, columns, rows of
plain values: str, int, Decimal, date or None) and optional charts (Plotly figures, the same
ones the dashboards draw, rendered to PNG by ``chart_png``). Only aggregates appear and
only quotes approved for publication are quoted; no person is named.

What the pack shows follows its ``audience`` (``workforce.disclosure``): a pack for
publication (the default) hides what councillors may not see - a count of fewer than 5
people, a figure worked out from one, a cell that would reveal one - as a ``Withheld``
value (its label in the Word and PDF tables, DfE's symbol ``c`` with a key in the
workbook and CSV files); a pack not for publication shows the figures as they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from dashboards import charts
from dashboards.kpis import REGISTRY, Scope, compute_kpis, kpi_targets, leavers_breakdown, rag
from dashboards.kpis.registry import report_section_kpis
from dashboards.selectors import HEADLINE_KPIS, figure_hidden, leavers_breakdown_disclosed
from workforce import disclosure

#: Every section a director may choose, in the order of the paper.
SECTIONS = {
    "summary": "Summary of headline figures",
    "workforce": "Workforce",
    "leavers": "Leavers",
    "recruitment": "Recruitment",
    "exit_themes": "Exit interview themes",
    "recommendations": "Recommendations tracker",
    "benchmarks": "Benchmarks",
    "appendix": "Data appendix",
}

#: The workforce section's measures (each KPI's ``report_sections``).
WORKFORCE_KPIS = report_section_kpis("workforce")


@dataclass(frozen=True)
class Withheld:
    """A figure the pack's audience may not see: its label in documents ("fewer than 5",
    "hidden to protect another figure"), DfE's symbol ``c`` in files."""

    reason: str
    limit: int

    def __str__(self) -> str:
        return disclosure.hidden_text(self.reason, self.limit)

    symbol = disclosure.SYMBOL


def _withheld(audience: disclosure.Audience, reason: str = disclosure.PRIMARY) -> Withheld:
    return Withheld(reason, audience.limit)


def _cell_value(cell: disclosure.Cell, audience: disclosure.Audience):
    return cell.value if cell.value is not None else _withheld(audience, cell.reason)


class SectionError(Exception):
    """A section could not be built; the message names the section."""


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    sheet: str = ""  # the workbook sheet's name (31 characters at most)


@dataclass
class Chart:
    title: str
    alt_text: str
    figure: object  # plotly.graph_objects.Figure
    png: bytes = b""


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    quote_sources: list[int] = field(default_factory=list)  # exit record ids (retention)


@dataclass
class PackData:
    title: str
    start: dt.date
    end: dt.date
    scope: Scope
    meeting: str
    purpose: str
    sections: list[Section]
    audience: disclosure.Audience = field(default_factory=disclosure.Audience.public)

    @property
    def suppressed(self) -> bool:
        return self.audience.suppressed(self.scope)

    @property
    def period_label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    def tables(self) -> list[Table]:
        return [table for section in self.sections for table in section.tables]

    def quote_sources(self) -> list[int]:
        """The exit records whose quotes the pack prints."""
        return sorted({pk for section in self.sections for pk in section.quote_sources})


def _hidden(pack: PackData, key: str, values: dict) -> bool:
    return (
        pack.suppressed
        and values.get(key) is not None
        and figure_hidden(key, values, limit=pack.audience.limit)
    )


def _kpi_rows(pack: PackData, keys, values: dict, targets: dict) -> list[list]:
    rows = []
    for key in keys:
        if key not in values or key not in REGISTRY:
            continue
        definition = REGISTRY[key]
        target = targets.get(key)
        hidden = _hidden(pack, key, values)
        status = None if hidden else rag(key, values[key], targets=targets)
        rows.append(
            [
                definition.label,
                _withheld(pack.audience) if hidden else definition.display(values[key]),
                definition.display(target.target_value) if target else "No target set",
                (status or "not rated").capitalize() if status else "Not rated",
            ]
        )
    return rows


def _summary(pack: PackData, values: dict, targets: dict) -> Section:
    section = Section("summary", SECTIONS["summary"])
    section.paragraphs.append(
        f"Figures as at {pack.end:%-d %B %Y} for {pack.scope.label.lower()}; flows (starters, "
        "leavers, turnover) are over the 12 months to that date, as DfE defines them."
    )
    section.tables.append(
        Table(
            "Headline figures against targets",
            ["Measure", "Value", "Target", "RAG"],
            _kpi_rows(pack, HEADLINE_KPIS, values, targets),
            sheet="Summary",
        )
    )
    return section


def _workforce(pack: PackData, values: dict, targets: dict) -> Section:
    section = Section("workforce", SECTIONS["workforce"])
    section.paragraphs.append(
        "Permanence, agency, vacancies, turnover, stability and caseloads of children's "
        f"social workers as at {pack.end:%-d %B %Y}."
    )
    section.tables.append(
        Table(
            "Workforce measures",
            ["Measure", "Value", "Target", "RAG"],
            _kpi_rows(pack, WORKFORCE_KPIS, values, targets),
            sheet="Workforce",
        )
    )
    return section


def _leavers(pack: PackData) -> Section:
    breakdown = leavers_breakdown_disclosed(
        leavers_breakdown(start=pack.start, end=pack.end, scope=pack.scope),
        audience=pack.audience,
        scope=pack.scope,
    )
    section = Section("leavers", SECTIONS["leavers"])
    if breakdown["leavers"] is None:
        section.paragraphs.append(
            f"Fewer than {pack.audience.limit} employed social workers left in the period "
            f"{pack.period_label}: the breakdowns are not shown."
        )
    else:
        section.paragraphs.append(
            f"{breakdown['leavers']} employed social workers left in the period "
            f"{pack.period_label} ({cell_text(Decimal(breakdown['leavers_fte']))} FTE)."
        )

    def shown(row: dict, name: str):
        if row.get("hidden"):
            reason = (
                disclosure.SECONDARY
                if row["hidden"] == disclosure.SECONDARY_TEXT
                else disclosure.PRIMARY
            )
            return _withheld(pack.audience, reason)
        return row[name]

    for key, title, sheet in (
        ("by_reason", "Leavers by reason for leaving", "Leavers by reason"),
        ("by_destination", "Leavers by destination", "Leavers by destination"),
        ("by_length_of_service", "Leavers by length of service", "Leavers by service"),
    ):
        rows = [
            [row["label"], shown(row, "count"), shown(row, "fte"), shown(row, "share")]
            for row in breakdown[key]
        ]
        section.tables.append(
            Table(title, ["Group", "Leavers", "FTE", "Share of leavers (%)"], rows, sheet=sheet)
        )
    reasons = pd.DataFrame(
        {  # a hidden group has no bar: its label says so, or it would read as none
            "label": [
                r["label"] + (f" ({r['hidden']})" if r.get("hidden") else "")
                for r in breakdown["by_reason"]
            ],
            "share": [r["share"] for r in breakdown["by_reason"]],
        }
    )
    if not reasons.empty and breakdown["leavers"] is not None:
        # The same figure as the Leavers dashboard's "by reason" chart.
        figure = charts.horizontal_bar_chart(
            reasons,
            category="label",
            value="share",
            title="Leavers by reason for leaving",
            x_title="Share of leavers (%)",
        )
        alt = "Horizontal bar chart of the share of leavers by reason for leaving: " + "; ".join(
            f"{r['label']} {r['hidden']}"
            if r.get("hidden")
            else f"{r['label']} {r['count']} ({cell_text(r['share'])}%)"
            for r in breakdown["by_reason"]
        )
        section.charts.append(Chart("Leavers by reason for leaving", alt, figure))
    return section


def _recruitment(pack: PackData) -> Section:
    from recruitment.selectors import FUNNEL_STAGES, funnel, time_to_hire

    section = Section("recruitment", SECTIONS["recruitment"])
    rows = funnel(start=pack.start, end=pack.end, as_of=pack.end, by="org_role")
    stages = list(FUNNEL_STAGES)
    body = [row for row in rows if row.key != "total"]
    grid = {(row.label, stage.value): row.counts[stage.value] for row in body for stage in stages}
    cells, _rows, totals = disclosure.disclose_grid(
        grid, audience=pack.audience, scope=pack.scope, row_totals=False
    )
    table_rows = [
        [row.label, *[_cell_value(cells[(row.label, st.value)], pack.audience) for st in stages]]
        for row in body
    ]
    if len(rows) > len(body):
        table_rows.append(
            [rows[-1].label, *[_cell_value(totals[st.value], pack.audience) for st in stages]]
        )
    section.tables.append(
        Table(
            "Recruitment by role",
            ["Role", *[str(stage.label) for stage in stages]],
            table_rows,
            sheet="Recruitment",
        )
    )
    hire = time_to_hire(start=pack.start, end=pack.end)

    def hires(key: str) -> list:
        count = hire[key]["count"]
        if pack.suppressed and disclosure.is_small(count, pack.audience.limit):
            return [_withheld(pack.audience)] * 3  # medians of a few people describe them
        return [count, hire[key]["median"], hire[key]["p90"]]

    section.tables.append(
        Table(
            "Time to hire (days)",
            ["Stage", "Hires", "Median days", "90th percentile days"],
            [
                [label, *hires(key)]
                for key, label in (
                    ("advert_to_offer", "Advert to offer"),
                    ("offer_to_start", "Offer to start"),
                    ("advert_to_start", "Advert to start"),
                )
            ],
            sheet="Time to hire",
        )
    )
    if not rows:
        section.paragraphs.append("No applications were received in the period.")
    else:
        total = table_rows[-1][1:]
        funnel_frame = pd.DataFrame(
            {  # a hidden stage has no bar: its label says so, or it would read as none
                "stage": [
                    str(stage.label) + (f" ({value})" if isinstance(value, Withheld) else "")
                    for stage, value in zip(stages, total, strict=True)
                ],
                "count": [None if isinstance(v, Withheld) else v for v in total],
            }
        )
        # The same figure as the Recruitment dashboard's funnel.
        figure = charts.horizontal_bar_chart(
            funnel_frame,
            category="stage",
            value="count",
            title="Recruitment funnel",
            x_title="Applicants",
        )
        alt = "Horizontal bar chart of the recruitment funnel: " + "; ".join(
            f"{stage} {value}" for stage, value in zip(funnel_frame["stage"], total, strict=True)
        )
        section.charts.append(Chart("Recruitment funnel", alt, figure))
    return section


def _exit_themes(pack: PackData) -> Section:
    from exits.selectors import approved_quotes_by_record, leavers_between, themes_by

    section = Section("exit_themes", SECTIONS["exit_themes"])
    leavers = leavers_between(start=pack.start, end=pack.end)
    themes = themes_by(leavers=leavers, dimension="quarter")
    totals = Counter()
    for (theme, _column), count in themes["grid"].items():
        totals[theme] += count
    counts = {theme: totals[theme] for theme in themes["themes"]}
    cells, _total = (
        disclosure.disclose_counts(counts, audience=pack.audience, with_total=False)
        if counts
        else ({}, None)
    )
    section.paragraphs.append(
        "Themes raised by leavers who answered the exit questionnaire (a leaver may raise "
        "several)."
        + (
            f" Counts of fewer than {pack.audience.limit} are not shown."
            if pack.audience.suppressed()
            else ""
        )
    )
    section.tables.append(
        Table(
            "Exit interview themes",
            ["Theme", "Leavers raising it"],
            [[theme, _cell_value(cell, pack.audience)] for theme, cell in cells.items()],
            sheet="Exit themes",
        )
    )
    quoted = approved_quotes_by_record(start=pack.start, end=pack.end)
    section.quotes = [quote for _, quote in quoted]
    section.quote_sources = sorted({record for record, _ in quoted})
    return section


def _recommendations(pack: PackData) -> Section:
    from recommendations.selectors import recommendations_tracked, tracker_rows

    section = Section("recommendations", SECTIONS["recommendations"])
    rows = tracker_rows(queryset=recommendations_tracked(), as_of=pack.end)
    section.tables.append(
        Table(
            "Recommendations tracker",
            [
                "No.",
                "Recommendation",
                "Decision",
                "Officer responsible",
                "Action by",
                "Latest update",
                "Status",
                "RAG",
            ],
            [
                [
                    row.number,
                    row.text,
                    row.decision,
                    row.officer_responsible,
                    row.action_by_date or row.action_by,
                    row.latest_update,
                    row.status,
                    row.rag + (" (overdue)" if row.overdue else ""),
                ]
                for row in rows
            ],
            sheet="Recommendations",
        )
    )
    return section


def _benchmarks(pack: PackData) -> Section:
    from dashboards.selectors import benchmark_comparison

    section = Section("benchmarks", SECTIONS["benchmarks"])
    comparison = benchmark_comparison(suppress=pack.suppressed, limit=pack.audience.limit)
    council = comparison.get("council")
    section.paragraphs.append(
        "DfE's published figures (children's social work workforce, census at 30 September) "
        f"for {council or 'the council'} against its region, England and its comparator "
        "group, for the latest year published up to the end of the period."
    )
    rows = []
    for measure in comparison["measures"]:
        published = [r for r in measure["rows"] if r["year"] <= pack.end.year]
        if not published:
            continue
        row = published[-1]
        rows.append(
            [
                measure["label"],
                str(row["year"]),
                row["council"] if row["council"] is not None else row["council_symbol"] or None,
                row["own"],
                row["region"],
                row["england"],
                row["group_median"],
                f"{row['rank']} of {row['councils_ranked']}" if row["rank"] else None,
            ]
        )
    section.tables.append(
        Table(
            "Benchmarks against England, region and comparators",
            [
                "Measure",
                "Year",
                "Council (DfE)",
                "Council (our data)",
                "Region",
                "England",
                "Comparator median",
                "Rank in England",
            ],
            rows,
            sheet="Benchmarks",
        )
    )
    return section


def _appendix(pack: PackData, values: dict) -> Section:
    section = Section("appendix", SECTIONS["appendix"])
    section.paragraphs.append(
        "Every figure of the KPI engine for the scope as at the end of the period, "
        "unrounded, with its definition."
    )
    section.tables.append(
        Table(
            "Data appendix",
            ["Key", "Measure", "Value", "Unit", "Definition"],
            [
                [
                    key,
                    definition.label,
                    _withheld(pack.audience) if _hidden(pack, key, values) else values.get(key),
                    definition.unit,
                    definition.definition,
                ]
                for key, definition in REGISTRY.items()
                if key in values
            ],
            sheet="Appendix",
        )
    )
    return section


def pack_data_build(
    *,
    start: dt.date,
    end: dt.date,
    scope: Scope,
    sections: list[str],
    title: str = "Children's social care workforce",
    meeting: str = "",
    audience: disclosure.Audience | None = None,
    progress=None,
) -> PackData:
    """Every chosen section's figures for the period ``start``..``end`` over ``scope``.
    ``progress(done, total)`` is called after each section. Raises ``SectionError``
    naming the section that failed. ``audience``: who the pack is for (default: a public
    committee paper, the councillor rule)."""
    unknown = [key for key in sections if key not in SECTIONS]
    if unknown:
        raise SectionError(f"Unknown section(s): {', '.join(unknown)}.")
    pack = PackData(
        title=title,
        start=start,
        end=end,
        scope=scope,
        meeting=meeting,
        purpose=(
            "To inform the committee of the recruitment and retention of children's social "
            f"workers from {start:%-d %B %Y} to {end:%-d %B %Y}."
        ),
        sections=[],
        audience=audience or disclosure.Audience.public(),
    )
    values = compute_kpis(as_of=end, scope=scope)
    targets = kpi_targets()
    builders = {
        "summary": lambda: _summary(pack, values, targets),
        "workforce": lambda: _workforce(pack, values, targets),
        "leavers": lambda: _leavers(pack),
        "recruitment": lambda: _recruitment(pack),
        "exit_themes": lambda: _exit_themes(pack),
        "recommendations": lambda: _recommendations(pack),
        "benchmarks": lambda: _benchmarks(pack),
        "appendix": lambda: _appendix(pack, values),
    }
    chosen = [key for key in SECTIONS if key in sections]
    for done, key in enumerate(chosen, start=1):
        try:
            pack.sections.append(builders[key]())
        except Exception as error:
            raise SectionError(
                f"The section {SECTIONS[key]!r} could not be built: {error}"
            ) from error
        if progress:
            progress(done, len(chosen))
    return pack


CHROMIUM_MISSING = (
    "the chart images need the Chromium browser, which is not installed where report "
    "packs are built: install it (Debian: apt-get install chromium) and create the pack again"
)


def chromium_installed() -> bool:
    """Whether kaleido can find a Chromium to draw with. Without one it would try to
    download Chrome and, with no network, wait for ever."""
    from choreographer.browsers.chromium import Chromium

    return Chromium.find_browser(skip_local=False) is not None


def charts_render(pack: PackData) -> None:
    """Render every chart of the pack to PNG (one browser for the whole batch)."""
    figures = [chart for section in pack.sections for chart in section.charts]
    if not figures:
        return
    if not chromium_installed():
        raise RuntimeError(CHROMIUM_MISSING)
    import kaleido

    with contextlib.suppress(Exception):  # already started in this process
        kaleido.start_sync_server()
    for chart in figures:
        chart.png = chart.figure.to_image(format="png", width=800, height=450)


def cell_text(value) -> str:
    """A value as printed in the Word and PDF tables."""
    if value is None:
        return "-"
    if isinstance(value, Withheld):
        return str(value)
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.1'))}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
