"""Pay KPIs (issue 14): what the permanent workforce on the date costs a year, their
average full-time salary and how many are costed, and incentive payments in the 12
months to the date. Reads ``pay.selectors`` (the spine, on-costs, permanent employments
and payments: a fixed number of queries for all dates), groups each date's workers by
(team, DfE role) and sums those groups for every scope.

Money is in pounds. The headcount is in people, so a scrutiny member's small-number rule
hides the family's money figures wherever it is small (never one person's pay).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.dates import years_before

from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos


def average(total: Decimal, count: int) -> Decimal | None:
    """``total / count``, or None for nobody."""
    return total / count if count else None


@register_family(
    "pay",
    KpiDefinition(
        key="paid_headcount",
        label="Permanent workers costed from the pay spine",
        unit="people",
        definition=(
            "Permanent (non-agency) workers in post on the date with a spinal point "
            "recorded, whose salary is worked out from the NJC pay spine."
        ),
    ),
    KpiDefinition(
        key="permanent_pay_yearly_cost",
        report_sections=("financial",),
        label="Yearly cost of the permanent workforce",
        unit="money",
        derived_from=("paid_headcount",),
        decimals=0,
        definition=(
            "What the permanent workers in post on the date cost a year at that date's "
            "pay: spine salary of their point x FTE, plus employer National Insurance "
            "above the threshold and employer pension at the council's on-cost rates."
        ),
    ),
    KpiDefinition(
        key="average_salary",
        report_sections=("financial",),
        label="Average salary (full time)",
        unit="money",
        derived_from=("paid_headcount",),
        decimals=0,
        definition=(
            "The mean full-time salary from the pay spine of the permanent workers in post "
            "on the date with a spinal point (not weighted by FTE)."
        ),
    ),
    KpiDefinition(
        key="incentives_paid_12m",
        report_sections=("financial",),
        label="Incentives paid in the last 12 months",
        unit="money",
        derived_from=("paid_headcount",),
        decimals=0,
        definition=(
            "Market supplements, bonuses, relocation, car allowances and retention payments "
            "recorded as paid in the 12 months to the date, by the worker's team and role "
            "on the day paid."
        ),
    ),
    reads=(
        "pay.SpinePoint",
        "pay.OnCostRate",
        "pay.WorkerPoint",
        "pay.IncentivePayment",
        "workforce.Employment",
        "workforce.Assignment",
    ),
)
def pay_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    """Set-based reads (issue 14, `make bench` case (i)): the employments, assignments and
    spinal points of the whole period in three ``values_list`` queries
    (``selectors.permanent_rows``: no model instances, no per-date or per-worker query),
    then the arithmetic over plain tuples. Before this, each date walked prefetched model
    instances (``selectors.worker_pay_on``): 33x the SQL floor on the large council; see
    docs/benchmarks.md."""
    from pay import selectors
    from pay.arithmetic import yearly_cost
    from pay.models import IncentivePayment

    teams = team_infos()
    spine, oncosts = selectors.Spine(), selectors.OnCosts()
    earliest, latest = years_before(min(dates), 1), max(dates)
    payments = list(
        IncentivePayment.objects.filter(paid_on__gt=earliest, paid_on__lte=latest).values_list(
            "employment_id", "paid_on", "amount"
        )
    )
    # the permanent employments in post at some time from ``earliest`` to ``latest``
    permanent = selectors.permanent_rows(start=earliest, end=latest)
    spans, points, assignments = permanent.spans, permanent.points, permanent.assignments
    paid_ids = {employment_id for employment_id, _, _ in payments}
    # Only workers with a spinal point or a payment can add anything (a council that has
    # not set up pay costs nothing here).
    wanted = {pk for pk in spans if pk in points or pk in paid_ids}
    costed = [(spans[pk], assignments.get(pk, []), points[pk]) for pk in wanted if pk in points]
    results: dict = {}
    for date in dates:
        rate = oncosts.on(date)
        salaries: dict[int, Decimal | None] = {}
        # (team, DfE role) -> [headcount, salary total, yearly cost, incentives paid]
        groups: dict[tuple, list] = {}
        for (start, end), rows, worker_points in costed:
            if start > date or (end is not None and end <= date):
                continue
            assignment = selectors.active_row(rows, date)
            point = selectors.active_row(worker_points, date)
            if assignment is None or point is None:
                continue
            scp = point[2]
            if scp not in salaries:
                salaries[scp] = spine.salary(scp, date)
            salary = salaries[scp]
            if salary is None:
                continue
            pay = salary * assignment[4]
            cost = pay if rate is None else yearly_cost(
                pay=pay, ni_rate=rate.employer_ni_rate, ni_threshold=rate.employer_ni_threshold,
                pension_rate=rate.pension_rate,
            )  # fmt: skip
            sums = groups.setdefault(
                (assignment[2], assignment[3]), [0, Decimal(0), Decimal(0), Decimal(0)]
            )
            sums[0] += 1
            sums[1] += salary
            sums[2] += cost
        after = years_before(date, 1)
        for employment_id, paid_on, amount in payments:
            if employment_id not in wanted or not after < paid_on <= date:
                continue
            assignment = selectors.assignment_when_paid(assignments.get(employment_id, []), paid_on)
            key = (assignment[2], assignment[3])
            groups.setdefault(key, [0, Decimal(0), Decimal(0), Decimal(0)])[3] += amount
        for scope in scopes:
            mine = [
                sums
                for (team_id, org_role), sums in groups.items()
                if team_id in teams and scope.includes(teams[team_id], org_role)
            ]
            count = sum(s[0] for s in mine)
            results[(date, scope)] = {
                "paid_headcount": Decimal(count),
                "permanent_pay_yearly_cost": sum((s[2] for s in mine), Decimal(0)),
                "average_salary": average(sum((s[1] for s in mine), Decimal(0)), count),
                "incentives_paid_12m": sum((s[3] for s in mine), Decimal(0)),
            }
    return results
