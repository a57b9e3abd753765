"""Optimistic locking on recommendations (their executive response and evidencing KPI):
the second of two saves from the same loaded page is refused with who changed what, the
user's entries stay in the form, and the first save stands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from recommendations.models import ExecutiveResponse, Recommendation
from tests.locking import editor, field_value, form_data, refusal

from .factories import ExecutiveResponseFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_directors(make_user):
    return (
        editor(make_user, Role.DIRECTOR, "Sam", "Patel"),
        editor(make_user, Role.DIRECTOR, "Jo", "Brown"),
    )


def test_second_executive_response_is_refused_with_what_changed(two_directors):
    sam, jo = two_directors
    rec = ExecutiveResponseFactory(officer_responsible="Head of HR").recommendation
    url = reverse("recommendations:response", kwargs={"pk": rec.pk})
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    assert sams["version"] == jos["version"] == "1"
    saved = sam.post(url, {**sams, "officer_responsible": "Director of Children's Services"})
    assert saved.status_code == 302
    refused = jo.post(url, {**jos, "action_by": "Quarterly review"})
    assert refused.status_code == 200
    who, _, what = refusal(refused)
    assert who == "Sam Patel"
    assert "Officer responsible: Head of HR → Director of Children's Services" in what
    response = ExecutiveResponse.objects.get(recommendation=rec)
    assert response.officer_responsible == "Director of Children's Services"
    assert response.action_by == ""
    assert field_value(refused, "action_by") == "Quarterly review"
    assert field_value(refused, "version") == "2"


def test_second_evidence_link_is_refused(two_directors):
    sam, jo = two_directors
    rec = RecommendationFactory()
    url = reverse("recommendations:evidence", kwargs={"pk": rec.pk})
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    key = next(v for v in lxml_options(sam.get(url), "kpi_key") if v)
    assert sam.post(url, {**sams, "kpi_key": key}).status_code == 302
    refused = jo.post(url, {**jos, "kpi_key": ""})
    who, _, what = refusal(refused)
    assert who == "Sam Patel" and "Evidencing KPI" in what
    assert Recommendation.objects.get(pk=rec.pk).kpi_key == key


def lxml_options(response, name: str) -> list[str]:
    import lxml.html

    doc = lxml.html.fromstring(response.content.decode())
    return doc.xpath(f'//select[@name="{name}"]/option/@value')


def test_api_response_with_a_stale_version_is_a_409(two_directors):
    sam, jo = two_directors
    rec = RecommendationFactory()
    detail = jo.get(reverse("recommendations-api:recommendation-detail", args=[rec.pk]))
    assert detail.json()["version"] == 1 and detail["ETag"] == '"1"'
    url = reverse("recommendations-api:response-record", args=[rec.pk])
    body = {"decision": "accepted", "response_text": "Agreed.", "response_date": "2023-01-20"}
    first = sam.post(url, {**body, "version": 1}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = jo.post(
        url, {**body, "response_text": "Rejected."}, content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert stale.status_code == 409
    message = stale.json()["non_field_errors"][0]
    assert message.startswith("Sam Patel changed this record at ") and "Agreed." in message
    assert ExecutiveResponse.objects.get(recommendation=rec).response_text == "Agreed."


def test_the_history_does_not_show_the_version_as_a_change(two_directors):
    sam, _ = two_directors
    rec = ExecutiveResponseFactory().recommendation
    url = reverse("recommendations:response", kwargs={"pk": rec.pk})
    sam.post(url, {**form_data(sam.get(url)), "officer_responsible": "Head of HR"})
    page = sam.get(reverse("recommendations:detail", kwargs={"pk": rec.pk})).content.decode()
    assert "officer responsible" in page.lower()
    assert "version" not in page.lower()
