"""The forecast's entry points for the command, the page and the API: run a forecast
from the database, save a director's scenario."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ..models import ForecastScenario
from . import model
from .history import History, load_history


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
) -> tuple[model.Inputs, dict]:
    """Fit on the data dated on or before ``start`` and simulate ``months`` month ends."""
    if not 1 <= months <= 120:
        raise ForecastError("Forecast between 1 and 120 months.")
    if not 10 <= simulations <= 100_000:
        raise ForecastError("Run between 10 and 100,000 simulations.")
    history = load_history(as_of=start) if history is None else history.known_on(start)
    inputs = model.fit(history, start=start)
    if inputs.inpost_fte + inputs.agency_fte <= 0:
        raise ForecastError(f"No social workers were in post on {start:%d %B %Y}.")
    result = model.simulate(
        inputs, months=months, simulations=simulations, seed=seed, scenario=scenario
    )
    return inputs, result


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
