"""The tracker's pages as users see them: filters, the Tameside columns, recording a
response, an update, a comment and the evidencing KPI, messages next to fields, and the
KPI trend against the target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from recommendations.choices import DeliveryStatus
from recommendations.models import ExecutiveResponse, MemberComment, ProgressUpdate

from .factories import ExecutiveResponseFactory, RecommendationFactory, ReviewFactory

pytestmark = pytest.mark.django_db


def _tracker(client, query=""):
    return client.get(reverse("recommendations:tracker") + query).content.decode()


def test_tracker_shows_the_tameside_columns_and_filters_by_overdue(client_as):
    today = timezone.localdate()
    late = ExecutiveResponseFactory(
        recommendation__text="Review the Practice Manager role.",
        action_by="May 2023", action_by_date=today - dt.timedelta(days=1),
        officer_responsible="Tony DeCrop / Paula Sumner",
    ).recommendation  # fmt: skip
    ExecutiveResponseFactory(
        recommendation__text="Strengthen the induction programme.",
        response_date=today, action_by_date=today,
    )  # fmt: skip
    client = client_as(Role.SCRUTINY_MEMBER)
    page = _tracker(client)
    for column in ["Accepted/ Rejected", "Executive response", "Officer responsible",
                   "Action by", "Latest update", "RAG"]:  # fmt: skip
        assert column in page
    assert "Review the Practice Manager role." in page
    assert "Strengthen the induction programme." in page
    overdue_only = _tracker(client, "?overdue=on")
    assert "Review the Practice Manager role." in overdue_only
    assert "Strengthen the induction programme." not in overdue_only  # due today
    assert "1 recommendation." in overdue_only
    by_officer = _tracker(client, "?officer=paula")
    assert "Review the Practice Manager role." in by_officer
    assert "Strengthen the induction programme." not in by_officer
    assert str(late.pk) in by_officer


def test_tracker_filter_by_committee_and_bad_filter_message(client_as):
    first = RecommendationFactory(text="First committee's recommendation")
    RecommendationFactory(text="Second committee's recommendation")
    client = client_as(Role.DIRECTOR)
    page = _tracker(client, f"?committee={first.review.committee.pk}")
    assert "First committee" in page and "Second committee" not in page
    page = _tracker(client, "?as_of=31/02/2023")
    assert "Enter a valid date" in page


def test_lead_member_records_the_executive_response(client_as):
    rec = RecommendationFactory()
    client = client_as(Role.LEAD_MEMBER)
    url = reverse("recommendations:response", kwargs={"pk": rec.pk})
    bad = client.post(
        url, {"decision": "accepted", "response_text": "", "response_date": "", "version": 1}
    )
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Enter the executive&#x27;s response." in body
    assert "Enter the date of the response." in body
    assert not ExecutiveResponse.objects.exists()
    ok = client.post(url, {
        "decision": "partially_accepted", "response_text": "Agreed in part.",
        "response_date": "20/01/2023", "decision_body": "Cabinet 25 April 2023",
        "officer_responsible": "Director of Children's Services", "action_by": "Quarterly review",
        "version": rec.version,
    }, follow=True)  # fmt: skip
    page = ok.content.decode()
    assert "Executive response saved." in page
    assert "Partially accepted" in page and "Quarterly review" in page
    assert ExecutiveResponse.objects.get(recommendation=rec).recorded_by == client.user


def test_hr_officer_records_progress_and_the_tracker_shows_it(client_as):
    rec = ExecutiveResponseFactory().recommendation
    client = client_as(Role.HR_OFFICER)
    url = reverse("recommendations:update-create", kwargs={"pk": rec.pk})
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    bad = client.post(url, {"update_date": future, "status": "in_progress", "text": "x"})
    assert "cannot be in the future" in bad.content.decode()
    client.post(url, {"update_date": "2023-07-01", "status": "delivered", "rag": "green",
                      "text": "Induction now has two keeping-in-touch days."})  # fmt: skip
    assert ProgressUpdate.objects.get().status == DeliveryStatus.DELIVERED
    page = _tracker(client)
    assert "Induction now has two keeping-in-touch days." in page
    assert "govuk-tag--green" in page


def test_scrutiny_member_asks_for_an_update_but_cannot_record_progress(client_as):
    rec = ExecutiveResponseFactory().recommendation
    client = client_as(Role.SCRUTINY_MEMBER)
    detail = client.get(reverse("recommendations:detail", kwargs={"pk": rec.pk})).content.decode()
    assert "Comment or ask for an update" in detail
    assert "Record a progress update" not in detail
    assert "Record the executive response" not in detail
    client.post(reverse("recommendations:comment-create", kwargs={"pk": rec.pk}),
                {"text": "When will the survey results come to the panel?",
                 "asks_for_update": "on"})  # fmt: skip
    assert MemberComment.objects.get().asks_for_update
    detail = client.get(reverse("recommendations:detail", kwargs={"pk": rec.pk})).content.decode()
    assert "Update requested" in detail
    assert (
        client.post(reverse("recommendations:update-create", kwargs={"pk": rec.pk}), {}).status_code
        == 403
    )


def test_kpi_link_and_trend_against_the_target(client_as):
    from dashboards.models import KpiSnapshot

    rec = RecommendationFactory(review=ReviewFactory())
    client = client_as(Role.DIRECTOR)
    url = reverse("recommendations:evidence", kwargs={"pk": rec.pk})
    bad = client.post(url, {"kpi_key": "", "kpi_target": "85", "version": rec.version})
    assert "Choose the KPI that the target and target date belong to." in bad.content.decode()
    client.post(url, {"kpi_key": "permanence_rate", "kpi_target": "85",
                      "kpi_target_date": "2026-09-30", "version": rec.version})  # fmt: skip
    rec.refresh_from_db()
    assert (rec.kpi_key, rec.kpi_target) == ("permanence_rate", Decimal("85"))
    now = timezone.now()
    for year, value in [(2023, "78.25"), (2024, "86.1")]:
        KpiSnapshot.objects.create(as_of=dt.date(year, 9, 30), scope="all",
                                   kpi_key="permanence_rate", value=Decimal(value),
                                   period="census", computed_at=now)  # fmt: skip
    page = client.get(reverse("recommendations:detail", kwargs={"pk": rec.pk})).content.decode()
    assert "Target: <strong>85.0%</strong> by 30 September 2026" in page
    assert "78.3%" in page and "86.1%" in page
    assert page.count("Misses target") == 1 and page.count("Meets target") == 1


def test_monitoring_page_lists_overdue_updates(client_as):
    ExecutiveResponseFactory(recommendation__text="Monitor absence and sickness rates.",
                             response_date=dt.date(2023, 1, 20))  # fmt: skip
    page = client_as(Role.SERVICE_MANAGER).get(reverse("recommendations:monitoring"))
    body = page.content.decode()
    assert "Overdue updates (2)" in body  # 6- and 12-month updates never received
    assert "Monitor absence and sickness rates." in body


def test_exports_download_the_filtered_rows(client_as):
    RecommendationFactory(text="Only this one")
    client = client_as(Role.SCRUTINY_MEMBER)
    response = client.get(reverse("recommendations:tracker-xlsx") + "?status=none")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment;" in response["Content-Disposition"]
    response = client.get(reverse("recommendations:tracker-docx"))
    assert response.content[:2] == b"PK"


def test_marking_an_action_done_takes_it_off_the_overdue_list(client_as, make_user):
    from recommendations.models import Action
    from recommendations.services import action_create

    rec = ExecutiveResponseFactory().recommendation
    action = action_create(
        review=rec.review, recommendation=rec, owner="Director of Children's Services",
        description="Provide the current average caseload per social worker.",
        due_date=dt.date(2022, 11, 30),
    )  # fmt: skip
    monitoring = reverse("recommendations:monitoring")
    director = client_as(Role.DIRECTOR)
    assert "Overdue actions (1)" in director.get(monitoring).content.decode()
    done = reverse("recommendations:action-complete", kwargs={"pk": action.pk})
    from django.test import Client

    scrutiny = Client()
    scrutiny.force_login(make_user(Role.SCRUTINY_MEMBER))
    assert scrutiny.post(done).status_code == 403
    assert Action.objects.get().completed_on is None
    page = client_as(Role.HR_OFFICER).post(done, follow=True).content.decode()
    assert "Action marked as done." in page
    assert Action.objects.get().completed_on == timezone.localdate()
    assert "Overdue actions (0)" in client_as(Role.DIRECTOR).get(monitoring).content.decode()
