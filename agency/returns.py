"""The DfE quarterly agency return and what agency costs.

``agency_return(quarter=...)`` builds the return for a calendar quarter (``2025Q1`` is
January to March 2025): one row per placement active on any day of the quarter with the
fields DfE asks for and each rule complied with or not (and why, as at the quarter's last
day), then the quarter's totals: the agency cost of each month and the placements paid
above the cap with who signed them off. It is validated first; ``ReturnProblems`` lists
everything missing and nothing is written.

Cost: hours a week x hourly charge rate, a seventh of the week for each day a placement
is active in the period (the house rule: active on D when start <= D < end).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from workforce.choices import ContractType
from workforce.models import Employment

from . import rules, selectors
from .choices import Rule

PENNY = Decimal("0.01")
PLACEMENT_HEADER = [
    "SWENo",
    "Agency",
    "RoleCategory",
    "HourlyPayRate",
    "HourlyChargeRate",
    "HoursPerWeek",
    "StartDate",
    "EndDate",
    "ProjectTeamOrPackagedModel",
    *[column for rule in Rule for column in (f"{rule.value}Complied", f"{rule.value}Explanation")],
]
COST_HEADER = ["Month", "AgencyCost"]
CAP_HEADER = [
    "SWENo",
    "Agency",
    "HourlyRate",
    "HourlyCap",
    "DCSSignedBy",
    "DCSSignedOn",
    "ChiefExecutiveSignedBy",
    "ChiefExecutiveSignedOn",
]


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = re.fullmatch(r"\s*(\d{4})\s*-?\s*Q([1-4])\s*", text or "", re.IGNORECASE)
        if not match:
            raise ValueError(f"Write the quarter as YEARQn, for example 2025Q1 (not {text!r}).")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The quarter's last day."""
        return month_end(dt.date(self.year, 3 * self.number, 1))

    def months(self) -> list[dt.date]:
        return [dt.date(self.year, 3 * self.number - 2 + i, 1) for i in range(3)]


def month_end(first: dt.date) -> dt.date:
    return rules.add_months(first, 1) - dt.timedelta(days=1)


def days_active(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    """Days from ``first`` to ``last`` (inclusive) on which a placement is active."""
    begin = max(start, first)
    stop = min(end - dt.timedelta(days=1) if end else last, last)
    return max((stop - begin).days + 1, 0)


def cost(
    *, hours_per_week, charge_rate, start: dt.date, end: dt.date | None, first, last
) -> Decimal:
    """Agency cost of one placement from ``first`` to ``last``: hours x charge rate."""
    if charge_rate is None:
        return Decimal("0")
    days = days_active(start, end, first, last)
    return Decimal(hours_per_week) * Decimal(charge_rate) * days / 7


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP))


class ReturnProblems(ValidationError):
    """Everything missing from the return (nothing is written)."""


def agency_return(*, quarter: Quarter) -> dict:
    """The return's rows and totals; raises ``ReturnProblems`` listing everything missing."""
    placements = list(
        selectors.placements_active_between(start=quarter.start, end=quarter.end).order_by(
            "start_date", "swe_number"
        )
    )
    problems: list[str] = []
    region = selectors.council_region()
    if not region:
        problems.append("The council's region is not known: set it on the council (admin).")
    # Agency workers in post during the quarter whose placement was never recorded.
    covered = {p.employment_id for p in placements if p.employment_id}
    missing = (
        Employment.objects.filter(contract_type=ContractType.AGENCY, start_date__lte=quarter.end)
        .exclude(end_date__lte=quarter.start)
        .exclude(pk__in=covered)
        .exclude(person__swe_number__in=[p.swe_number for p in placements])
        .select_related("person")
        .order_by("start_date")
    )
    for employment in missing:
        problems.append(
            f"{employment.person.swe_number}: agency worker from "
            f"{rules.fmt(employment.start_date)} has no placement "
            "details (rates, role category, rules): record them."
        )
    rows = selectors.placement_rows(placements, as_of=quarter.end)
    for row in rows:
        p, facts = row["placement"], row["facts"]
        if p.charge_rate is None:
            problems.append(f"{p.swe_number}: no hourly charge rate (the monthly cost needs it).")
        if region and facts.cap is None and p.start_date >= rules.RULES_IN_FORCE:
            problems.append(
                f"{p.swe_number}: no {region} price cap for {p.get_role_category_display()} on "
                f"{rules.fmt(p.start_date)}: load the caps (import_price_caps)."
            )
    if problems:
        raise ReturnProblems(problems)

    placement_rows = []
    for row in rows:
        p = row["placement"]
        broken = {b.rule: b.message for b in row["breaches"]}
        placement_rows.append(
            [
                p.swe_number,
                p.agency.name,
                p.role_category,
                _money(p.pay_rate),
                _money(p.charge_rate),
                str(p.hours_per_week.normalize()),
                p.start_date.isoformat(),
                p.end_date.isoformat() if p.end_date else "",
                "yes" if p.is_project_team else "no",
                *[
                    value
                    for rule in Rule
                    for value in (
                        "no" if rule.value in broken else "yes",
                        broken.get(rule.value, ""),
                    )
                ],
            ]
        )
    monthly = []
    for first in quarter.months():
        last = month_end(first)
        total = sum(
            (
                cost(
                    hours_per_week=row["placement"].hours_per_week,
                    charge_rate=row["placement"].charge_rate,
                    start=row["placement"].start_date,
                    end=row["placement"].end_date,
                    first=first,
                    last=last,
                )
                for row in rows
            ),
            Decimal("0"),
        )
        monthly.append([f"{first:%Y-%m}", _money(total)])
    cap_rows = []
    for row in rows:
        if not row["over_cap"]:
            continue
        p = row["placement"]
        signed = {s.role: s for s in row["sign_offs"]}
        dcs, ce = signed.get("dcs"), signed.get("chief_executive")
        cap_rows.append(
            [
                p.swe_number,
                p.agency.name,
                _money(row["rate"]),
                _money(row["facts"].cap.hourly_cap),
                dcs.signed_by if dcs else "",
                dcs.signed_on.isoformat() if dcs else "",
                ce.signed_by if ce else "",
                ce.signed_on.isoformat() if ce else "",
            ]
        )
    return {
        "quarter": str(quarter),
        "placements": placement_rows,
        "monthly": monthly,
        "caps": cap_rows,
    }


def return_csv(data: dict) -> str:
    """The return as one CSV: placements, monthly costs, cap breaches (blank lines between)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PLACEMENT_HEADER)
    writer.writerows(data["placements"])
    writer.writerow([])
    writer.writerow(COST_HEADER)
    writer.writerows(data["monthly"])
    writer.writerow(["QuarterTotal", _money(sum(Decimal(m[1]) for m in data["monthly"]))])
    writer.writerow([])
    writer.writerow(CAP_HEADER)
    writer.writerows(data["caps"])
    return out.getvalue()


def read_return(text: str) -> dict:
    """Read a return written by ``return_csv`` back into its three tables (as dicts)."""
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text)):
        if not row:
            blocks.append([])
        else:
            blocks[-1].append(row)
    tables = [[dict(zip(block[0], r, strict=False)) for r in block[1:]] for block in blocks]
    return {"placements": tables[0], "monthly": tables[1], "caps": tables[2]}


def spend_by(*, start: dt.date, end: dt.date, by: str = "month") -> list[tuple[str, Decimal]]:
    """Agency spend (hours x charge rate) from ``start`` to ``end``, by month, team or role
    category. A placement with no charge rate recorded is costed at its pay rate."""
    from .choices import RoleCategory

    placements = selectors.placements_active_between(start=start, end=end)
    totals: dict[str, Decimal] = {}
    if by == "month":
        first = start.replace(day=1)
        while first <= end:
            last = min(month_end(first), end)
            lo = max(first, start)
            totals[f"{first:%Y-%m}"] = sum(
                (
                    cost(
                        hours_per_week=p.hours_per_week,
                        charge_rate=p.charge_rate or p.pay_rate,
                        start=p.start_date,
                        end=p.end_date,
                        first=lo,
                        last=last,
                    )
                    for p in placements
                ),
                Decimal("0"),
            )
            first = rules.add_months(first, 1)
        return list(totals.items())
    for p in placements:
        if by == "team":
            key = p.team.name if p.team else "No team recorded"
        else:
            key = RoleCategory(p.role_category).label
        totals[key] = totals.get(key, Decimal("0")) + cost(
            hours_per_week=p.hours_per_week,
            charge_rate=p.charge_rate or p.pay_rate,
            start=p.start_date,
            end=p.end_date,
            first=start,
            last=end,
        )
    return sorted(totals.items())
