"""``/api/forecast/``: the command's JSON over the API, plain 400s naming the parameter."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from dashboards.forecast.services import forecast_scenario_create
from tests.dashboards.forecast import synthetic

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))


def test_a_councillor_reads_the_forecast_and_a_scenario(client_as, council):
    client = client_as(Role.SCRUTINY_MEMBER)
    forecast_scenario_create(name="Campaign", extra_recruits_per_month=3)
    url = reverse("dashboards-api:forecast")
    base = client.get(url, {"from": "2023-12-31", "months": 6, "simulations": 200}).json()
    campaign = client.get(
        url, {"from": "2023-12-31", "months": 6, "simulations": 200, "scenario": "Campaign"}
    ).json()
    assert [m["date"] for m in base["months"]][-1] == "2024-06-30"
    assert base["target"]["value"] == 85.0 and base["scenario"] == "Baseline"
    assert campaign["months"][-1]["inpost_fte"]["p50"] > base["months"][-1]["inpost_fte"]["p50"]


def test_bad_parameters_are_400s_naming_them(client_as, council):
    client = client_as(Role.DIRECTOR)
    url = reverse("dashboards-api:forecast")
    bad_date = client.get(url, {"from": "31/12/2023"})
    assert bad_date.status_code == 400 and "from" in bad_date.json()
    unknown = client.get(url, {"from": "2023-12-31", "scenario": "Nope"})
    assert unknown.status_code == 400 and "No scenario" in str(unknown.json()["scenario"])
    too_long = client.get(url, {"from": "2023-12-31", "months": 500})
    assert too_long.status_code == 400 and "months" in too_long.json()
