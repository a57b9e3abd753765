"""What if: converting agency FTE to permanent, or paying a supplement to a group.

The figures come from the same services as the cost KPIs (``pay.costing`` for agency
and equivalent permanent cost, ``pay.selectors`` for the permanent workers in post and
the on-cost rates); the arithmetic is pure and tested on its own.

- Converting N agency FTE to permanent saves a year
  N x (average agency annual cost per FTE - average permanent annual cost per FTE at the
  equivalent grade), both averaged over the placements of the period: agency cost /
  agency FTE-years and equivalent permanent cost / the same FTE-years.
- A supplement of £X a year to a group (team, DfE role, grade: any combination) costs a
  year X x FTE (pro rata, as market supplements are paid) or X x headcount, plus employer
  NI and pension at the rates in force on the day (the supplement sits on top of pay that
  is already above the NI threshold).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)


# --- Pure arithmetic -------------------------------------------------------------------


def per_fte_year(total: Decimal, fte_years: Decimal) -> Decimal:
    """A cost over a period as a yearly cost per FTE: ``total / fte_years``."""
    return total / fte_years


def conversion_saving(
    *, fte: Decimal, agency_per_fte: Decimal, permanent_per_fte: Decimal
) -> Decimal:
    """N x (agency annual cost per FTE - permanent annual cost per FTE)."""
    return fte * (agency_per_fte - permanent_per_fte)


def supplement_cost(
    *, amount: Decimal, units: Decimal, ni_rate: Decimal, pension_rate: Decimal
) -> Decimal:
    """X x units (FTE or headcount) x (1 + NI % + pension %)."""
    return amount * units * (1 + (ni_rate + pension_rate) / 100)


# --- Converting agency FTE to permanent ------------------------------------------------


class WhatIfProblem(ValueError):
    """The what-if cannot be worked out (the message says why and what to do)."""


@dataclass(frozen=True)
class Conversion:
    fte: Decimal
    start: dt.date
    end: dt.date
    placements: int
    agency_fte: Decimal  # average over the period
    agency_per_fte: Decimal
    permanent_per_fte: Decimal

    @property
    def saving_per_fte(self) -> Decimal:
        return self.agency_per_fte - self.permanent_per_fte

    @property
    def yearly_saving(self) -> Decimal:
        return conversion_saving(
            fte=self.fte,
            agency_per_fte=self.agency_per_fte,
            permanent_per_fte=self.permanent_per_fte,
        )


def agency_conversion(*, fte: Decimal, start: dt.date, end: dt.date, scope=None) -> Conversion:
    """Converting ``fte`` agency FTE to permanent, averaged over the placements of the
    period in ``scope``. Raises ``WhatIfProblem`` when there is nothing to average or
    ``fte`` is more than the period's average agency FTE."""
    from .costing import agency_premium

    line = agency_premium(start=start, end=end, scope=scope)
    if not line.placements or not line.fte_years:
        raise WhatIfProblem("No agency placement was active in the period and scope.")
    if line.premium is None:
        raise WhatIfProblem(
            "The equivalent permanent cost is not available: " + " ".join(sorted(line.missing))
        )
    years = Decimal((end - start).days + 1) / Decimal(365)
    average_fte = line.fte_years / years
    if fte > average_fte:
        raise WhatIfProblem(
            f"Enter no more than {average_fte:.1f} FTE: the agency FTE in the period and "
            "scope, on average."
        )
    return Conversion(
        fte=fte, start=start, end=end, placements=len(line.placements), agency_fte=average_fte,
        agency_per_fte=per_fte_year(line.agency_cost, line.fte_years),
        permanent_per_fte=per_fte_year(line.permanent_cost, line.fte_years),
    )  # fmt: skip


# --- A supplement to a group -----------------------------------------------------------


@dataclass(frozen=True)
class Supplement:
    amount: Decimal
    per: str  # "fte" or "head"
    on: dt.date
    group: str
    workers: int
    fte: Decimal
    ni_rate: Decimal
    pension_rate: Decimal

    @property
    def units(self) -> Decimal:
        return self.fte if self.per == "fte" else Decimal(self.workers)

    @property
    def yearly_cost(self) -> Decimal:
        return supplement_cost(
            amount=self.amount,
            units=self.units,
            ni_rate=self.ni_rate,
            pension_rate=self.pension_rate,
        )


def group_label(*, team=None, org_role=None, grade=None) -> str:
    from workforce.choices import OrgRole

    parts = []
    if team is not None:
        parts.append(f"team {team}")
    if org_role:
        parts.append(f"DfE role {OrgRole(int(org_role)).label.lower()}")
    if grade is not None:
        parts.append(f"grade {grade}")
    return ", ".join(parts) if parts else "every permanent worker"


def supplement_group(
    *, amount: Decimal, on: dt.date, per: str = "fte", team=None, org_role=None, grade=None
) -> Supplement:
    """A supplement of ``amount`` a year to the permanent workers in post on ``on`` in the
    group (their team, DfE role and grade that day). Raises ``WhatIfProblem`` for an empty
    group."""
    from .selectors import OnCosts, pay_on

    rows = [
        row
        for row in pay_on(on=on)
        if (team is None or row.assignment.team_id == team.pk)
        and (not org_role or row.assignment.org_role == int(org_role))
        and (grade is None or row.assignment.grade_id == grade.pk)
    ]
    label = group_label(team=team, org_role=org_role, grade=grade)
    if not rows:
        raise WhatIfProblem(f"No permanent worker is in post on {on:%d %B %Y} in {label}.")
    rate = OnCosts().on(on)
    return Supplement(
        amount=amount, per=per, on=on, group=label, workers=len(rows),
        fte=sum((row.assignment.fte for row in rows), ZERO),
        ni_rate=rate.employer_ni_rate if rate else ZERO,
        pension_rate=rate.pension_rate if rate else ZERO,
    )  # fmt: skip
