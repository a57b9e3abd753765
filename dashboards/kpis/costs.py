"""Cost KPIs (issues 13 and 14): the agency premium over a permanent worker on the
equivalent grade, and the cost per case-holding FTE, over the 12 months to the date.

The money comes from ``pay.costing`` (the same functions as ``manage.py costs``, the Pay
and costs page and the API); the case-holding FTE from the workforce family's own
statement (``components_many``), averaged over the month ends of the 12 months. A fixed
number of queries for all dates and scopes: the permanent employments, spine, on-costs,
placements, equivalent grades and one components statement; then arithmetic in Python
per date over the groups (team, DfE role), summed for each scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.dates import years_before

from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos
from .workforce import components_many

ZERO = Decimal(0)


def twelve_months_to(date: dt.date) -> tuple[dt.date, dt.date]:
    """The 12 months to ``date``: from the day after the same date a year earlier."""
    return years_before(date, 1) + dt.timedelta(days=1), date


def case_holding_mean(
    components: dict, dates: list[dt.date], scope: Scope, teams: dict
) -> tuple[Decimal | None, Decimal | None]:
    """The mean case-holding FTE and headcount of ``scope`` over ``dates`` (the workforce
    family's components of each date); None for no dates."""
    if not dates:
        return None, None
    fte = headcount = ZERO
    for date in dates:
        for (team_id, org_role), row in components.get(date, {}).items():
            team = teams.get(team_id)
            if team is None or not scope.includes(team, org_role):
                continue
            fte += row.get("case_holders_fte", ZERO)
            headcount += row.get("case_holders_headcount", ZERO)
    return fte / len(dates), headcount / len(dates)


def case_holding_average(
    *, start: dt.date, end: dt.date, scope: Scope | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """``pay.figures`` provider: the mean case-holding FTE and headcount over the month
    ends of the period (its last day if none), as the workforce KPIs count them."""
    from pay.costing import month_ends_in

    dates = month_ends_in(start, end)
    return case_holding_mean(components_many(dates), dates, scope or Scope("all"), team_infos())


@register_family(
    "costs",
    KpiDefinition(
        key="agency_premium",
        label="Agency premium",
        unit="money",
        derived_from=("agency_placements",),
        decimals=0,
        higher_is_better=False,
        report_sections=("financial",),
        definition=(
            "What agency placements cost in the 12 months to the date (hours a week x hourly "
            "charge rate) minus what permanent workers on the equivalent grade would have "
            "cost for the same hours: the spine salary of the grade's point set for each "
            "DfE role category (top of the grade unless an admin chose otherwise), pro rata "
            "to hours over a 37-hour week, plus employer National Insurance and pension. "
            "Not available until every placement's role category has an equivalent grade."
        ),
    ),
    KpiDefinition(
        key="cost_per_case_holding_fte",
        label="Cost per case-holding FTE",
        unit="money",
        derived_from=("case_holders_headcount", "paid_headcount"),
        decimals=0,
        report_sections=("financial",),
        definition=(
            "The permanent pay bill with on-costs plus agency spend in the 12 months to the "
            "date, divided by the average case-holding FTE (agency included) on the last "
            "day of each of those months."
        ),
    ),
    reads=(
        "pay.SpinePoint",
        "pay.OnCostRate",
        "pay.WorkerPoint",
        "pay.GradePointRange",
        "pay.AgencyEquivalentGrade",
        "agency.AgencyPlacement",
        "workforce.Employment",
        "workforce.Assignment",
        "workforce.CaseloadSnapshot",
        "workforce.Team",
    ),
)
def costs_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    from pay import costing, selectors

    teams = team_infos()
    periods = {date: twelve_months_to(date) for date in dates}
    first = min(start for start, _ in periods.values())
    spine, oncosts = selectors.Spine(), selectors.OnCosts()
    employments = [
        e
        for e in selectors.permanent_employments(start=first, end=max(dates))
        if e.pay_points.all()
    ]
    agency = costing.AgencyCosting.between(
        start=first, end=max(dates), spine=spine, oncosts=oncosts
    )
    month_ends = {date: costing.month_ends_in(*periods[date]) for date in dates}
    components = components_many(sorted({d for ends in month_ends.values() for d in ends}))
    results: dict = {}
    for date in dates:
        start, end = periods[date]
        pay_groups = costing.paybill_groups(
            employments=employments, start=start, end=end, spine=spine, oncosts=oncosts
        )
        agency_lines = agency.lines(start=start, end=end)
        for scope in scopes:
            mine = [
                value
                for (team_id, role), value in pay_groups.items()
                if costing.in_scope(scope, teams, team_id, role)
            ]
            line = costing.scope_total(agency_lines, scope, teams)
            fte, _headcount = case_holding_mean(components, month_ends[date], scope, teams)
            results[(date, scope)] = {
                "agency_premium": line.premium,
                # No permanent worker costed from the spine: no pay data, no figure.
                "cost_per_case_holding_fte": costing.cost_per_fte(
                    paybill=sum(mine, ZERO), agency_cost=line.agency_cost, case_holding_fte=fte
                )
                if mine
                else None,
            }
    return results
