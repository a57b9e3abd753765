"""The Pay and costs page as figures in, rows out (testable without HTTP). Councillors and
team-limited service managers see totals and averages only, and no average over fewer
than the suppression threshold (5) people; nobody's own pay is ever on the page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from workforce.choices import OrgRole
from workforce.suppression import threshold

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


def headline(figures: dict) -> list[tuple[str, str, str]]:
    """(label, value, definition) for the cost figures of the period."""
    agency_note = "Not available until agency placements with charge rates are recorded."
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
        ("Agency spend", money(figures["agency_spend"]), agency_note),
        ("Agency premium", money(figures["agency_premium"]), agency_note),
    ]
