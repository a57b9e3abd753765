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

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dashboards import charts
from dashboards.kpis import REGISTRY, Scope, compute_kpis, kpi_targets, leavers_breakdown, rag
from dashboards.kpis.registry import report_section_kpis
from dashboards.selectors import HEADLINE_KPIS, figure_hidden, leavers_breakdown_disclosed
from workforce import disclosure

#: Every section a director may choose, in the order of the paper.
SECTIONS = {
    "summary": "Context: headline figures against targets",
    "workforce": "Workforce",
    "caseloads": "Caseloads",
    "leavers": "Leavers and why they leave",
    "exit_themes": "Exit interview themes (in the leavers section)",
    "recruitment": "Recruitment",
    "recommendations": "Progress on the committee's recommendations (tracker in Appendix 1)",
    "plan": "Plan to reach 85% permanence (the forecast, with milestones per year)",
    "financial": "Financial implications: pay bill, agency and incentive costs, salaries",
    "benchmarks": "Benchmarks against England, region and comparators",
    "appendix": "Every measure with its definition (appendices)",
}

#: The numbered sections of the paper, in order (a section with nothing chosen is left out).
PAPER = {
    "introduction": "Introduction",
    "context": "Context",
    "workforce": "Workforce",
    "caseloads": "Caseloads",
    "leavers": "Leavers and why they leave",
    "recruitment": "Recruitment",
    "recommendations": "Progress on the committee's recommendations",
    "plan": "Plan to reach 85% permanence",
    "implications": "Financial, legal, equalities and risk implications",
}
#: Which paper section each chosen data section writes into.
INTO = {
    "summary": "context",
    "benchmarks": "context",
    "exit_themes": "leavers",
    "financial": "implications",
}

#: The front sheet, as the director fills it in (kept with the pack, offered again).
FRONT_SHEET = {
    "meeting": "Meeting",
    "meeting_date": "Date of meeting",
    "report_of": "Report of",
    "lead_member": "Lead member",
    "contact_officer": "Contact officer",
    "wards": "Wards affected",
}
#: The text sections a director edits (each a few paragraphs separated by blank lines).
TEXTS = {
    "summary": "Summary",
    "recommendations": "Recommendations",
    "introduction": "Introduction",
    "plan": "Plan to reach 85% permanence",
    "financial": "Financial implications",
    "legal": "Legal implications",
    "equalities": "Equalities implications",
    "risk": "Risk implications",
    "background_papers": "Background papers",
}
PERMANENCE_TARGET = Decimal(85)
DEFAULT_TITLE = "Social work workforce report"

DEFAULT_TEXTS = {
    "wards": "All",
    "report_of": "Director of Children's Services",
    "recommendations": (
        "That the committee notes the recruitment and retention figures in this report, "
        "including progress towards the target of 85% of social workers employed "
        "permanently.\n\nThat the committee notes the progress on its recommendations "
        "shown in Appendix 1."
    ),
    "introduction": (
        "This report sets out the recruitment and retention of the council's children's "
        "social workers for the committee, as it asked, with the figures against the "
        "targets the council has set, the reasons social workers leave, and progress on "
        "the committee's recommendations."
    ),
    "financial": (
        "There are no direct financial implications arising from this report. Where the "
        "committee's recommendations result in changes to policy or service delivery with "
        "financial implications, these will be subject to separate reports. The cost of "
        "agency social workers is met from the children's services budget."
    ),
    "legal": (
        "There are no direct legal implications. Agency social workers are engaged under "
        "the Department for Education's statutory guidance on the use of agency workers."
    ),
    "equalities": (
        "This report has no direct equalities implications. Figures about small numbers of "
        "people are not published so that no one can be identified."
    ),
    "risk": (
        "A workforce that relies on agency workers, or loses experienced social workers, "
        "puts continuity of support for children at risk; the measures in this report are "
        "how the council watches that risk."
    ),
    "background_papers": (
        "Department for Education, Children's social work workforce statistics.\n\n"
        "Department for Education, Statutory guidance on the use of agency social workers."
    ),
}

#: How each implication is introduced (Tameside's paper: "Financial Implications
#: (Authorised by the Section 151 Officer)").
IMPLICATION_LABELS = {
    "financial": "Financial implications (authorised by the Section 151 officer)",
}

NOT_FOR_PUBLICATION = (
    "Not for publication: exempt information under paragraph 1 of Schedule 12A to the "
    "Local Government Act 1972"
)

#: The workforce section's measures (each KPI's ``report_sections``).
WORKFORCE_KPIS = report_section_kpis("workforce")


ONE_PERSON = "one_person"


@dataclass(frozen=True)
class Withheld:
    """A figure the pack's audience may not see: its label in documents ("fewer than 5",
    "hidden to protect another figure"), DfE's symbol ``c`` in files."""

    reason: str
    limit: int

    def __str__(self) -> str:
        if self.reason == ONE_PERSON:
            return "not shown (one person's figure)"
        return disclosure.hidden_text(self.reason, self.limit)

    symbol = disclosure.SYMBOL


def _withheld(audience: disclosure.Audience, reason: str = disclosure.PRIMARY) -> Withheld:
    return Withheld(reason, audience.limit)


def _cell_value(cell: disclosure.Cell, audience: disclosure.Audience):
    return cell.value if cell.value is not None else _withheld(audience, cell.reason)


class SectionError(Exception):
    """A section could not be built; the message names the section."""


@dataclass(frozen=True)
class Num:
    """A figure rounded as the paper shows it, with its unit ("%", "FTE", "people",
    "money", "days", "cases"): text in the Word and PDF tables, a number with a number
    format in the workbook."""

    value: Decimal
    unit: str = ""
    decimals: int = 1

    @classmethod
    def of(cls, value, unit: str = "", decimals: int = 1):
        if value is None:
            return None
        quantum = Decimal(1).scaleb(-decimals)
        return cls(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP), unit, decimals)

    def __str__(self) -> str:
        if self.unit == "%":
            return f"{self.value}%"
        if self.unit == "money":
            return f"-£{-self.value:,}" if self.value < 0 else f"£{self.value:,}"
        return f"{self.value:,}"


def kpi_num(key: str, value) -> Num | None:
    definition = REGISTRY[key]
    return Num.of(value, definition.unit, definition.decimals)


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list]
    sheet: str = ""  # the workbook sheet's name (31 characters at most)
    notes: str = ""  # definition and source (the workbook's notes row)
    widths: list[int] = field(default_factory=list)  # relative column widths
    landscape: bool = False  # too wide for a portrait page
    appendix: str = ""  # "tracker" or "data": printed in an appendix, not the section
    after: int = 0  # printed after this paragraph of its section (0: after them all)


@dataclass
class Chart:
    title: str
    alt_text: str
    figure: object  # plotly.graph_objects.Figure
    png: bytes = b""
    table: Table | None = None  # the chart's figures, printed in Appendix 2


@dataclass
class Section:
    key: str
    title: str
    number: int = 0
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
    texts: dict = field(default_factory=dict)  # the director's text, FRONT_SHEET + TEXTS
    narrative: list[str] = field(default_factory=list)  # the app's sentences on the period

    def text(self, key: str) -> str:
        return (self.texts.get(key) or "").strip() or DEFAULT_TEXTS.get(key, "")

    def paragraphs(self, key: str) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", self.text(key)) if p.strip()]

    @property
    def classification(self) -> str:
        return "Public" if self.suppressed else NOT_FOR_PUBLICATION

    @property
    def audience_label(self) -> str:
        return "public" if self.suppressed else "not for publication"

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        section = Section(key, PAPER[key])
        self.sections.append(section)
        return section

    def appendix_tables(self, kind: str) -> list[Table]:
        return [t for s in self.sections for t in s.tables if t.appendix == kind]

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
                _withheld(pack.audience) if hidden else kpi_num(key, values[key]),
                kpi_num(key, target.target_value) if target else "No target set",
                status.capitalize() if status else "Not rated",
            ]
        )
    return rows


def _shown_kpi(pack: PackData, key: str, values: dict) -> Num | None:
    if values.get(key) is None or _hidden(pack, key, values):
        return None
    return kpi_num(key, values[key])


def period_narrative(pack: PackData, values: dict, before: dict, targets: dict) -> list[str]:
    """Sentences the app writes for the period: each headline rate then and now, against
    its target ("Permanence rose from 74.2% to 76.6% in the period; the target is 85%")."""
    sentences = []
    for key, name in (
        ("permanence_rate", "Permanence"),
        ("agency_rate", "The agency rate"),
        ("vacancy_rate", "The vacancy rate"),
        ("turnover_rate", "Turnover"),
        ("caseload", "The average caseload"),
    ):
        now, then = _shown_kpi(pack, key, values), _shown_kpi(pack, key, before)
        if now is None:
            continue
        if then is None:
            text = f"{name} was {now} at {pack.end:%-d %B %Y}"
        elif now.value == then.value:
            text = f"{name} was unchanged at {now} over the period"
        else:
            verb = "rose" if now.value > then.value else "fell"
            text = f"{name} {verb} from {then} to {now} over the period"
        target = targets.get(key)
        if key == "permanence_rate" and target is None:
            text += f"; the target is {Num.of(PERMANENCE_TARGET, '%', 0)}"
        elif target is not None:
            goal = Decimal(target.target_value)
            text += f"; the target is {Num.of(goal, REGISTRY[key].unit, 0 if goal % 1 == 0 else 1)}"
        sentences.append(text + ".")
    return sentences


def _context(pack: PackData, values: dict, before: dict, targets: dict) -> None:
    section = pack.section("context")
    section.paragraphs.append(
        f"Figures are as at {pack.end:%-d %B %Y} for {pack.scope.label.lower()}; flows "
        "(starters, leavers, turnover) are over the 12 months to that date, as the "
        "Department for Education defines them, and compared with "
        f"{pack.start - dt.timedelta(days=1):%-d %B %Y}."
    )
    pack.narrative = period_narrative(pack, values, before, targets)
    section.paragraphs.extend(pack.narrative)
    section.tables.append(
        Table(
            "Headline figures against targets",
            ["Measure", "Value", "Target", "RAG"],
            _kpi_rows(pack, HEADLINE_KPIS, values, targets),
            sheet="Headline figures",
            notes="Definitions in Appendix 3. Source: the council's HR and caseload records.",
            widths=[50, 16, 18, 16],
        )
    )


def _workforce(pack: PackData, values: dict, targets: dict) -> None:
    section = pack.section("workforce")
    section.paragraphs.append(
        "Permanence, agency, vacancies, turnover and stability of children's social "
        f"workers as at {pack.end:%-d %B %Y}."
    )
    section.tables.append(
        Table(
            "Workforce measures",
            ["Measure", "Value", "Target", "RAG"],
            _kpi_rows(pack, WORKFORCE_KPIS, values, targets),
            sheet="Workforce",
            notes="Definitions in Appendix 3. Source: the council's HR records.",
            widths=[50, 16, 18, 16],
        )
    )


def _leavers(pack: PackData) -> None:
    breakdown = leavers_breakdown_disclosed(
        leavers_breakdown(start=pack.start, end=pack.end, scope=pack.scope),
        audience=pack.audience,
        scope=pack.scope,
    )
    section = pack.section("leavers")
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
            [
                row["label"],
                shown(row, "count"),
                _num_or(shown(row, "fte"), "FTE"),
                _num_or(shown(row, "share"), "%"),
            ]
            for row in breakdown[key]
        ]
        section.tables.append(
            Table(
                title,
                ["Group", "Leavers", "FTE", "Share of leavers"],
                rows,
                sheet=sheet,
                notes="Employed social workers who left in the period (agency workers are "
                "not leavers). Source: the council's HR records.",
                widths=[52, 14, 14, 20],
            )
        )
    import pandas as pd  # imported when used: it adds a second to every command's start

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
        section.charts.append(
            _appendix_chart("Leavers by reason for leaving", alt, figure, table=section.tables[0])
        )
    service = breakdown["by_length_of_service"]
    if service and breakdown["leavers"] is not None:
        frame = pd.DataFrame(
            {
                "label": [
                    r["label"] + (f" ({r['hidden']})" if r.get("hidden") else "") for r in service
                ],
                "share": [None if r.get("hidden") else r["share"] for r in service],
            }
        )
        figure = charts.horizontal_bar_chart(
            frame,
            category="label",
            value="share",
            title="Leavers by length of service",
            x_title="Share of leavers (%)",
        )
        alt = "Horizontal bar chart of the share of leavers by length of service: " + "; ".join(
            f"{r['label']} {r['hidden']}"
            if r.get("hidden")
            else f"{r['label']} {cell_text(Num.of(r['share'], '%'))}"
            for r in service
        )
        section.charts.append(
            _appendix_chart("Leavers by length of service", alt, figure, table=section.tables[2])
        )


def _num_or(value, unit: str):
    return Num.of(value, unit) if isinstance(value, (Decimal, int, float)) else value


def _recruitment(pack: PackData) -> None:
    from recruitment.selectors import FUNNEL_STAGES, funnel, time_to_hire

    section = pack.section("recruitment")
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
            notes="Applications received in the period, by the stage each reached. Source: "
            "the council's recruitment records.",
            landscape=len(stages) > 5,
        )
    )
    hire = time_to_hire(start=pack.start, end=pack.end)

    def hires(key: str) -> list:
        count = hire[key]["count"]
        if pack.suppressed and disclosure.is_small(count, pack.audience.limit):
            return [_withheld(pack.audience)] * 3  # medians of a few people describe them
        return [count, Num.of(hire[key]["median"], "days"), Num.of(hire[key]["p90"], "days")]

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
            notes="Days between the dates recorded for each hire. Source: the council's "
            "recruitment records.",
        )
    )
    if not rows:
        section.paragraphs.append("No applications were received in the period.")
    else:
        total = table_rows[-1][1:]
        import pandas as pd  # imported when used: it adds a second to every command's start

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
            title="Recruitment funnel (all roles)",
            x_title="Applicants",
        )
        alt = "Horizontal bar chart of the recruitment funnel: " + "; ".join(
            f"{stage} {value}" for stage, value in zip(funnel_frame["stage"], total, strict=True)
        )
        section.charts.append(
            _appendix_chart("Recruitment funnel", alt, figure, table=section.tables[0])
        )
        by_role = {  # one bar a role at each stage; a hidden figure has no bar
            str(row[0]): [None if isinstance(v, Withheld) else v for v in row[1:]]
            for row in table_rows[: len(body)]
        }
        if by_role:
            columns = {f"role_{i}": name for i, name in enumerate(by_role)}
            frame = pd.DataFrame(
                {
                    "stage": [str(stage.label) for stage in stages],
                    **{key: by_role[name] for key, name in columns.items()},
                }
            )
            figure = charts.bar_chart(
                frame,
                x="stage",
                series=columns,
                title="Recruitment funnel by role",
                y_title="Applicants",
            )
            alt = "Bar chart of the recruitment funnel by role: " + "; ".join(
                f"{name}: "
                + ", ".join(
                    f"{stage.label} {cell_text(value)}"
                    for stage, value in zip(stages, row[1:], strict=True)
                )
                for name, row in zip(by_role, table_rows, strict=False)
            )
            section.charts.append(
                Chart("Recruitment funnel by role", alt, figure, table=section.tables[0])
            )


def _exit_themes(pack: PackData) -> None:
    from exits.selectors import approved_quotes_by_record, leavers_between, themes_by

    section = pack.section("leavers")
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
            notes="Leavers who answered the exit questionnaire; a leaver may raise several "
            "themes. Source: exit questionnaires.",
            widths=[70, 30],
        )
    )
    theme_table = section.tables[-1]
    if theme_table.rows:
        import pandas as pd  # imported when used: it adds a second to every command's start

        frame = pd.DataFrame(
            {
                "theme": [
                    str(r[0]) + (f" ({r[1]})" if isinstance(r[1], Withheld) else "")
                    for r in theme_table.rows
                ],
                "count": [None if isinstance(r[1], Withheld) else r[1] for r in theme_table.rows],
            }
        )
        figure = charts.horizontal_bar_chart(
            frame,
            category="theme",
            value="count",
            title="Exit interview themes",
            x_title="Leavers raising it",
        )
        alt = "Horizontal bar chart of the themes leavers raised: " + "; ".join(
            f"{r[0]} {cell_text(r[1])}" for r in theme_table.rows
        )
        section.charts.append(
            _appendix_chart("Exit interview themes", alt, figure, table=theme_table)
        )
    quoted = approved_quotes_by_record(start=pack.start, end=pack.end)
    section.quotes += [quote for _, quote in quoted]
    section.quote_sources = sorted({record for record, _ in quoted})


def _appendix_chart(title: str, alt: str, figure, *, table: Table) -> Chart:
    table.appendix = "data"
    return Chart(title, alt, figure, table=table)


def _chart(section: Section, title: str, alt: str, figure, table: Table) -> None:
    """A chart in the section, its figures in Appendix 2."""
    table.appendix = "data"
    section.tables.append(table)
    section.charts.append(Chart(title, alt, figure, table=table))


def _tracker_status(row) -> str:
    notes = [str(row.rag).capitalize()] if row.rag else []
    if row.overdue:
        notes.append("overdue")
    return f"{row.status} ({', '.join(notes)})" if notes else str(row.status)


def _recommendations(pack: PackData) -> None:
    from recommendations.selectors import recommendations_tracked, tracker_rows

    section = pack.section("recommendations")
    rows = tracker_rows(queryset=recommendations_tracked(), as_of=pack.end)
    statuses = Counter(str(row.status) for row in rows)
    overdue = sum(1 for row in rows if row.overdue)
    if rows:
        section.paragraphs.append(
            f"The committee made {len(rows)} recommendations: "
            + ", ".join(f"{n} {status.lower()}" for status, n in sorted(statuses.items()))
            + (f"; {overdue} past the date action was due" if overdue else "")
            + ". Appendix 1 sets out each one, the executive response, the officer "
            "responsible and the latest update."
        )
    else:
        section.paragraphs.append("No recommendations of the committee are being tracked.")
    section.tables.append(
        Table(
            "Recommendations of the committee and progress",
            [
                "No.",
                "Recommendation",
                "Accepted",
                "Executive response and latest update",
                "Officer responsible",
                "Action by",
                "Status",
            ],
            [
                [
                    row.number,
                    row.text,
                    row.decision,
                    row.latest_update,
                    row.officer_responsible,
                    row.action_by_date or row.action_by,
                    _tracker_status(row),
                ]
                for row in rows
            ],
            sheet="Recommendations",
            notes="The committee's recommendations as tracked by the council. Source: the "
            "recommendations tracker.",
            widths=[5, 30, 10, 24, 12, 9, 10],
            landscape=True,
            appendix="tracker",
        )
    )


def _benchmarks(pack: PackData) -> None:
    from dashboards.selectors import benchmark_comparison

    section = pack.section("context")
    comparison = benchmark_comparison(suppress=pack.suppressed, limit=pack.audience.limit)
    council = comparison.get("council")
    rows = []
    for measure in comparison["measures"]:
        published = [r for r in measure["rows"] if r["year"] <= pack.end.year]
        if not published:
            continue
        row = published[-1]
        council_value = row["council"] if row["council"] is not None else None
        rows.append(
            [
                measure["label"],
                str(row["year"]),
                _num_or(council_value, "")
                if council_value is not None
                else row["council_symbol"] or None,
                _num_or(row["own"], ""),
                _num_or(row["region"], ""),
                _num_or(row["england"], ""),
                _num_or(row["group_median"], ""),
                f"{row['rank']} of {row['councils_ranked']}" if row["rank"] else None,
            ]
        )
    section.paragraphs.append(
        "Appendix 2 compares the Department for Education's published figures for "
        f"{council or 'the council'} (census at 30 September) with its region, England and its "
        "comparator group, for the latest year published."
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
            notes="Source: Department for Education, Children's social work workforce "
            "statistics; the council's own records for 'our data'.",
            widths=[28, 8, 11, 11, 10, 10, 11, 11],
            landscape=True,
            appendix="data",
        )
    )


def _definitions(pack: PackData, values: dict) -> None:
    section = pack.section("implications")  # printed as Appendix 3, not in the section
    section.tables.append(
        Table(
            "Every measure with its definition",
            ["Measure", "Value", "Definition"],
            [
                [
                    definition.label,
                    _withheld(pack.audience)
                    if _hidden(pack, key, values)
                    else kpi_num(key, values.get(key)),
                    definition.definition,
                ]
                for key, definition in REGISTRY.items()
                if key in values
            ],
            sheet="Definitions",
            notes="The council's KPI engine as at the end of the period. Source: the "
            "council's HR, caseload and recruitment records.",
            widths=[28, 12, 60],
            landscape=True,
            appendix="definitions",
        )
    )


def _month_ends(end: dt.date, months: int = 12) -> list[dt.date]:
    dates = []
    for back in range(months, 0, -1):
        year, month = divmod(end.year * 12 + end.month - 1 - back, 12)
        first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        dates.append(first_next - dt.timedelta(days=1))
    return [*dates, end]


TREND_KPIS = (
    "permanence_rate",
    "agency_rate",
    "vacancy_rate",
    "turnover_rate",
    "starters_headcount",
    "leavers_headcount",
)


def _trend_rows(pack: PackData) -> list[dict]:
    """The headline rates at each month end of the year to the end of the period, as the
    audience sees them (None when hidden or not available)."""
    from dashboards.kpis import compute_kpis_many

    dates = _month_ends(pack.end)
    figures = compute_kpis_many(dates=dates, scopes=[pack.scope])
    rows = []
    for date in dates:
        values = figures[(date, pack.scope)]
        rows.append({"date": date, **{k: _shown_kpi(pack, k, values) for k in TREND_KPIS}})
    return rows


def _value(num):
    return None if num is None else float(num.value)


def _trends(pack: PackData) -> None:
    """Permanence and agency against the 85% target, vacancies, turnover and starters
    against leavers, month by month over the year to the end of the period."""
    rows = _trend_rows(pack)
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {"date": [r["date"] for r in rows], **{k: [_value(r[k]) for r in rows] for k in TREND_KPIS}}
    )

    def table(title, keys, sheet):
        return Table(
            title,
            ["Month end", *[REGISTRY[k].label for k in keys]],
            [[r["date"], *[r[k] if r[k] is not None else None for k in keys]] for r in rows],
            sheet=sheet,
            notes="; ".join(f"{REGISTRY[k].label}: {REGISTRY[k].definition}" for k in keys)
            + " Source: the council's HR records.",
        )

    def alt(kind, keys):
        parts = []
        for k in keys:
            shown = [r for r in rows if r[k] is not None]
            if shown:
                parts.append(
                    f"{REGISTRY[k].label} from {shown[0][k]} at {shown[0]['date']:%b %Y} to "
                    f"{shown[-1][k]} at {shown[-1]['date']:%b %Y}"
                )
            else:
                parts.append(f"{REGISTRY[k].label}: no figure shown")
        return f"{kind} by month end: " + "; ".join(parts) + "."

    context = pack.section("context")
    keys = ["permanence_rate", "agency_rate"]
    _chart(
        context,
        "Permanence and agency rates against the 85% target",
        alt("Line chart of the permanence and agency rates against the 85% target", keys),
        charts.line_chart(
            frame,
            x="date",
            series={k: REGISTRY[k].label for k in keys},
            title="Permanence and agency rates",
            y_title="%",
            target=float(PERMANENCE_TARGET),
            target_label="Permanence target (85%)",
            percent=True,
        ),
        table("Permanence and agency rates by month", keys, "Permanence and agency"),
    )
    workforce = pack.section("workforce")
    for key, title, sheet in (
        ("vacancy_rate", "Vacancy rate", "Vacancy rate"),
        ("turnover_rate", "Turnover rate (rolling 12 months)", "Turnover"),
    ):
        _chart(
            workforce,
            title,
            alt(f"Line chart of the {title.lower()}", [key]),
            charts.line_chart(
                frame,
                x="date",
                series={key: REGISTRY[key].label},
                title=title,
                y_title="%",
                percent=True,
            ),
            table(f"{title} by month", [key], sheet),
        )
    keys = ["starters_headcount", "leavers_headcount"]
    _chart(
        workforce,
        "Starters and leavers",
        alt("Line chart of starters and leavers in the 12 months to each month end", keys),
        charts.line_chart(
            frame,
            x="date",
            series={k: REGISTRY[k].label for k in keys},
            title="Starters and leavers (12 months to each month end)",
            y_title="People",
        ),
        table("Starters and leavers by month", keys, "Starters and leavers"),
    )


def _caseloads(pack: PackData, values: dict, targets: dict) -> None:
    """The average caseload per week with the highest and lowest (Buckinghamshire
    recommendation 18); for a paper for publication the highest and lowest, one
    person's figure each, are withheld."""
    from dashboards.kpis import caseload_report
    from dashboards.selectors import caseload_report_disclosed

    section = pack.section("caseloads")
    first = max(pack.start, pack.end - dt.timedelta(weeks=13))
    report = caseload_report_disclosed(
        caseload_report(start=first, end=pack.end, scope=pack.scope),
        audience=pack.audience,
        scope=pack.scope,
    )
    weeks = [e for e in report if e["team"] is None]
    one_person = Withheld(ONE_PERSON, pack.audience.limit)

    def figure(entry, name, unit="cases"):
        if entry.get("hidden"):
            return _withheld(pack.audience)
        if name in ("highest_caseload", "lowest_caseload") and pack.suppressed:
            return one_person
        return Num.of(entry[name], unit) if entry[name] is not None else None

    rows = [
        [
            e["week"],
            _withheld(pack.audience) if e.get("hidden") else e["workers"],
            figure(e, "average_caseload"),
            figure(e, "highest_caseload", ""),
            figure(e, "lowest_caseload", ""),
            f"{e['teams_entered']} of {e['teams_expected']}",
        ]
        for e in weeks
    ]
    average = _shown_kpi(pack, "caseload", values)
    target = targets.get("caseload")
    section.paragraphs.append(
        (
            f"The average caseload was {average} cases per social worker at {pack.end:%-d %B %Y}"
            if average is not None
            else "The average caseload is not available for the period"
        )
        + (f"; the target is {kpi_num('caseload', target.target_value)}." if target else ".")
    )
    section.paragraphs.append(
        "The committee asked for the average caseload with the highest and lowest each week "
        "(Buckinghamshire recommendation 18)."
        + (
            " In this paper for publication the highest and lowest caseloads are not shown: "
            "each is one social worker's figure."
            if pack.suppressed
            else ""
        )
    )
    table = Table(
        "Caseloads by week",
        [
            "Week beginning",
            "Case-holding social workers",
            "Average caseload",
            "Highest",
            "Lowest",
            "Teams entered",
        ],
        rows,
        sheet="Caseloads",
        notes="Each case-holding social worker's latest caseload of the week; average = "
        "cases / social workers. Source: the council's caseload records.",
        widths=[18, 18, 16, 14, 14, 20],
    )
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "week": [e["week"] for e in weeks],
            "average": [_value(r[2]) if isinstance(r[2], Num) else None for r in rows],
            "highest": [_value(r[3]) if isinstance(r[3], Num) else None for r in rows],
            "lowest": [_value(r[4]) if isinstance(r[4], Num) else None for r in rows],
        }
    )
    series = {"average": "Average caseload"}
    if not pack.suppressed:
        series |= {"highest": "Highest caseload", "lowest": "Lowest caseload"}
    shown = [r for r in rows if isinstance(r[2], Num)]
    alt = (
        "Line chart of the average caseload per week"
        + (", with the highest and lowest" if not pack.suppressed else "")
        + (
            f": from {shown[0][2]} in the week of {shown[0][0]:%-d %b %Y} to {shown[-1][2]} in the "
            f"week of {shown[-1][0]:%-d %b %Y}."
            if shown
            else ": no week has a figure shown."
        )
    )
    _chart(
        section,
        "Caseloads per week",
        alt,
        charts.line_chart(
            frame,
            x="week",
            series=series,
            title="Caseloads per week",
            y_title="Cases per social worker",
        ),
        table,
    )


def _pct1(value: float) -> Num:
    return Num.of(Decimal(str(value)), "%", 1)


def _chance(probability: float) -> Num:
    return Num.of(Decimal(str(100 * probability)), "%", 0)


def _month_label(date: dt.date) -> str:
    return f"{date:%B %Y}"


def plan_narrative(plan, *, now: Num | None) -> list[str]:
    """The app's sentences on the forecast: where permanence is heading, when the median
    reaches the target, how likely that is by each 31 March and what the milestones are."""
    target = Num.of(Decimal(str(plan.target)), "%", 0)
    last = plan.fan[-1]
    years = plan.months // 12
    sentences = [
        (f"Permanence was {now} at {plan.as_of:%-d %B %Y}. " if now is not None else "")
        + f"The council's forecast looks {years} years ahead from that date on present "
        "trends: how long its social workers stay by length of service, the starters it "
        "has recruited and how far agency workers cover its vacancies, all learnt from its "
        f"own records. It runs {plan.simulations:,} simulations; the figure below shows the "
        "median and the range in which 8 of every 10 fall, against the target of "
        f"{target}."
    ]
    if plan.median_month is not None:
        sentences.append(
            f"On present trends the council is expected to reach {target} in "
            f"{_month_label(plan.median_month)} (the month by which half the simulations "
            "have reached it)."
        )
    else:
        sentences.append(
            f"On present trends the council is not expected to reach {target} within the "
            f"forecast horizon ({_month_label(last.date)}): the median forecast for that "
            f"month is {_pct1(last.p50)} (80% range {_pct1(last.p10)} to {_pct1(last.p90)})."
        )
    chances = [
        f"{_chance(p)} by {date:%-d %B %Y}" for date, p in plan.probability_by_year_end.items()
    ]
    if chances:
        sentences.append(f"The chance of having reached {target} is " + _and_list(chances) + ".")
    if plan.milestones:
        sentences.append(
            "The table below sets the milestones for each year: the permanence the council "
            "expects at each 31 March, as the Department for Education defines it (employed "
            "FTE as a share of employed and agency FTE), with the range it can be expected "
            "to fall in. The committee can measure progress against them each year; a "
            "figure below the range means the plan is off track."
        )
    sentences.extend(plan.notes)
    return sentences


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _plan(pack: PackData, values: dict) -> None:
    """Section 8: the forecast of permanence as a plan with milestones per year. The
    forecast is of the whole service (the forecast has no narrower scope) and a rate,
    shown wherever the permanence rate itself may be shown: hidden in a paper for
    publication when it rests on fewer than 5 people (the registry's rule)."""
    from dashboards.forecast.services import ForecastError

    from .plan import forecast_plan

    section = pack.section("plan")
    whole = Scope.parse("all")
    if pack.scope != whole:
        values = compute_kpis(as_of=pack.end, scope=whole)
        section.paragraphs.append(
            "The forecast is of the whole service: it is not made for parts of it."
        )
    director = pack.paragraphs("plan") if (pack.texts.get("plan") or "").strip() else []
    if _hidden(pack, "permanence_rate", values):
        section.paragraphs.extend(director)
        section.paragraphs.append(
            f"The forecast of permanence rests on fewer than {pack.audience.limit} people "
            "and is not shown in this paper for publication."
        )
        return
    try:
        plan = forecast_plan(pack.end)
    except ForecastError as error:
        section.paragraphs.extend(director)
        section.paragraphs.append(f"The forecast of permanence cannot be made: {error}")
        return
    now = _shown_kpi(pack, "permanence_rate", values)
    section.paragraphs.extend(director or plan_narrative(plan, now=now))
    section.tables.append(
        Table(
            "Milestones: expected permanence at each 31 March",
            [
                "Year end",
                "Expected permanence (median)",
                "80% range from",
                "80% range to",
                f"Chance {Num.of(Decimal(str(plan.target)), '%', 0)} reached by then",
            ],
            [
                [m.date, _pct1(m.p50), _pct1(m.p10), _pct1(m.p90), _chance(m.probability_reached)]
                for m in plan.milestones
            ],
            sheet="Plan milestones",
            notes="The forecast's median and 10th to 90th percentiles of the permanence rate "
            f"at each 31 March, from {plan.simulations:,} simulations seeded for "
            "reproducibility, with the share of simulations that have reached the target "
            "by then. Source: the council's HR records (forecast).",
            widths=[16, 22, 18, 18, 26],
        )
    )
    target = Num.of(Decimal(str(plan.target)), "%", 0)
    rows = [[p.date, _pct1(p.p10), _pct1(p.p50), _pct1(p.p90), target] for p in plan.fan]
    table = Table(
        "Permanence forecast by month",
        ["Month end", "10th percentile", "Median", "90th percentile", "Target"],
        rows,
        sheet="Permanence forecast",
        notes="Permanence rate (employed FTE / (employed + agency FTE)) forecast for each "
        f"month end from {plan.simulations:,} seeded simulations: 8 of every 10 lie between "
        "the 10th and 90th percentiles. Source: the council's HR records (forecast).",
    )
    import pandas as pd  # imported when used: it adds a second to every command's start

    frame = pd.DataFrame(
        {
            "date": [p.date for p in plan.fan],
            "p10": [p.p10 for p in plan.fan],
            "p50": [p.p50 for p in plan.fan],
            "p90": [p.p90 for p in plan.fan],
        }
    )
    first, last = plan.fan[0], plan.fan[-1]
    alt = (
        "Fan chart of the forecast permanence rate by month end against the 85% target: "
        f"the median goes from {_pct1(first.p50)} at {first.date:%b %Y} to {_pct1(last.p50)} "
        f"at {last.date:%b %Y}, with 8 of every 10 simulations between {_pct1(last.p10)} "
        f"and {_pct1(last.p90)} by then; "
        + (
            f"the median reaches {target} in {_month_label(plan.median_month)}."
            if plan.median_month
            else f"the median does not reach {target} by {last.date:%b %Y}."
        )
    )
    _chart(
        section,
        "Forecast of permanence against the 85% target",
        alt,
        charts.fan_chart(
            frame,
            x="date",
            low="p10",
            median="p50",
            high="p90",
            title="Permanence rate forecast",
            y_title="%",
            target=plan.target,
            target_label="Target: 85% permanent",
            band_label="80% of simulations",
            median_label="Median forecast",
            percent=True,
        ),
        table,
    )


#: The cost figures of the period (``pay.selectors.costs``) and the registry KPI that,
#: over a 12-month period, is the same figure (then only the KPI's row is printed).
PERIOD_COSTS = {
    "permanent_paybill": ("Permanent pay bill with on-costs", None),
    "incentives_paid": ("Incentives paid", "incentives_paid_12m"),
    "incentives_due": ("Incentive payments due", None),
    "agency_spend": ("Agency spend", "agency_spend"),
    "agency_premium": ("Agency premium", "agency_premium"),
}
#: What each period figure is derived from in the registry (the disclosure rule).
PERIOD_COST_RULE = {
    "permanent_paybill": "permanent_pay_yearly_cost",
    "incentives_paid": "permanent_pay_yearly_cost",
    "incentives_due": "permanent_pay_yearly_cost",
    "agency_spend": "agency_spend",
    "agency_premium": "agency_spend",
}


@dataclass
class Financial:
    paragraphs: list[str]
    tables: list[Table]


def _is_year(start: dt.date, end: dt.date) -> bool:
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1) == start
    except ValueError:  # 29 February
        return end - dt.timedelta(days=365) == start


def nobody_costed(costs: dict) -> bool:
    """No permanent worker in the period has a spinal point: the pay bill is unknown."""
    return costs.get("permanent_workers", 0) == costs.get("workers_without_point", 0)


def _financial(pack: PackData, values: dict, targets: dict) -> Financial:
    """Section 9's figures: the period's pay bill, incentives and agency costs from the
    pay services, every registry KPI tabled in the ``financial`` section, and the
    average salary by DfE role, each shown as the disclosure rule allows."""
    from dashboards.kpis.registry import report_section_kpis
    from pay import presenters as pay_presenters
    from pay import selectors as pay_selectors

    costs = pay_selectors.costs(start=pack.start, end=pack.end, scope=pack.scope)
    kpis = [key for key in report_section_kpis("financial") if key in values]
    a_year = _is_year(pack.start, pack.end)

    def hidden(rule_key: str) -> bool:
        return rule_key in values and _hidden(pack, rule_key, values)

    rows = []
    period: dict = {}  # the period's figures as printed
    kpi_cells: dict = {}  # the KPIs' figures as printed
    for key, (label, kpi) in PERIOD_COSTS.items():
        if a_year and kpi in kpis:
            continue  # the same figure as the KPI's row below
        if key not in costs:
            continue
        value = costs[key]
        if key == "permanent_paybill" and nobody_costed(costs):
            value = None  # no spinal point recorded: the pay bill is not known, not £0
        if hidden(PERIOD_COST_RULE[key]) and value is not None:
            cell = _withheld(pack.audience)
        else:
            cell = Num.of(value, "money", 0) if value is not None else "not available"
        period[key] = cell
        rows.append([label, cell, pack.period_label])
    for key in kpis:
        definition = REGISTRY[key]
        value = values[key]
        if definition.family == "pay" and not values.get("paid_headcount"):
            value = None  # nobody costed from the spine: not known, not £0
        if _hidden(pack, key, values):
            cell = _withheld(pack.audience)
        else:
            cell = kpi_num(key, value) if value is not None else "not available"
        kpi_cells[key] = cell
        basis = (
            f"12 months to {pack.end:%-d %B %Y}"
            if definition.flow or "12 months" in definition.definition
            else f"At {pack.end:%-d %B %Y}"
        )
        rows.append([definition.label, cell, basis])
    figures = Table(
        "Financial figures",
        ["Measure", "Amount", "Period"],
        rows,
        sheet="Financial figures",
        notes="Pay bill: spine salary x FTE plus employer National Insurance and pension, pro "
        "rata to the days in the period; incentives as recorded by HR and as due under the "
        "council's schemes; agency spend: hours x charge rate. "
        + " ".join(f"{REGISTRY[k].label}: {REGISTRY[k].definition}" for k in kpis)
        + " Source: the council's pay, HR and agency records.",
        widths=[46, 18, 36],
    )

    by_role = pay_presenters.average_salary_data(
        pay_selectors.pay_on(on=pack.end, scope=pack.scope), suppressed=pack.suppressed
    )
    hidden_roles = [item for item in by_role if item["hidden"]]
    if pack.suppressed and len(hidden_roles) == 1:
        # One hidden role could be worked out from the overall average and the others:
        # hide the next smallest too.
        others = sorted(
            (item for item in by_role if not item["hidden"]), key=lambda i: i["headcount"]
        )
        if others:
            others[0] = {**others[0], "hidden": disclosure.SECONDARY}
            by_role = [
                others[0] if item["org_role"] == others[0]["org_role"] else item for item in by_role
            ]

    def role_cell(item, value):
        if item["hidden"] == disclosure.SECONDARY:
            return _withheld(pack.audience, disclosure.SECONDARY)
        if item["hidden"]:
            return _withheld(pack.audience)
        return value

    salaries = Table(
        "Average salary by role",
        ["Role (DfE)", "Permanent workers costed", "FTE", "Average full-time salary"],
        [
            [
                item["role"],
                role_cell(item, item["headcount"]),
                role_cell(item, Num.of(item["fte"], "FTE") if item["fte"] is not None else None),
                role_cell(
                    item,
                    Num.of(item["average_salary"], "money", 0)
                    if item["average_salary"] is not None
                    else None,
                ),
            ]
            for item in by_role
        ],
        sheet="Average salary by role",
        notes=f"Permanent workers in post on {pack.end:%-d %B %Y} with a spinal point "
        "recorded: the mean of their full-time salaries from the NJC pay spine (not "
        "weighted by FTE)."
        + (
            f" A role with fewer than {pack.audience.limit} people is not shown."
            if pack.suppressed
            else ""
        )
        + " Source: the council's pay records.",
        widths=[32, 22, 22, 24],
    )

    paragraphs = []
    bill = period.get("permanent_paybill")
    limit = pack.audience.limit

    def small(count: int) -> bool:
        return pack.suppressed and disclosure.is_small(count, limit)

    if isinstance(bill, Num):
        workers = costs.get("permanent_workers") or 0
        missing = costs.get("workers_without_point") or 0
        paragraphs.append(
            "The permanent pay bill, with employer's National Insurance and pension, was "
            f"{bill} from {pack.period_label}"
            + ("" if small(workers) else f" for {workers:,} permanent social workers")
            + "."
            + (
                f" {missing:,} of them have no spinal point recorded and are counted but "
                "not costed."
                if missing and not small(missing)
                else ""
            )
        )
    elif bill == "not available":
        paragraphs.append(
            "The pay bill cannot be worked out: no permanent social worker has a spinal "
            "point recorded in the pay records."
        )
    elif isinstance(bill, Withheld):
        paragraphs.append(
            f"The pay figures rest on fewer than {limit} people and are not shown in this "
            "paper for publication."
        )
    parts = []
    spend = period.get("agency_spend", kpi_cells.get("agency_spend"))
    paid = period.get("incentives_paid", kpi_cells.get("incentives_paid_12m"))
    due = period.get("incentives_due")
    if isinstance(spend, Num):
        parts.append(f"agency social workers cost {spend}")
    if isinstance(paid, Num):
        parts.append(f"incentives of {paid} were paid")
    if isinstance(due, Num):
        parts.append(f"{due} of incentive payments fell due")
    if parts:
        paragraphs.append(f"Over the same period {_and_list(parts)}.")
    paragraphs.append(
        "The tables below set out the costs and the average salary by role, for the "
        "Section 151 officer's information; the definitions are in Appendix 3."
    )
    return Financial(paragraphs=paragraphs, tables=[figures, salaries])


def pack_data_build(
    *,
    start: dt.date,
    end: dt.date,
    scope: Scope,
    sections: list[str],
    title: str = DEFAULT_TITLE,
    meeting: str = "",
    audience: disclosure.Audience | None = None,
    texts: dict | None = None,
    progress=None,
) -> PackData:
    """The paper for the period ``start``..``end`` over ``scope``: the numbered sections
    (introduction, context, the chosen data sections, the plan, the implications) with the
    director's ``texts`` (FRONT_SHEET and TEXTS; a blank one takes the default).
    ``progress(done, total)`` is called after each part. Raises ``SectionError`` naming
    the section that failed. ``audience``: who the pack is for (default: a public
    committee paper, the councillor rule)."""
    unknown = [key for key in sections if key not in SECTIONS]
    if unknown:
        raise SectionError(f"Unknown section(s): {', '.join(unknown)}.")
    texts = dict(texts or {})
    if meeting and not texts.get("meeting"):
        texts["meeting"] = meeting
    pack = PackData(
        title=title,
        start=start,
        end=end,
        scope=scope,
        meeting=texts.get("meeting", ""),
        purpose=(
            "To inform the committee of the recruitment and retention of children's social "
            f"workers from {start:%-d %B %Y} to {end:%-d %B %Y}."
        ),
        sections=[],
        audience=audience or disclosure.Audience.public(),
        texts=texts,
    )
    values = compute_kpis(as_of=end, scope=scope)
    before = compute_kpis(as_of=start - dt.timedelta(days=1), scope=scope)
    targets = kpi_targets()
    for key in PAPER:  # fixes the order of the numbered sections
        pack.section(key)
    pack.section("introduction").paragraphs.extend(pack.paragraphs("introduction"))
    builders = {
        "summary": lambda: (_context(pack, values, before, targets), _trends(pack)),
        "workforce": lambda: _workforce(pack, values, targets),
        "caseloads": lambda: _caseloads(pack, values, targets),
        "leavers": lambda: _leavers(pack),
        "recruitment": lambda: _recruitment(pack),
        "exit_themes": lambda: _exit_themes(pack),
        "recommendations": lambda: _recommendations(pack),
        "plan": lambda: _plan(pack, values),
        "financial": lambda: financial.append(_financial(pack, values, targets)),
        "benchmarks": lambda: _benchmarks(pack),
        "appendix": lambda: _definitions(pack, values),
    }
    financial: list[Financial] = []
    chosen = [key for key in SECTIONS if key in sections]
    for done, key in enumerate(chosen, start=1):
        try:
            builders[key]()
        except Exception as error:
            raise SectionError(
                f"The section {SECTIONS[key]!r} could not be built: {error}"
            ) from error
        if progress:
            progress(done, len(chosen))
    implications = pack.section("implications")
    for key in ("financial", "legal", "equalities", "risk"):
        label = IMPLICATION_LABELS.get(key, TEXTS[key])
        implications.paragraphs.extend(f"{label}: {p}" for p in pack.paragraphs(key)[:1])
        implications.paragraphs.extend(pack.paragraphs(key)[1:])
        if key == "financial" and financial:
            # the figures follow the director's text, inside the financial implications
            implications.paragraphs.extend(financial[0].paragraphs)
            for table in financial[0].tables:
                table.after = len(implications.paragraphs)
                implications.tables.append(table)
    pack.sections = [
        s
        for s in pack.sections
        if s.paragraphs
        or s.charts
        or any(not t.appendix for t in s.tables)
        or s.key in ("introduction", "implications")
    ]
    for number, section in enumerate(pack.sections, start=1):
        section.number = number
    return pack


def summary_texts(pack: PackData) -> list[str]:
    """The summary: the director's text, or the app's narrative of the period."""
    if (pack.texts.get("summary") or "").strip():
        return pack.paragraphs("summary")
    return [pack.purpose, " ".join(pack.narrative)] if pack.narrative else [pack.purpose]


def default_summary(*, start: dt.date, end: dt.date, scope: Scope) -> str:
    """The app's narrative for a period, offered on the form for the director to edit."""
    pack = PackData("", start, end, scope, "", "", [])
    values = compute_kpis(as_of=end, scope=scope)
    before = compute_kpis(as_of=start - dt.timedelta(days=1), scope=scope)
    sentences = period_narrative(pack, values, before, kpi_targets())
    purpose = (
        "This report informs the committee of the recruitment and retention of children's "
        f"social workers from {start:%-d %B %Y} to {end:%-d %B %Y}."
    )
    return purpose + ("\n\n" + " ".join(sentences) if sentences else "")


def default_plan_text(*, end: dt.date) -> str:
    """The app's narrative of the plan to 85% from ``end``, offered on the form for the
    director to edit (the whole service's forecast; blank when the forecast rests on
    fewer people than a paper for publication may show)."""
    from .plan import forecast_plan

    scope = Scope.parse("all")
    pack = PackData("", end, end, scope, "", "", [])
    values = compute_kpis(as_of=end, scope=scope)
    if _hidden(pack, "permanence_rate", values):
        return ""
    plan = forecast_plan(end)
    return "\n\n".join(plan_narrative(plan, now=_shown_kpi(pack, "permanence_rate", values)))


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
    from dashboards.reports import chart_images

    for chart, png in zip(figures, chart_images.pngs(c.figure for c in figures), strict=True):
        chart.png = png


def cell_text(value) -> str:
    """A value as printed in the Word and PDF tables."""
    if value is None:
        return "-"
    if isinstance(value, (Withheld, Num)):
        return str(value)
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.1'))}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
