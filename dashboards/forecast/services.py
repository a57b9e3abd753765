"""The forecast's entry points for the command, the page and the API: run a forecast
from the database, save a director's scenario."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from django.db import transaction

from ..models import ForecastScenario
from . import costs, model
from .history import History, agency_returns, load_history
from .pipeline import load_pipeline


class ForecastError(ValueError):
    """A request the forecast cannot answer (unknown scenario, no staff on the date)."""


def scenario_for(record: ForecastScenario | None) -> model.Scenario:
    if record is None:
        return model.BASELINE
    return model.Scenario(
        name=record.name,
        leaving_reduction_pct=float(record.leaving_reduction_pct),
        leaving_group=record.leaving_group,
        extra_recruits_per_month=record.extra_recruits_per_month,
        recruits_group=record.recruits_group,
        agency_conversions=record.agency_conversions,
        establishment_change_fte=float(record.establishment_change_fte),
    )


def scenario_named(name: str | None) -> model.Scenario:
    if not name:
        return model.BASELINE
    record = ForecastScenario.objects.filter(name=name).first()
    if record is None:
        known = ", ".join(ForecastScenario.objects.values_list("name", flat=True)) or "none saved"
        raise ForecastError(f'No scenario is called "{name}" (saved scenarios: {known}).')
    return scenario_for(record)


def run_forecast(
    *,
    start: dt.date,
    months: int,
    simulations: int = 1000,
    seed: int = 2026,
    scenario: model.Scenario = model.BASELINE,
    history: History | None = None,
    with_pipeline: bool = True,
) -> tuple[model.Inputs, dict]:
    """Fit on the data dated on or before ``start`` and simulate ``months`` month ends."""
    if not 1 <= months <= 120:
        raise ForecastError("Forecast between 1 and 120 months.")
    if not 10 <= simulations <= 100_000:
        raise ForecastError("Run between 10 and 100,000 simulations.")
    history = load_history(as_of=start) if history is None else history.known_on(start)
    inputs = model.fit(history, start=start)
    if with_pipeline:
        inputs = replace(
            inputs, pipeline=load_pipeline(as_of=start), agency_return=agency_returns(as_of=start)
        )
    if inputs.inpost_fte + inputs.agency_fte <= 0:
        raise ForecastError(f"No social workers were in post on {start:%d %B %Y}.")
    result = model.simulate(
        inputs, months=months, simulations=simulations, seed=seed, scenario=scenario
    )
    return inputs, result


def forecast_report(
    *,
    start: dt.date,
    months: int,
    simulations: int = 1000,
    seed: int = 2026,
    scenario: model.Scenario = model.BASELINE,
) -> dict:
    """What ``manage.py forecast`` and ``/api/forecast/`` give: the issue's JSON shape,
    where the starters came from, and the ``cost`` block (per forecast year against the
    baseline, or "no pay data")."""
    history = load_history(as_of=start)
    inputs, result = run_forecast(
        start=start,
        months=months,
        simulations=simulations,
        seed=seed,
        scenario=scenario,
        history=history,
    )
    baseline = result
    if scenario != model.BASELINE:
        baseline = model.simulate(inputs, months=months, simulations=simulations, seed=seed)
    units = costs.unit_costs(history, as_of=start)
    return {
        **model.summarise(result, start=start),
        "scenario": scenario.name,
        "starters_source": result["starters_source"],
        "cost": costs.cost_block(result, baseline, units),
    }


@transaction.atomic
def forecast_scenario_create(
    *,
    name: str,
    leaving_reduction_pct: Decimal = Decimal(0),
    leaving_group: str = "",
    extra_recruits_per_month: int = 0,
    recruits_group: str = ForecastScenario.Group.CASE_HOLDERS,
    agency_conversions: int = 0,
    establishment_change_fte: Decimal = Decimal(0),
    created_by=None,
) -> ForecastScenario:
    scenario = ForecastScenario(
        name=name.strip(),
        leaving_reduction_pct=leaving_reduction_pct,
        leaving_group=leaving_group,
        extra_recruits_per_month=extra_recruits_per_month,
        recruits_group=recruits_group,
        agency_conversions=agency_conversions,
        establishment_change_fte=establishment_change_fte,
        created_by=created_by,
    )
    scenario.full_clean()
    scenario.save()
    return scenario


@dataclass(frozen=True)
class FanPoint:
    """One month end of the fan chart: the permanence rate's 10th, 50th and 90th
    percentiles (per cent)."""

    date: dt.date
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class Milestone:
    """A year end (31 March, the councils' financial year) inside the forecast: the
    expected permanence (median) with its 80% band, and the probability that the
    target has been reached by then."""

    date: dt.date
    p10: float
    p50: float
    p90: float
    probability_reached: float  # 0 to 1


@dataclass(frozen=True)
class PlanToTarget:
    """What the committee paper's "Plan to reach 85%" needs from the forecast."""

    as_of: dt.date
    months: int
    simulations: int
    scenario: str
    target: float  # 85.0
    fan: list[FanPoint]
    median_month: dt.date | None  # first month end half the simulations have reached it
    probability_by_end: float  # 0 to 1, by the last month end
    probability_by_year_end: dict[dt.date, float]  # 31 March -> 0 to 1
    milestones: list[Milestone]
    agency_basis: str  # "establishment" or "history"
    starters_source: str  # the recruitment pipeline or the historical starter rate
    notes: list[str]


def _scenario_from(scenario) -> model.Scenario:
    if scenario is None or isinstance(scenario, model.Scenario):
        return scenario or model.BASELINE
    if isinstance(scenario, ForecastScenario):
        return scenario_for(scenario)
    return scenario_named(str(scenario))


def plan_to_target(
    as_of: dt.date,
    *,
    months: int = 36,
    simulations: int = 1000,
    scenario: model.Scenario | ForecastScenario | str | None = None,
    seed: int = 2026,
) -> PlanToTarget:
    """The forecast from ``as_of`` (only data dated on or before it) as a plan: the fan
    chart, the median month the 85% target is reached, the probability of reaching it
    by each 31 March and milestones per year. ``scenario`` is a saved scenario (record
    or name) or a ``model.Scenario``; None for the baseline. Raises ``ForecastError``
    for an unknown scenario, a bad length or a date with nobody in post."""
    chosen = _scenario_from(scenario)
    inputs, result = run_forecast(
        start=as_of, months=months, simulations=simulations, seed=seed, scenario=chosen
    )
    dates = result["dates"]
    rate = result["permanence_rate"]
    p10, p50, p90 = np.nanpercentile(rate, model.PERCENTILES, axis=0)
    target = model.target_summary(rate, dates)
    by_month = target["probability_by_month"]
    milestones = [
        Milestone(
            date=date,
            p10=float(p10[i]),
            p50=float(p50[i]),
            p90=float(p90[i]),
            probability_reached=float(by_month[i]),
        )
        for i, date in enumerate(dates)
        if (date.month, date.day) == (3, 31)
    ]
    median = target["median_month"]
    return PlanToTarget(
        as_of=as_of,
        months=months,
        simulations=simulations,
        scenario=chosen.name,
        target=model.TARGET,
        fan=[
            FanPoint(date=d, p10=float(a), p50=float(b), p90=float(c))
            for d, a, b, c in zip(dates, p10, p50, p90, strict=True)
        ],
        median_month=dt.date.fromisoformat(median) if median else None,
        probability_by_end=float(target["probability_by_end"]),
        probability_by_year_end={m.date: m.probability_reached for m in milestones},
        milestones=milestones,
        agency_basis=result["agency_basis"],
        starters_source=result["starters_source"],
        notes=list(inputs.notes),
    )
