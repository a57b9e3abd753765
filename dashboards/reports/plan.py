"""The forecast as the committee paper's "Plan to reach 85%" needs it: the fan chart
(permanence's 10th, 50th and 90th percentiles by month end), the median month the 85%
target is reached, the probability of reaching it by each 31 March (the councils'
financial year end) and the milestones per year (the SMART plan Surrey asked for, seed
001 recommendation 2).

``forecast_plan`` is the one function the paper calls. It uses
``dashboards.forecast.services.plan_to_target`` when the forecast provides it, and
otherwise works the same figures out here from the forecast's own functions
(``run_forecast`` and ``model.target_summary``), in the same shape, so either can stand
behind the paper. The simulation is seeded: the same data give the same paper.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from dashboards.forecast import model
from dashboards.forecast import services as forecast_services

#: The pack's forecast: 36 month ends, seeded, with fewer simulations than the Forecast
#: page's 1,000 (a pack is built often and the percentiles move by a tenth of a point).
PACK_MONTHS = 36
PACK_SIMULATIONS = 500
PACK_SEED = 2026


@dataclass(frozen=True)
class FanPoint:
    """One month end of the fan chart (per cent)."""

    date: dt.date
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Milestone:
    """A 31 March inside the forecast: the expected permanence (median) with its 80%
    band, and the probability that the target has been reached by then (0 to 1)."""

    date: dt.date
    p10: float
    p50: float
    p90: float
    probability_reached: float


@dataclass(frozen=True)
class PlanToTarget:
    as_of: dt.date
    months: int
    simulations: int
    scenario: str
    target: float
    fan: list[FanPoint]
    median_month: dt.date | None
    probability_by_end: float
    probability_by_year_end: dict[dt.date, float]
    milestones: list[Milestone]
    agency_basis: str
    notes: list[str]


def _plan_to_target(
    as_of: dt.date,
    *,
    months: int = PACK_MONTHS,
    simulations: int = PACK_SIMULATIONS,
    scenario: model.Scenario | None = None,
    seed: int = PACK_SEED,
) -> PlanToTarget:
    """The plan from the forecast's existing functions (used while the forecast has no
    ``plan_to_target`` of its own)."""
    chosen = scenario or model.BASELINE
    inputs, result = forecast_services.run_forecast(
        start=as_of, months=months, simulations=simulations, seed=seed, scenario=chosen
    )
    dates = result["dates"]
    rate = result["permanence_rate"]
    p10, p50, p90 = np.nanpercentile(rate, model.PERCENTILES, axis=0)
    target = model.target_summary(rate, dates)
    by_month = target["probability_by_month"]
    milestones = [
        Milestone(d, float(p10[i]), float(p50[i]), float(p90[i]), float(by_month[i]))
        for i, d in enumerate(dates)
        if (d.month, d.day) == (3, 31)
    ]
    median = target["median_month"]
    return PlanToTarget(
        as_of=as_of,
        months=months,
        simulations=simulations,
        scenario=chosen.name,
        target=model.TARGET,
        fan=[
            FanPoint(d, float(a), float(b), float(c))
            for d, a, b, c in zip(dates, p10, p50, p90, strict=True)
        ],
        median_month=dt.date.fromisoformat(median) if median else None,
        probability_by_end=float(target["probability_by_end"]),
        probability_by_year_end={m.date: m.probability_reached for m in milestones},
        milestones=milestones,
        agency_basis=result["agency_basis"],
        notes=list(inputs.notes),
    )


def forecast_plan(
    as_of: dt.date,
    *,
    months: int = PACK_MONTHS,
    simulations: int = PACK_SIMULATIONS,
    scenario: model.Scenario | None = None,
):
    """The plan to 85% from ``as_of`` (only data dated on or before it), seeded.
    Raises ``dashboards.forecast.services.ForecastError`` when it cannot be forecast
    (nobody in post on the date)."""
    provided = getattr(forecast_services, "plan_to_target", None)
    if provided is not None:
        return provided(as_of, months=months, simulations=simulations, scenario=scenario)
    return _plan_to_target(as_of, months=months, simulations=simulations, scenario=scenario)
