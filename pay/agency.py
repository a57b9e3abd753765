"""Agency spend and premium for the cost figures, from the agency app's placements
(``pay.costing``: hours a week x hourly charge rate, and the premium over a permanent
worker on the equivalent grade for the same hours).

A placement counts in a scope by its team and the DfE role its role category counts
under, as the agency KPIs count it; one with no team recorded counts in the whole
service and DfE role scopes only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def agency_line(*, start: dt.date, end: dt.date, scope=None):
    """The scope's agency cost, equivalent permanent cost, FTE-years and premium over the
    period (``pay.costing.AgencyLine``)."""
    from .costing import agency_premium

    return agency_premium(start=start, end=end, scope=scope)


def agency_costs(
    *, start: dt.date, end: dt.date, scope=None
) -> tuple[Decimal | None, Decimal | None]:
    """(agency spend, agency premium) in pounds over the period; the premium is None
    where a placement cannot be costed as permanent (``pay.costing``)."""
    line = agency_line(start=start, end=end, scope=scope)
    return line.agency_cost, line.premium
