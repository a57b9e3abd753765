"""The Pay and costs page as figures in, rows out (testable without HTTP). Councillors and
team-limited service managers see totals and averages only, and no average over fewer
than the suppression threshold (5) people; nobody's own pay is ever on the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from workforce.choices import OrgRole
from workforce.disclosure import is_small
from workforce.suppression import Cell, primary_text, suppress_counts, threshold

from .arithmetic import pounds


@dataclass(frozen=True)
class RoleRow:
    role: str
    headcount: str
    fte: str
    average_salary: str


def money(value: Decimal | None) -> str:
    return "not available" if value is None else f"£{pounds(value):,.2f}"


def average_salary_data(pay_rows, *, suppressed: bool) -> list[dict]:
    """Average full-time salary by DfE role of the workers with a spinal point (raw values;
    None where hidden). Suppressed: a group under the threshold has no count or average."""
    limit = threshold()
    groups: dict[int, list] = defaultdict(list)
    for row in pay_rows:
        if row.annual_salary is not None:
            groups[row.assignment.org_role].append(row)
    data = []
    for code in sorted(groups):
        members = groups[code]
        count = len(members)
        hidden = suppressed and count < limit
        data.append(
            {
                "org_role": code,
                "role": OrgRole(code).label,
                "headcount": None if hidden else count,
                "fte": None if hidden else sum(r.assignment.fte for r in members),
                "average_salary": None
                if hidden
                else pounds(sum(r.annual_salary for r in members) / count),
                "hidden": hidden,
            }
        )
    return data


def average_salary_rows(pay_rows, *, suppressed: bool) -> list[RoleRow]:
    """The same as shown on the page."""
    limit = threshold()
    return [
        RoleRow(
            role=item["role"],
            headcount=f"fewer than {limit}" if item["hidden"] else f"{item['headcount']:,}",
            fte="hidden" if item["hidden"] else f"{item['fte']:,.1f}",
            average_salary="hidden" if item["hidden"] else money(item["average_salary"]),
        )
        for item in average_salary_data(pay_rows, suppressed=suppressed)
    ]


#: The people each cost figure is worked out from (the disclosure rule's counts).
COUNTS_OF = {
    "agency_spend": ("agency_placements",),
    "agency_premium": ("agency_placements",),
    "cost_per_case_holding_fte": ("case_holding_headcount", "costed_workers"),
}


def hidden_figures(figures: dict, *, suppressed: bool) -> dict[str, str]:
    """The cost figures a suppressed audience may not see, with the words shown instead:
    one worked out from fewer than the threshold of people (``workforce.disclosure``)."""
    if not suppressed:
        return {}
    limit = threshold()
    counts = {
        "agency_placements": figures.get("agency_placements"),
        "case_holding_headcount": figures.get("case_holding_headcount"),
        "costed_workers": figures.get("permanent_workers", 0)
        - figures.get("workers_without_point", 0),
    }
    return {
        key: primary_text(limit)
        for key, names in COUNTS_OF.items()
        if figures.get(key) is not None and any(is_small(counts[name], limit) for name in names)
    }


def headline(figures: dict, *, suppressed: bool = False) -> list[tuple[str, str, str]]:
    """(label, value, definition) for the cost figures of the period."""
    hidden = hidden_figures(figures, suppressed=suppressed)

    def shown(key: str) -> str:
        return hidden[key] if key in hidden else money(figures[key])

    premium_note = (
        "Agency spend minus what permanent workers on the equivalent grade would have cost "
        "for the same hours: spine salary of the grade's point (set per DfE role category "
        "by an admin; the top of the grade unless chosen otherwise), pro rata to a 37-hour "
        "week, plus employer NI and pension."
    )
    if figures.get("premium_missing"):
        premium_note += " Not available: " + " ".join(figures["premium_missing"])
    return [
        (
            "Permanent pay bill with on-costs",
            money(figures["permanent_paybill"]),
            "Spine salary of each permanent worker's point x FTE, plus employer NI and "
            "pension at the council's rates, pro rata to the days in the period.",
        ),
        ("Incentives paid", money(figures["incentives_paid"]), "Payments HR recorded as paid."),
        (
            "Incentive payments due",
            money(figures["incentives_due"]),
            "Supplements, bonuses and retention instalments falling due in the period.",
        ),
        (
            "Agency spend",
            shown("agency_spend"),
            "Hours a week x hourly charge rate of each agency placement, a seventh of the "
            "week for each day active in the period.",
        ),
        ("Agency premium", shown("agency_premium"), premium_note),
        (
            "Cost per case-holding FTE",
            shown("cost_per_case_holding_fte"),
            "Permanent pay bill with on-costs plus agency spend over the period, divided by "
            "the average case-holding FTE (agency included) on the last day of each month.",
        ),
    ]


@dataclass(frozen=True)
class AgencyRow:
    label: str
    placements: str
    spend: str
    premium: str


#: How the agency spend and premium table can be broken down.
AGENCY_BY = {"role": "DfE role category", "team": "Team", "month": "Month"}
#: The same, as it reads inside a heading ("... by DfE role category", "... by team").
AGENCY_BY_IN_TEXT = {"role": "DfE role category", "team": "team", "month": "month"}


def agency_rows(lines: dict, *, suppressed: bool) -> list[AgencyRow]:
    """Agency spend and premium by month, team or role category (``pay.costing`` lines).
    Suppressed: a row of fewer than the threshold of placements hides its figures, and
    another row with it where the shown total would reveal them (``suppress_counts``)."""
    counts = {key: len(line.placements) for key, line in lines.items()}
    if suppressed:
        cells, _total = suppress_counts(counts, limit=threshold())
    else:
        cells = {key: Cell(value, threshold()) for key, value in counts.items()}
    rows = []
    for key, line in lines.items():
        cell = cells[key]
        hidden = cell.value is None
        rows.append(
            AgencyRow(
                label=str(key),
                placements=str(cell),
                spend="hidden" if hidden else money(line.agency_cost),
                premium="hidden" if hidden else money(line.premium),
            )
        )
    return rows
