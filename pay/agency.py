"""Agency spend and premium for the cost figures: the seam where the agency app's
placements (hourly charge rate x hours, issue 13) are wired in once it is merged.

Until then there is no record of what agencies charge, so both figures are ``None``
("not available") rather than a made-up zero.

To wire: spend = sum of placement charge rate x hours worked in the period (in scope);
premium = spend - the cost (``pay.selectors.OnCosts.yearly_cost``) of a permanent worker
on the equivalent grade's point for the same hours.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def agency_costs(
    *, start: dt.date, end: dt.date, scope=None
) -> tuple[Decimal | None, Decimal | None]:
    """(agency spend, agency premium) in pounds over the period, or None where unknown."""
    return None, None
