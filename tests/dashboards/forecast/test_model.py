"""The forecast model on a synthetic council whose leaving and starting rates are known
(no database: ``History`` from plain rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from dashboards.forecast import backtest, model
from dashboards.forecast.hazards import fit_hazards, retention_curve
from dashboards.forecast.history import History, day
from tests.dashboards.forecast import synthetic

START = dt.date(2023, 12, 31)


@pytest.fixture(scope="module")
def history() -> History:
    return History.from_rows(synthetic.rows())


def test_the_80_percent_band_covers_the_actual_path_in_most_of_24_months(history):
    forecast = model.forecast(history, start=START, months=24, simulations=1000)
    inside_rate = inside_fte = 0
    for month in forecast["months"]:
        actual = history.stock_on(dt.date.fromisoformat(month["date"]))
        rate, fte = month["permanence_rate"], month["inpost_fte"]
        inside_rate += rate["p10"] <= actual["permanence_rate"] <= rate["p90"]
        inside_fte += fte["p10"] <= actual["inpost_fte"] <= fte["p90"]
    assert len(forecast["months"]) == 24
    assert inside_rate / 24 >= 0.7
    assert inside_fte / 24 >= 0.7


def test_leaving_hazards_recover_the_known_rates_with_intervals(history):
    hazards = fit_hazards(history, start=START)
    low, high = hazards.interval
    case_holders = 0  # 3% a month under 2 years' service, 1% after
    assert low[case_holders, 0] < 0.03 < high[case_holders, 0]
    assert low[case_holders, 4] < 0.01 < high[case_holders, 4]
    # Managers and others are a tenth each: fewer leavers, a wider interval, never hidden.
    width = high - low
    assert width[1, 0] > width[case_holders, 0]
    rows = hazards.rows()
    assert len(rows) == 15 and all(row["yearly_high"] >= row["yearly"] for row in rows)


def test_retention_curve_comes_from_kaplan_meier_with_an_interval(history):
    curve = retention_curve(history, start=START)
    first_year = curve[0]
    assert first_year["years"] == 1
    expected = 100 * 0.97**12  # 69.4%
    assert first_year["low"] <= expected <= first_year["high"]


def test_same_seed_same_forecast_other_seed_another(history):
    one = model.forecast(history, start=START, months=12, simulations=200, seed=5)
    two = model.forecast(history, start=START, months=12, simulations=200, seed=5)
    three = model.forecast(history, start=START, months=12, simulations=200, seed=6)
    assert one == two
    assert one != three


def test_only_data_dated_on_or_before_the_start_is_used(history):
    base = model.forecast(history, start=START, months=12, simulations=200)
    # Everyone still in post at the start leaves the next day: the forecast must not know.
    after = history.end > day(START)
    changed = dataclasses.replace(history, end=np.where(after, day(START) + 1, history.end))
    assert model.forecast(changed, start=START, months=12, simulations=200) == base
    assert changed.stock_on(dt.date(2024, 1, 31))["inpost_fte"] == 0


def test_scenarios_move_the_forecast_the_way_a_director_expects(history):
    inputs = model.fit(history, start=START)
    runs = {
        name: model.simulate(inputs, months=24, simulations=300, scenario=scenario)
        for name, scenario in {
            "baseline": model.BASELINE,
            "retention": model.Scenario(name="Retention", leaving_reduction_pct=30),
            "campaign": model.Scenario(name="Campaign", extra_recruits_per_month=2),
            "conversions": model.Scenario(name="Convert", agency_conversions=10),
        }.items()
    }
    final = {name: np.median(run["inpost_fte"][:, -1]) for name, run in runs.items()}
    assert final["retention"] > final["baseline"] + 10
    assert final["campaign"] > final["baseline"] + 30
    first_agency = {name: np.median(run["agency_fte"][:, 0]) for name, run in runs.items()}
    assert first_agency["conversions"] == pytest.approx(first_agency["baseline"] - 10, abs=0.5)


def test_target_month_is_the_first_month_half_the_simulations_have_reached_it():
    rate = np.array([[80, 86, 84], [80, 80, 90], [80, 80, 80], [86, 80, 80]], dtype=float)
    dates = [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 3, 31)]
    target = model.target_summary(rate, dates)
    assert target["median_month"] == "2024-02-29"  # 2 of 4 have reached 85% by then
    assert target["probability_by_end"] == 0.75
    assert model.target_summary(rate[2:3], dates)["median_month"] is None


def test_backtest_reports_band_coverage_and_median_error(history):
    result = backtest.backtest(
        history, end=dt.date(2025, 12, 31), horizon=12, step=12, simulations=200
    )
    assert result["months"] == 12 * len(result["origins"]) > 0
    assert result["coverage"] >= 70
    assert 0 < result["median_error"] < 3
