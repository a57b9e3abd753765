"""``manage.py forecast`` and ``forecast_backtest`` on a synthetic council in the database."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.locking import UNCHECKED
from dashboards.forecast.backtest import backtest
from dashboards.forecast.history import load_history
from dashboards.forecast.services import forecast_scenario_create
from tests.dashboards.forecast import synthetic
from tests.factories import employ
from workforce import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))


def _forecast(*args) -> dict:
    out = StringIO()
    call_command("forecast", *args, stdout=out)
    return json.loads(out.getvalue())


def test_forecast_prints_the_issue_json_shape(council):
    result = _forecast("--from", "2023-12-31", "--months", "3", "--simulations", "200")
    assert result["from"] == "2023-12-31"
    assert [m["date"] for m in result["months"]] == ["2024-01-31", "2024-02-29", "2024-03-31"]
    first = result["months"][0]
    assert set(first) == {"date", "permanence_rate", "inpost_fte", "agency_fte"}
    assert set(first["permanence_rate"]) == {"p10", "p50", "p90"}
    assert first["permanence_rate"]["p10"] <= first["permanence_rate"]["p50"]
    assert first["permanence_rate"]["p50"] <= first["permanence_rate"]["p90"]
    assert set(result["target"]) == {"value", "median_month", "probability_by_end"}
    assert result["target"]["value"] == 85.0


def test_forecast_ignores_anything_dated_after_from(council):
    args = ("--from", "2023-12-31", "--months", "6", "--simulations", "200")
    in_post = [employ(start=dt.date(2021, 1, 4)) for _ in range(5)]
    before = _forecast(*args)
    for employment in in_post:  # leavers, starters and team moves after --from
        services.leaver_record(
            employment=employment,
            end_date=dt.date(2024, 2, 1),
            leaving_reason=1,
            leaving_destination=3,
            version=UNCHECKED,
        )
        employ(start=dt.date(2024, 1, 2))
    assert _forecast(*args) == before


def test_a_saved_scenario_is_forecast_by_name(council):
    forecast_scenario_create(name="Campaign", extra_recruits_per_month=3)
    args = ("--from", "2023-12-31", "--months", "12", "--simulations", "200")
    base = _forecast(*args)
    campaign = _forecast(*args, "--scenario", "Campaign")
    assert (
        campaign["months"][-1]["inpost_fte"]["p50"] > base["months"][-1]["inpost_fte"]["p50"] + 20
    )
    with pytest.raises(CommandError, match='No scenario is called "Nope"'):
        _forecast(*args, "--scenario", "Nope")


def test_forecast_table_and_plain_errors(council):
    out = StringIO()
    call_command(
        "forecast", "--from", "2023-12-31", "--months", "2", "--format", "table", stdout=out
    )
    assert "2024-02-29" in out.getvalue() and "85% reached at the median" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("forecast", "--from", "31/12/2023")
    with pytest.raises(CommandError, match="No social workers were in post"):
        call_command("forecast", "--from", "2000-01-31", "--months", "2")


def test_backtest_command_reports_coverage_and_error(council):
    out = StringIO()
    call_command(
        "forecast_backtest",
        "--to",
        "2025-12-31",
        "--step",
        "12",
        "--simulations",
        "200",
        "--format",
        "json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    direct = backtest(
        load_history(as_of=dt.date(2025, 12, 31)),
        end=dt.date(2025, 12, 31),
        step=12,
        simulations=200,
    )
    assert result["months"] == direct["months"] == 12 * len(result["origins"]) > 0
    assert result["coverage"] == pytest.approx(direct["coverage"])
    assert result["median_error"] == pytest.approx(direct["median_error"])
