"""The Forecast page and the scenario form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from dashboards.models import ForecastScenario
from tests.dashboards.forecast import synthetic

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    synthetic.load(synthetic.rows(initial=60, starters_per_month=1.5, agency_slots=15))


def test_a_director_saves_a_scenario_and_sees_it_beside_the_baseline(client_as, council):
    client = client_as(Role.DIRECTOR)
    response = client.post(
        reverse("dashboards:forecast-scenario-create"),
        {
            "name": "Market supplement",
            "leaving_reduction_pct": "25",
            "leaving_group": "case_holders",
            "extra_recruits_per_month": "1",
            "recruits_group": "case_holders",
            "agency_conversions": "2",
            "establishment_change_fte": "0",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("dashboards:forecast"), {"from": "2024-06-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Baseline" in html and "Market supplement" in html
    assert "Target: 85% permanent" in html  # the fan chart's target line
    assert "inside the 80% band" in html  # the backtest
    assert "What the forecast assumes" in html
    # Where starters came from, leavers by destination, and costs said plainly.
    assert "Employed starters come from the council&#x27;s historical starter rate" in html
    assert "Leavers: to agency" in html and "Leavers back as agency cover" in html
    assert "No pay data" in html and "no pay data" in html  # not a cost of 0


def test_the_scenario_form_reports_every_problem_and_saves_nothing(client_as):
    client = client_as(Role.DIRECTOR)
    response = client.post(
        reverse("dashboards:forecast-scenario-create"),
        {
            "name": "",
            "leaving_reduction_pct": "150",
            "extra_recruits_per_month": "500",
            "recruits_group": "case_holders",
            "agency_conversions": "0",
            "establishment_change_fte": "0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "at most 100 extra recruits" in html
    assert ForecastScenario.objects.count() == 0


def test_councillors_see_no_small_leaver_counts(client_as, council):
    client = client_as(Role.SCRUTINY_MEMBER)
    html = client.get(reverse("dashboards:forecast"), {"from": "2024-06-30"}).content.decode()
    assert "fewer than 5" in html
    assert "Add a scenario" not in html


def test_a_wrong_start_date_gets_a_plain_message(client_as, council):
    client = client_as(Role.DIRECTOR)
    html = client.get(reverse("dashboards:forecast"), {"from": "yesterday"}).content.decode()
    assert "Enter a start date written YYYY-MM-DD" in html
    future = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    html = client.get(reverse("dashboards:forecast"), {"from": future}).content.decode()
    assert "not after today" in html
