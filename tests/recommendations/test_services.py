"""Numbering and natural order, overdue logic around dates, the monitoring schedule,
the KPI link and the services' messages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.locking import UNCHECKED
from recommendations import selectors, services
from recommendations.choices import Decision, DeliveryStatus
from recommendations.models import Recommendation
from recommendations.selectors import add_months

from .factories import (
    ExecutiveResponseFactory,
    ProgressUpdateFactory,
    RecommendationFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

CATALOGUE = {"permanence_rate": "Permanence rate (workers basis)", "caseload": "Average caseload"}


def test_sort_key_orders_numbers_as_printed():
    printed = ["6", "5m", "5.10", "5b", "5", "1", "5a", "5.2", "10", "2", "5(c)"]
    assert sorted(printed, key=services.recommendation_sort_key) == [
        "1", "2", "5", "5.2", "5.10", "5a", "5b", "5(c)", "5m", "6", "10",
    ]  # fmt: skip


def test_recommendations_come_back_in_natural_order():
    review = ReviewFactory()
    parent = services.recommendation_create(
        review=review, number="5", text="Consider these initiatives:", kpi_catalogue=CATALOGUE
    )
    for number in ["5m", "5b", "5a"]:
        services.recommendation_create(
            review=review, number=number, text=f"Item {number}", parent=parent
        )
    other = ReviewFactory()
    for number in ["5.10", "5.2", "5.1"]:
        services.recommendation_create(review=other, number=number, text=f"Item {number}")
    assert [r.number for r in review.recommendations.all()] == ["5", "5a", "5b", "5m"]
    assert [r.number for r in parent.children.order_by("sort_key")] == ["5a", "5b", "5m"]
    assert [r.number for r in other.recommendations.all()] == ["5.1", "5.2", "5.10"]


def test_recommendation_problems_are_all_reported_and_nothing_saved():
    review = ReviewFactory()
    services.recommendation_create(review=review, number="1", text="First")
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(
            review=review, number="1", text=" ", kpi_key="no_such_kpi", kpi_catalogue=CATALOGUE
        )
    errors = caught.value.message_dict
    assert errors["number"] == ["This review already has a recommendation 1."]
    assert errors["text"] == ["Enter the recommendation's text."]
    assert "'no_such_kpi' is not one of the KPIs" in errors["kpi_key"][0]
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(review=review, number="5 = a!", text="x")
    assert "is not a recommendation number" in caught.value.message_dict["number"][0]
    assert review.recommendations.count() == 1


def test_add_months_keeps_the_last_day_of_short_months():
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 1, 20), 12) == dt.date(2024, 1, 20)


def _responded(action_by_date=dt.date(2023, 2, 28), decision=Decision.ACCEPTED):
    return ExecutiveResponseFactory(
        action_by_date=action_by_date, action_by="February 2023", decision=decision
    ).recommendation


def test_action_by_due_today_is_not_overdue_but_yesterday_is():
    rec = _responded()
    assert not selectors.action_by_overdue(recommendation=rec, as_of=dt.date(2023, 2, 28))
    assert selectors.action_by_overdue(recommendation=rec, as_of=dt.date(2023, 3, 1))


def test_delivered_rejected_or_noted_recommendations_are_never_overdue():
    rec = _responded()
    ProgressUpdateFactory(recommendation=rec, status=DeliveryStatus.DELIVERED)
    assert not selectors.recommendation_is_overdue(
        recommendation=Recommendation.objects.get(pk=rec.pk), as_of=dt.date(2025, 1, 1)
    )
    for decision in (Decision.REJECTED, Decision.NOTED):
        other = _responded(decision=decision)
        assert not selectors.recommendation_is_overdue(
            recommendation=other, as_of=dt.date(2025, 1, 1)
        )


def test_monitoring_updates_fall_due_at_6_and_12_months():
    rec = _responded(action_by_date=None)  # response 20 January 2023
    schedule = selectors.monitoring_schedule(recommendation=rec)
    assert [(p.months, p.due) for p in schedule] == [
        (6, dt.date(2023, 7, 20)),
        (12, dt.date(2024, 1, 20)),
    ]
    assert schedule[0].state(as_of=dt.date(2023, 7, 20)) == "due"
    assert schedule[0].state(as_of=dt.date(2023, 7, 21)) == "overdue"
    assert selectors.recommendation_is_overdue(recommendation=rec, as_of=dt.date(2023, 7, 21))
    assert not selectors.recommendation_is_overdue(recommendation=rec, as_of=dt.date(2023, 7, 20))

    ProgressUpdateFactory(recommendation=rec, update_date=dt.date(2023, 7, 25))
    rec = Recommendation.objects.get(pk=rec.pk)
    schedule = selectors.monitoring_schedule(recommendation=rec)
    assert schedule[0].state(as_of=dt.date(2023, 8, 1)) == "received"
    assert schedule[1].state(as_of=dt.date(2024, 1, 21)) == "overdue"
    lists = selectors.monitoring_lists(as_of=dt.date(2024, 1, 21))
    assert [(i.recommendation.pk, i.point.months) for i in lists["overdue"]] == [(rec.pk, 12)]


def test_review_monitoring_months_are_configurable():
    review = ReviewFactory(monitoring_months=[3])
    rec = ExecutiveResponseFactory(recommendation__review=review).recommendation
    assert [p.due for p in selectors.monitoring_schedule(recommendation=rec)] == [
        dt.date(2023, 4, 20)
    ]
    with pytest.raises(ValidationError) as caught:
        services.review_create(committee=review.committee, title="T", monitoring_months=[0, 6])
    assert "monitoring_months" in caught.value.message_dict


def test_kpi_link_is_validated_against_the_catalogue():
    rec = RecommendationFactory()
    services.recommendation_evidence_set(
        recommendation=rec,
        kpi_key="permanence_rate",
        kpi_target=Decimal("85"),
        kpi_target_date=dt.date(2026, 9, 30),
        kpi_catalogue=CATALOGUE,
        version=UNCHECKED,
    )
    rec.refresh_from_db()
    assert (rec.kpi_key, rec.kpi_target) == ("permanence_rate", Decimal("85"))
    with pytest.raises(ValidationError) as caught:
        services.recommendation_evidence_set(
            recommendation=rec, kpi_key="", kpi_target=Decimal("85"), kpi_target_date=None,
            kpi_catalogue=CATALOGUE, version=UNCHECKED,
        )  # fmt: skip
    assert caught.value.message_dict["kpi_key"] == [
        "Choose the KPI that the target and target date belong to."
    ]


def test_default_catalogue_is_the_dashboards_registry():
    from recommendations.evidence import kpi_catalogue

    catalogue = kpi_catalogue()
    assert catalogue["permanence_rate"] == "Permanence rate (workers basis)"
    assert "absence_rate" in catalogue


def test_progress_update_cannot_be_in_the_future_or_before_the_review():
    rec = RecommendationFactory()  # review of 10 January 2023
    with pytest.raises(ValidationError) as caught:
        services.progress_update_record(
            recommendation=rec, update_date=dt.date(2023, 3, 2), text="", status="x",
            today=dt.date(2023, 3, 1),
        )  # fmt: skip
    errors = caught.value.message_dict
    assert errors["update_date"] == ["The date of the update cannot be in the future."]
    assert set(errors) == {"update_date", "text", "status"}
    with pytest.raises(ValidationError) as caught:
        services.progress_update_record(
            recommendation=rec, update_date=dt.date(2022, 12, 1), text="ok",
            status=DeliveryStatus.IN_PROGRESS, today=dt.date(2023, 3, 1),
        )  # fmt: skip
    assert "before the review (10 January 2023)" in caught.value.message_dict["update_date"][0]
    assert rec.updates.count() == 0


def test_changes_are_audited_with_who_made_them(make_user):
    from auditlog.context import set_actor

    user = make_user("Director")
    rec = RecommendationFactory()
    with set_actor(user):
        services.executive_response_record(
            recommendation=rec, decision=Decision.ACCEPTED, response_text="Agreed.",
            response_date=dt.date(2023, 2, 1), user=user, version=UNCHECKED,
        )  # fmt: skip
    history = selectors.recommendation_history(recommendation=rec)
    assert any(entry.actor == user for entry in history)


def test_text_too_long_for_its_column_is_a_message_not_a_database_error():
    rec = RecommendationFactory()
    with pytest.raises(ValidationError) as caught:
        services.executive_response_record(
            recommendation=rec, decision="", response_text="Noted.",
            response_date=dt.date(2023, 2, 1), action_by="x" * 121, version=UNCHECKED,
        )  # fmt: skip
    assert caught.value.message_dict["action_by"] == [
        "Action by must be at most 120 characters (it has 121)."
    ]
    with pytest.raises(ValidationError) as caught:
        services.recommendation_create(review=rec.review, number="1a" * 10, text="x")
    assert "too many parts" in caught.value.message_dict["number"][0]
