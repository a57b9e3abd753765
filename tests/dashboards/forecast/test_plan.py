"""``plan_to_target``: what the committee paper's "Plan to reach 85%" calls."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboards.forecast import model
from dashboards.forecast.services import (
    ForecastError,
    forecast_scenario_create,
    plan_to_target,
    run_forecast,
)
from tests.dashboards.forecast import synthetic

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 11, 30)


@pytest.fixture
def council():
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))


def test_plan_has_the_fan_the_target_month_and_a_milestone_each_31_march(council):
    plan = plan_to_target(AS_OF, months=36, simulations=300)
    assert plan.as_of == AS_OF and plan.target == 85.0 and plan.scenario == "Baseline"
    assert [p.date for p in plan.fan][:2] == [dt.date(2023, 12, 31), dt.date(2024, 1, 31)]
    assert len(plan.fan) == 36
    assert all(p.p10 <= p.p50 <= p.p90 for p in plan.fan)
    assert [m.date for m in plan.milestones] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 3, 31),
        dt.date(2026, 3, 31),
    ]
    march_2025 = next(p for p in plan.fan if p.date == dt.date(2025, 3, 31))
    assert plan.milestones[1].p50 == march_2025.p50
    probabilities = list(plan.probability_by_year_end.values())
    assert probabilities == sorted(probabilities)  # reached stays reached
    assert all(0 <= p <= 1 for p in probabilities)
    assert plan.probability_by_end >= probabilities[-1]
    # The median month is the first month half the simulations have reached 85%.
    if plan.median_month is not None:
        assert plan.median_month in [p.date for p in plan.fan]
    # Same as the command's figures for the same start, seed and simulations.
    again = model.summarise(run_forecast(start=AS_OF, months=36, simulations=300)[1], start=AS_OF)
    assert again["months"][15]["permanence_rate"]["p50"] == pytest.approx(plan.fan[15].p50)


def test_a_scenario_by_name_moves_the_plan_and_an_unknown_one_is_refused(council):
    forecast_scenario_create(
        name="Supplement", leaving_reduction_pct=50, extra_recruits_per_month=3
    )
    base = plan_to_target(AS_OF, months=24, simulations=300)
    better = plan_to_target(AS_OF, months=24, simulations=300, scenario="Supplement")
    assert better.scenario == "Supplement"
    assert better.fan[-1].p50 > base.fan[-1].p50
    assert better.probability_by_end >= base.probability_by_end
    with pytest.raises(ForecastError, match="No scenario"):
        plan_to_target(AS_OF, months=24, simulations=300, scenario="Nonesuch")


def test_nobody_in_post_is_a_plain_error(council):
    with pytest.raises(ForecastError, match="No social workers"):
        plan_to_target(dt.date(2000, 1, 31), months=12, simulations=100)
