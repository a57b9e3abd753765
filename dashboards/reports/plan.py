"""The forecast as the committee paper's "Plan to reach 85%" needs it: the fan chart
(permanence's 10th, 50th and 90th percentiles by month end), the median month the 85%
target is reached, the probability of reaching it by each 31 March (the councils'
financial year end) and the milestones per year (the SMART plan Surrey asked for, seed
001 recommendation 2).

``forecast_plan`` is the one function the paper calls: the forecast's own
``dashboards.forecast.services.plan_to_target`` with the pack's settings. The
simulation is seeded: the same data give the same paper.
"""

from __future__ import annotations

import datetime as dt

from dashboards.forecast import model
from dashboards.forecast.services import PlanToTarget, plan_to_target

#: The pack's forecast: 36 month ends, seeded, with fewer simulations than the Forecast
#: page's 1,000 (a pack is built often and the percentiles move by a tenth of a point).
PACK_MONTHS = 36
PACK_SIMULATIONS = 500
PACK_SEED = 2026


def forecast_plan(
    as_of: dt.date,
    *,
    months: int = PACK_MONTHS,
    simulations: int = PACK_SIMULATIONS,
    scenario: model.Scenario | None = None,
) -> PlanToTarget:
    """The plan to 85% from ``as_of`` (only data dated on or before it), seeded.
    Raises ``dashboards.forecast.services.ForecastError`` when it cannot be forecast
    (nobody in post on the date)."""
    return plan_to_target(
        as_of, months=months, simulations=simulations, scenario=scenario, seed=PACK_SEED
    )
