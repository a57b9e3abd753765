"""Starters from the recruitment pipeline, leavers' destinations (and leavers to agency
coming back as agency cover), and what a scenario costs."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from dashboards.forecast import costs, model
from dashboards.forecast.history import History, agency_returns
from dashboards.forecast.services import forecast_report, run_forecast
from recruitment.models import Application, PipelineCohort, Vacancy
from tests.dashboards.forecast import synthetic
from tests.factories import GradeFactory, TeamFactory
from workforce.models import Employment

FROM = dt.date(2023, 12, 31)


@pytest.fixture
def council(db):
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))


def _vacancy(opened: dt.date, **extra) -> Vacancy:
    return Vacancy.objects.create(
        reference=f"V{Vacancy.objects.count() + 1}",
        team=TeamFactory(),
        grade=GradeFactory(),
        org_role=5,
        fte=1,
        reason="new_post",
        opened_on=opened,
        **extra,
    )


def _application(vacancy: Vacancy, **dates) -> Application:
    return Application.objects.create(
        vacancy=vacancy, route="experienced", applied_on=vacancy.opened_on, **dates
    )


def test_without_recruitment_records_starters_come_from_the_historical_rate(council):
    report = forecast_report(start=FROM, months=12, simulations=100)
    assert report["starters_source"].startswith("the council's historical starter rate")


def test_offers_vacancies_and_cohorts_known_on_the_date_bring_starters(council):
    hired = _vacancy(dt.date(2023, 5, 1), closed_on=dt.date(2023, 8, 1), status="filled")
    _application(hired, accepted_on=dt.date(2023, 6, 15), started_on=dt.date(2023, 8, 1))
    offered = _vacancy(dt.date(2023, 10, 1))
    _application(offered, accepted_on=dt.date(2023, 12, 1))
    _vacancy(dt.date(2023, 11, 20))  # open, no offer yet
    PipelineCohort.objects.create(
        route="nqsw_cohort", name="ASYE 2024", places=25, expected_start=dt.date(2024, 9, 2)
    )
    # Known only after the date: an offer accepted and a vacancy opened in January.
    later = _vacancy(dt.date(2024, 1, 5))
    _application(later, accepted_on=dt.date(2024, 1, 20))

    inputs, result = run_forecast(start=FROM, months=12, simulations=300)
    pipeline = inputs.pipeline
    assert (pipeline.offers, pipeline.vacancies, pipeline.cohort_places) == (1, 1, 25)
    assert "1 accepted offer" in result["starters_source"]
    assert "1 open vacancy" in result["starters_source"]
    assert "25 cohort places" in result["starters_source"]
    _, without = run_forecast(start=FROM, months=12, simulations=300, with_pipeline=False)
    september = [d.month for d in result["dates"]].index(9)
    assert np.median(result["starters_fte"][:, september]) >= 25
    assert np.median(result["starters_fte"][:, september]) > np.median(
        without["starters_fte"][:, september]
    )
    assert forecast_report(start=FROM, months=12, simulations=100)["starters_source"].startswith(
        "the recruitment pipeline"
    )


def test_leavers_split_by_destination_and_agency_leavers_come_back_as_cover():
    history = History.from_rows(synthetic.rows())  # every leaver recorded as to agency
    inputs = model.fit(history, start=FROM)
    result = model.simulate(inputs, months=24, simulations=300)
    split = result["leavers_by_destination_fte"]
    assert np.allclose(split.sum(axis=2), result["leavers_fte"])
    assert split[:, :, 0].sum() / result["leavers_fte"].sum() > 0.9  # to agency
    # No establishment: agency follows its own trend, moved by leavers to agency who come
    # back. Halve leaving and, with 9 in 10 coming back, agency ends lower than without.
    cut = model.Scenario(name="Cut", leaving_reduction_pct=50)
    back = dataclasses.replace(inputs, agency_return=(9, 10))
    with_returns = model.simulate(back, months=24, simulations=300, scenario=cut)
    without = model.simulate(inputs, months=24, simulations=300, scenario=cut)
    assert with_returns["returned_as_agency_fte"].sum() > 0
    assert without["returned_as_agency_fte"].sum() == 0
    assert (
        np.median(with_returns["agency_fte"][:, -1]) < np.median(without["agency_fte"][:, -1]) - 10
    )


def test_agency_returns_count_leavers_back_as_agency_workers(council):
    leaver = Employment.objects.filter(leaving_destination=3, end_date__lte=FROM).order_by(
        "-end_date", "pk"
    )[0]
    Employment.objects.create(
        person=leaver.person,
        contract_type="agency",
        agency=Employment.objects.filter(contract_type="agency").first().agency,
        start_date=leaver.end_date + dt.timedelta(days=30),
    )
    back, total = agency_returns(as_of=FROM)
    assert back == 1 and total > 1
    assert agency_returns(as_of=dt.date(2000, 1, 1)) is None


def test_costs_per_year_against_the_baseline_and_no_pay_data_said_plainly(council):
    dates = model.forecast_dates(FROM, 24)

    def path(inpost, agency):
        return {
            "dates": dates,
            "inpost_fte": np.full((10, 24), inpost),
            "agency_fte": np.full((10, 24), agency),
        }

    units = costs.UnitCosts(permanent_fte_year=50_000, agency_fte_year=80_000)
    block = costs.cost_block(path(110, 10), path(100, 20), units)
    first = block["per_year"][0]
    assert first["year_to"] == "2024-12-31"
    assert (first["permanent"], first["agency"]) == (5_500_000, 800_000)
    assert first["against_baseline"] == 6_300_000 - 6_600_000
    assert costs.cost_block(path(1, 1), path(1, 1), costs.UnitCosts(None, 80_000)) == "no pay data"
    report = forecast_report(start=FROM, months=12, simulations=100)
    assert report["cost"] == "no pay data"
