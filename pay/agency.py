"""Agency spend and premium for the cost figures, from the agency app's placements
(hourly charge rate x hours a week, ``agency.returns.spend_by``).

- Spend: the whole service's, or one team's (``team:<name>``). Other scopes (a service
  area, a DfE role, case-holding teams) have no figure: placements record a team and a
  role category, not those, so the figure would be a guess.
- Premium (agency cost minus a permanent worker's on the equivalent grade for the same
  hours): not worked out yet - it needs each role category mapped to a council grade and
  point. ``None`` ("not available"), never a made-up zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def agency_costs(
    *, start: dt.date, end: dt.date, scope=None
) -> tuple[Decimal | None, Decimal | None]:
    """(agency spend, agency premium) in pounds over the period, or None where unknown."""
    from agency.returns import spend_by

    kind = getattr(scope, "kind", "all") if scope is not None else "all"
    if kind == "all":
        spend = sum((value for _month, value in spend_by(start=start, end=end)), Decimal(0))
    elif kind == "team":
        by_team = dict(spend_by(start=start, end=end, by="team"))
        spend = by_team.get(scope.value, Decimal(0))
    else:
        spend = None
    return spend, None
