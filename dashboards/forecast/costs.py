"""What a forecast path costs a year, from the pay data (the ``pay`` app).

- A permanent FTE-year: the permanent pay bill with on-costs over the 12 months to the
  start (``pay.selectors.paybill``: each worker's salary from the spine x FTE, plus
  employer NI and pension) / the mean employed FTE at those month ends.
- An agency FTE-year: the agency spend over the same 12 months (placements' charge rate
  x hours, ``pay.agency.agency_costs``) / the mean agency FTE at those month ends.

A scenario's cost per forecast year = the median path's employed FTE x the permanent
rate + its agency FTE x the agency rate (month by month, today's prices), and the
difference against the baseline. With no pay data (no worker on a spinal point, or no
agency charge recorded) the figure is "no pay data", never 0. What a lever itself costs
(a market supplement, a campaign) is not in it: scenarios do not record an amount.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from dateutil.relativedelta import relativedelta

from .history import History

NO_PAY_DATA = "no pay data"


@dataclass(frozen=True)
class UnitCosts:
    permanent_fte_year: float | None  # pounds
    agency_fte_year: float | None

    @property
    def known(self) -> bool:
        return self.permanent_fte_year is not None and self.agency_fte_year is not None


def unit_costs(history: History, *, as_of: dt.date) -> UnitCosts:
    from pay.agency import agency_costs
    from pay.selectors import paybill

    first = as_of - relativedelta(years=1) + dt.timedelta(days=1)
    ends = [as_of - relativedelta(months=i, day=31) for i in range(12)]
    stocks = [history.stock_on(min(e, as_of)) for e in ends]
    inpost = float(np.mean([s["inpost_fte"] for s in stocks]))
    agency_fte = float(np.mean([s["agency_fte"] for s in stocks]))
    bill = paybill(start=first, end=as_of)
    permanent = None
    if bill.total > 0 and inpost > 0 and bill.workers > bill.workers_without_point:
        permanent = float(bill.total) / inpost
    spend, _premium = agency_costs(start=first, end=as_of)
    agency = None
    if spend and agency_fte > 0:
        agency = float(spend) / agency_fte
    return UnitCosts(permanent_fte_year=permanent, agency_fte_year=agency)


def yearly_costs(result: dict, units: UnitCosts) -> list[dict] | None:
    """Per whole forecast year: the median path's permanent, agency and total cost."""
    if not units.known:
        return None
    inpost = np.nanpercentile(result["inpost_fte"], 50, axis=0)
    agency = np.nanpercentile(result["agency_fte"], 50, axis=0)
    dates = result["dates"]
    out = []
    for year in range(len(dates) // 12):
        months = slice(12 * year, 12 * year + 12)
        permanent = float(inpost[months].sum()) * units.permanent_fte_year / 12
        agency_cost = float(agency[months].sum()) * units.agency_fte_year / 12
        out.append(
            {
                "year_to": dates[12 * year + 11].isoformat(),
                "permanent": round(permanent),
                "agency": round(agency_cost),
                "total": round(permanent + agency_cost),
            }
        )
    return out


def cost_block(result: dict, baseline: dict, units: UnitCosts) -> dict | str:
    """The ``cost`` block of the command and the API: per year, with the difference
    against the baseline (0 for the baseline itself); "no pay data" without it."""
    mine, base = yearly_costs(result, units), yearly_costs(baseline, units)
    if mine is None or base is None:
        return NO_PAY_DATA
    for row, other in zip(mine, base, strict=True):
        row["against_baseline"] = row["total"] - other["total"]
    return {
        "permanent_fte_year": round(units.permanent_fte_year),
        "agency_fte_year": round(units.agency_fte_year),
        "per_year": mine,
    }
