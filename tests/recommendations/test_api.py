"""The recommendations API: the tracker's filters, and recording a response and an
update with messages per field."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from recommendations.models import ProgressUpdate

from .factories import ExecutiveResponseFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_list_filters_overdue_as_of_a_date(client_as):
    late = ExecutiveResponseFactory(action_by_date=dt.date(2023, 2, 28)).recommendation
    RecommendationFactory()  # no response: never overdue
    client = client_as(Role.SCRUTINY_MEMBER)
    url = reverse("recommendations-api:recommendation-list")
    data = client.get(url, {"overdue": "true", "as_of": "2023-03-01"}).json()
    assert [r["id"] for r in data["results"]] == [late.pk]
    assert data["results"][0]["overdue"] is True
    assert data["results"][0]["response"]["decision"] == "accepted"
    data = client.get(url, {"overdue": "true", "as_of": "2023-02-28"}).json()
    assert data["results"] == []


def test_progress_update_by_api(client_as):
    rec = ExecutiveResponseFactory().recommendation
    url = reverse("recommendations-api:update-create", kwargs={"pk": rec.pk})
    client = client_as(Role.HR_OFFICER)
    bad = client.post(url, {"update_date": "2022-01-01", "status": "in_progress", "text": "x"},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert "before the review" in bad.json()["update_date"][0]
    payload = {"update_date": "2023-06-01", "status": "in_progress", "rag": "amber",
               "text": "Survey designed."}  # fmt: skip
    ok = client.post(url, payload, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["latest_status"] == "in_progress"
    assert ProgressUpdate.objects.count() == 1


def test_response_by_api_is_for_lead_members_and_directors(client_as):
    rec = RecommendationFactory()
    url = reverse("recommendations-api:response-record", kwargs={"pk": rec.pk})
    payload = {"decision": "rejected", "response_text": "Outside our remit.",
               "response_date": "2023-04-25"}  # fmt: skip
    assert client_as(Role.HR_OFFICER).post(url, payload, content_type="application/json"
                                           ).status_code == 403  # fmt: skip
    ok = client_as(Role.LEAD_MEMBER).post(
        url, {**payload, "version": rec.version}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["response"]["decision_display"] == "Rejected"
