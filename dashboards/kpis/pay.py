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
from bisect import bisect_right
from decimal import Decimal

from .rates import years_before
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
    from pay import selectors
    from pay.models import IncentivePayment

    teams = team_infos()
    spine, oncosts = selectors.Spine(), selectors.OnCosts()
    earliest = years_before(min(dates), 1)
    payments = list(
        IncentivePayment.objects.filter(paid_on__gt=earliest, paid_on__lte=max(dates)).values_list(
            "employment_id", "paid_on", "amount"
        )
    )
    employments = selectors.permanent_employments(start=earliest, end=max(dates))
    paid_ids = {employment_id for employment_id, _, _ in payments}
    # Only workers with a spinal point or a payment can add anything (a council that has
    # not set up pay costs nothing here).
    employments = [e for e in employments if e.pay_points.all() or e.pk in paid_ids]
    # Each worker's assignments and points listed once, not once per date.
    workers = [(e, list(e.assignments.all()), list(e.pay_points.all())) for e in employments]
    # Each payment counts for the team and role of the worker on the day paid (or their
    # last): the same on every date, so worked out once.
    assignments_of = {employment.pk: assignments for employment, assignments, _ in workers}
    paid = []
    for employment_id, paid_on, amount in payments:
        assignments = assignments_of.get(employment_id)
        if assignments is None:
            continue
        assignment = selectors._active(assignments, paid_on) or max(
            assignments, key=lambda a: a.effective_from
        )
        paid.append((paid_on, (assignment.team_id, assignment.org_role), amount))
    paid.sort(key=lambda payment: payment[0])
    paid_days = [paid_on for paid_on, _, _ in paid]
    results: dict = {}
    for date in dates:
        # (team, DfE role) -> [headcount, salary total, yearly cost, incentives paid]
        groups: dict[tuple, list] = {}
        for employment, assignments, points in workers:
            row = selectors.worker_pay_on(
                employment=employment,
                on=date,
                spine=spine,
                assignments=assignments,
                points=points,
            )
            if row is None or row.annual_salary is None:
                continue
            key = (row.assignment.team_id, row.assignment.org_role)
            sums = groups.setdefault(key, [0, Decimal(0), Decimal(0), Decimal(0)])
            sums[0] += 1
            sums[1] += row.annual_salary
            sums[2] += oncosts.yearly_cost(row.pay, date)
        after = years_before(date, 1)
        # The payments in (after, date]: paid_days is sorted.
        for _, key, amount in paid[bisect_right(paid_days, after) : bisect_right(paid_days, date)]:
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
