"""The pay API: the page's figures and its disclosure rule."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from pay import services
from tests.factories import employ

pytestmark = pytest.mark.django_db


def test_costs_api_figures_and_councillor_suppression(client_as, spine, level3, oncosts):
    for _ in range(3):
        employment = employ(start=dt.date(2021, 6, 1), grade=level3)
        services.worker_point_set(employment=employment, effective_from=dt.date(2021, 6, 1), scp=29)
    query = {"start": "2024-04-01", "end": "2025-03-31"}
    data = client_as(Role.DIRECTOR).get(reverse("pay-api:costs"), query).json()
    assert data["permanent_paybill"] == 151277.36
    assert data["agency_spend"] == 0  # no agency placement
    [row] = data["average_salary_by_role"]
    assert (row["headcount"], row["average_salary"], data["suppressed"]) == (3, 38626.0, False)
    data = client_as(Role.LEAD_MEMBER).get(reverse("pay-api:costs"), query).json()
    [row] = data["average_salary_by_role"]
    assert (row["headcount"], row["average_salary"], row["hidden"]) == (None, None, True)
    assert data["permanent_paybill"] == 151277.36


def test_costs_api_bad_dates_are_a_400_naming_the_field(client_as):
    response = client_as(Role.DIRECTOR).get(
        reverse("pay-api:costs"), {"start": "2025-01-01", "end": "2024-01-01"}
    )
    assert response.status_code == 400
    assert "end" in response.json()
