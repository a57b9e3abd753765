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


def average_salary_rows(pay_rows, *, suppressed: bool) -> list[RoleRow]:
    """Average full-time salary by DfE role of the workers with a spinal point. Suppressed:
    a group under the threshold shows "fewer than 5" and no average."""
    limit = threshold()
    groups: dict[int, list] = defaultdict(list)
    for row in pay_rows:
        if row.annual_salary is not None:
            groups[row.assignment.org_role].append(row)
    rows = []
    for code in sorted(groups):
        members = groups[code]
        count = len(members)
        hidden = suppressed and count < limit
        average = sum(r.annual_salary for r in members) / count
        fte = sum(r.assignment.fte for r in members)
        rows.append(
            RoleRow(
                role=OrgRole(code).label,
                headcount=f"fewer than {limit}" if hidden else f"{count:,}",
                fte="hidden" if hidden else f"{fte:,.1f}",
                average_salary="hidden" if hidden else money(average),
            )
        )
    return rows


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
