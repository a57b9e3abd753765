"""Agency placement KPIs (issue 13): what agency social workers cost and how many
placements keep the DfE agency rules.

Reads ``agency.selectors`` once for every date: the placements active in the 12 months
before the earliest date up to the latest, with the facts the rules need. A placement
counts in a scope by its team and by the DfE role its role category counts under
(``agency.choices.ORG_ROLE_OF_CATEGORY``); one with no team counts in the whole service
and role scopes only. ``agency_figures`` is the arithmetic (no database).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from core.dates import years_before

from .registry import KpiDefinition, register_family
from .scope import Scope, team_infos


@dataclass(frozen=True)
class PlacementRow:
    """What the KPIs need about one placement; ``breaks(date)`` judges the rules on a date."""

    start: dt.date
    end: dt.date | None
    hours_per_week: Decimal
    hourly_cost: Decimal
    team_id: int | None
    org_role: int
    over_cap: bool
    breaks: object  # Callable[[date], bool]

    def active_on(self, date: dt.date) -> bool:
        return self.start <= date and (self.end is None or self.end > date)


def agency_figures(rows: list[PlacementRow], *, as_of: dt.date) -> dict[str, Decimal | None]:
    from agency.returns import cost

    active = [row for row in rows if row.active_on(as_of)]
    first = years_before(as_of, 1) + dt.timedelta(days=1)
    spend = sum(
        (
            cost(
                hours_per_week=row.hours_per_week,
                charge_rate=row.hourly_cost,
                start=row.start,
                end=row.end,
                first=first,
                last=as_of,
            )
            for row in rows
        ),
        Decimal("0"),
    )
    compliant = sum(1 for row in active if not row.breaks(as_of))
    return {
        "agency_placements": Decimal(len(active)),
        "agency_spend": spend,
        "agency_placements_compliant_rate": (
            Decimal(compliant) * 100 / len(active) if active else None
        ),
        "agency_cap_breaches": Decimal(sum(1 for row in active if row.over_cap)),
        "agency_placements_over_12_months": Decimal(
            sum(1 for row in active if row.start <= years_before(as_of, 1))
        ),
    }


@register_family(
    "agency",
    KpiDefinition(
        key="agency_placements",
        label="Agency placements",
        unit="people",
        decimals=0,
        definition=(
            "Agency placements active on the date (headcount; the base of the compliance "
            "rate, so a small number hides the family's rates and money from councillors)."
        ),
    ),
    KpiDefinition(
        key="agency_spend",
        report_sections=("financial",),
        label="Agency spend",
        unit="money",
        derived_from=("agency_placements",),
        decimals=0,
        definition=(
            "What agency placements cost in the 12 months to the date: hours a week x hourly "
            "charge rate (the pay rate where no charge rate is recorded), a seventh of the "
            "week for each day a placement was active."
        ),
        higher_is_better=False,
    ),
    KpiDefinition(
        key="agency_placements_compliant_rate",
        label="Agency placements keeping the DfE rules",
        unit="%",
        derived_from=("agency_placements",),
        definition=(
            "Agency placements active on the date that break none of the DfE agency rules "
            "(PQE, cooling-off, price cap, notice, references, project teams), as a share of "
            "all agency placements active on the date (headcount)."
        ),
        higher_is_better=True,
    ),
    KpiDefinition(
        key="agency_cap_breaches",
        label="Agency placements above the price cap",
        unit="people",
        decimals=0,
        definition=(
            "Agency placements active on the date paid above the region's price cap for "
            "their role category, whether or not the DCS and chief executive signed it off."
        ),
        higher_is_better=False,
    ),
    KpiDefinition(
        key="agency_placements_over_12_months",
        label="Agency placements longer than 12 months",
        unit="people",
        decimals=0,
        definition=(
            "Agency placements active on the date that started 12 months or more before it."
        ),
        higher_is_better=False,
    ),
    reads=(
        "agency.AgencyPlacement",
        "agency.CapSignOff",
        "agency.RegionalPriceCap",
        "agency.RegionalLeaver",
        # the PQE and cooling-off rules read the council's own employments
        "workforce.Employment",
    ),
)
def agency_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict:
    from agency import rules, selectors
    from agency.choices import ORG_ROLE_OF_CATEGORY

    placements = list(
        selectors.placements_active_between(start=years_before(min(dates), 1), end=max(dates))
    )
    facts = selectors.placement_facts_many(placements)
    settings = selectors.rule_settings()
    rows = []
    for placement in placements:
        f = facts[placement.pk]
        rows.append(
            PlacementRow(
                start=placement.start_date,
                end=placement.end_date,
                hours_per_week=placement.hours_per_week,
                hourly_cost=placement.charge_rate or placement.pay_rate,
                team_id=placement.team_id,
                org_role=int(ORG_ROLE_OF_CATEGORY[placement.role_category]),
                over_cap=rules.over_cap(f),
                breaks=lambda date, f=f: bool(rules.check_all(f, settings=settings, as_of=date)),
            )
        )
    teams = team_infos()

    def included(row: PlacementRow, scope: Scope) -> bool:
        if row.team_id is None or row.team_id not in teams:
            return scope.kind in ("all", "role") and (
                scope.kind == "all" or row.org_role == int(scope.value)
            )
        return scope.includes(teams[row.team_id], row.org_role)

    results = {}
    for scope in scopes:
        mine = [row for row in rows if included(row, scope)]
        for date in dates:
            results[(date, scope)] = agency_figures(mine, as_of=date)
    return results
