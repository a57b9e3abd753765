"""Backtest: forecast from past dates with only what was known then, and compare with
what happened.

For each origin (every ``step`` months, from when there is a year of history up to
``horizon`` months before the end of the data) the model is fitted on
``History.known_on(origin)`` and run ``horizon`` months; each forecast month end is
compared with the permanence rate and employed FTE recorded for that month end. The
result: the share of months whose actual value fell inside the 80% band (10th to 90th
percentile) and the median absolute error of the median forecast.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from dateutil.relativedelta import relativedelta

from . import model
from .history import History, date_of


def default_origins(history: History, *, end: dt.date, horizon: int, step: int = 3) -> list:
    leavers = history.end[history.end < 10**8]
    if leavers.size == 0:
        return []
    first = model.month_end(date_of(int(leavers.min())) + relativedelta(months=12))
    last = end - relativedelta(months=horizon)
    origins = []
    origin = first
    while origin <= last:
        origins.append(origin)
        origin = model.month_end(origin + relativedelta(months=step))
    return origins


def backtest(
    history: History,
    *,
    end: dt.date,
    horizon: int = 12,
    step: int = 3,
    simulations: int = 300,
    seed: int = 2026,
    origins: list[dt.date] | None = None,
) -> dict:
    """``{"origins", "months", "coverage", "median_error", "inpost_coverage",
    "inpost_median_error", "rows"}``; coverage in %, errors in percentage points / FTE."""
    origins = (
        default_origins(history, end=end, horizon=horizon, step=step)
        if origins is None
        else origins
    )
    rows = []
    for origin in origins:
        inputs = model.fit(history, start=origin)
        if inputs.inpost_fte + inputs.agency_fte <= 0:
            continue
        result = model.simulate(inputs, months=horizon, simulations=simulations, seed=seed)
        rate = np.nanpercentile(result["permanence_rate"], model.PERCENTILES, axis=0)
        inpost = np.percentile(result["inpost_fte"], model.PERCENTILES, axis=0)
        for i, date in enumerate(result["dates"]):
            if date > end:
                break
            actual = history.stock_on(date)
            if actual["permanence_rate"] is None:
                continue
            rows.append(
                {
                    "origin": origin,
                    "date": date,
                    "ahead": i + 1,
                    "actual": actual["permanence_rate"],
                    "p10": float(rate[0, i]),
                    "p50": float(rate[1, i]),
                    "p90": float(rate[2, i]),
                    "inside": bool(rate[0, i] <= actual["permanence_rate"] <= rate[2, i]),
                    "inpost_actual": actual["inpost_fte"],
                    "inpost_p50": float(inpost[1, i]),
                    "inpost_inside": bool(inpost[0, i] <= actual["inpost_fte"] <= inpost[2, i]),
                }
            )
    if not rows:
        return {
            "origins": [],
            "months": 0,
            "coverage": None,
            "median_error": None,
            "inpost_coverage": None,
            "inpost_median_error": None,
            "rows": [],
        }
    return {
        "origins": sorted({row["origin"] for row in rows}),
        "months": len(rows),
        "horizon": horizon,
        "coverage": 100 * float(np.mean([row["inside"] for row in rows])),
        "median_error": float(np.median([abs(row["p50"] - row["actual"]) for row in rows])),
        "inpost_coverage": 100 * float(np.mean([row["inpost_inside"] for row in rows])),
        "inpost_median_error": float(
            np.median([abs(row["inpost_p50"] - row["inpost_actual"]) for row in rows])
        ),
        "rows": rows,
    }
