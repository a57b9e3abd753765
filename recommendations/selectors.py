"""Reads of the recommendations tracker: the tracker rows (the Tameside layout), the
monitoring schedule with its due and overdue lists, and a recommendation's history.

Dates are always passed in (``as_of``): "overdue" means the due date is before
``as_of`` - an update or action due today is due, not overdue.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery

from .choices import CLOSED_STATUSES, UNMONITORED_DECISIONS, DeliveryStatus
from .models import Action, ProgressUpdate, Recommendation


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus whole months, on the last day of the month if the day is missing
    (31 August + 6 months = 28 or 29 February)."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def recommendations_tracked() -> QuerySet[Recommendation]:
    """Every recommendation with what the tracker shows beside it: review, committee,
    response, and the latest update's status, RAG and date (annotated in SQL so they can
    be filtered), in natural number order within each review."""
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
        "-update_date", "-pk"
    )
    return (
        Recommendation.objects.select_related("review__committee", "response", "parent")
        .prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("update_date", "pk"))
        )
        .annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_rag=Subquery(latest.values("rag")[:1]),
            latest_update_date=Subquery(latest.values("update_date")[:1]),
            latest_update_text=Subquery(latest.values("text")[:1]),
        )
        .order_by("review__committee__council", "review__report_date", "review_id", "sort_key")
    )


@dataclass(frozen=True)
class ScheduledUpdate:
    """One monitoring point: an update due ``months`` after the executive response."""

    months: int
    due: dt.date
    received: ProgressUpdate | None
    not_needed: bool = False  # the recommendation was closed before it fell due

    def state(self, *, as_of: dt.date) -> str:
        if self.received is not None:
            return "received"
        if self.not_needed:
            return "not needed"
        return "overdue" if self.due < as_of else "due"


def _updates_in_order(recommendation: Recommendation) -> list[ProgressUpdate]:
    return sorted(recommendation.updates.all(), key=lambda u: (u.update_date, u.pk))


def recommendation_response(recommendation: Recommendation):
    """The executive response, or None if none is recorded."""
    try:
        return recommendation.response
    except Recommendation.response.RelatedObjectDoesNotExist:
        return None


def latest_status(recommendation: Recommendation) -> str | None:
    updates = _updates_in_order(recommendation)
    return updates[-1].status if updates else None


def monitoring_schedule(*, recommendation: Recommendation) -> list[ScheduledUpdate]:
    """The updates due after the executive response (at the review's
    ``monitoring_months``). An update dated after the previous point fell due counts for
    the next point. Nothing is scheduled without a response, or when the response
    rejected or only noted the recommendation; once delivered, not delivered or
    superseded, later points are not needed."""
    response = recommendation_response(recommendation)
    if response is None or response.decision in UNMONITORED_DECISIONS:
        return []
    updates = _updates_in_order(recommendation)
    closed_on = next((u.update_date for u in updates if u.status in CLOSED_STATUSES), None)
    schedule: list[ScheduledUpdate] = []
    window_start = response.response_date
    used: set[int] = set()
    for months in sorted(recommendation.review.monitoring_months or []):
        due = add_months(response.response_date, months)
        match = next(
            (u for u in updates if u.pk not in used and u.update_date >= window_start), None
        )
        if match is not None:
            used.add(match.pk)
        not_needed = match is None and closed_on is not None and closed_on <= due
        schedule.append(ScheduledUpdate(months, due, match, not_needed))
        window_start = due + dt.timedelta(days=1)
    return schedule


def action_by_overdue(*, recommendation: Recommendation, as_of: dt.date) -> bool:
    """The action-by date has passed (before ``as_of``) and the recommendation is not
    delivered, not delivered or superseded; never for rejected or noted ones."""
    response = recommendation_response(recommendation)
    if response is None or response.action_by_date is None:
        return False
    if response.decision in UNMONITORED_DECISIONS:
        return False
    return response.action_by_date < as_of and latest_status(recommendation) not in (
        CLOSED_STATUSES
    )


def recommendation_is_overdue(*, recommendation: Recommendation, as_of: dt.date) -> bool:
    """Overdue: its action-by date has passed undelivered, or a monitoring update is
    overdue."""
    return action_by_overdue(recommendation=recommendation, as_of=as_of) or any(
        point.state(as_of=as_of) == "overdue"
        for point in monitoring_schedule(recommendation=recommendation)
    )


def recommendation_ids_overdue(*, queryset: QuerySet[Recommendation], as_of: dt.date) -> set[int]:
    """The ids of the overdue recommendations among ``queryset``."""
    return {
        rec.pk
        for rec in queryset.select_related("response", "review").prefetch_related("updates")
        if recommendation_is_overdue(recommendation=rec, as_of=as_of)
    }


@dataclass(frozen=True)
class MonitoringItem:
    recommendation: Recommendation
    point: ScheduledUpdate


def monitoring_lists(*, as_of: dt.date, within_days: int = 62) -> dict[str, list]:
    """Updates ``overdue`` (due before ``as_of`` and not received) and ``due`` (due from
    ``as_of`` to ``within_days`` after it), earliest first."""
    due, overdue = [], []
    horizon = as_of + dt.timedelta(days=within_days)
    for rec in recommendations_tracked().filter(response__isnull=False):
        for point in monitoring_schedule(recommendation=rec):
            state = point.state(as_of=as_of)
            if state == "overdue":
                overdue.append(MonitoringItem(rec, point))
            elif state == "due" and point.due <= horizon:
                due.append(MonitoringItem(rec, point))
    key = lambda item: (item.point.due, item.recommendation.sort_key)  # noqa: E731
    return {"due": sorted(due, key=key), "overdue": sorted(overdue, key=key)}


def actions_overdue(*, as_of: dt.date) -> QuerySet[Action]:
    """Actions not completed whose due date is before ``as_of``."""
    return Action.objects.select_related("review__committee", "recommendation").filter(
        completed_on__isnull=True, due_date__lt=as_of
    )


@dataclass(frozen=True)
class TrackerRow:
    """One line of the tracker in the Tameside layout."""

    recommendation: Recommendation
    council: str
    committee: str
    review: str
    number: str
    text: str
    decision: str
    response_text: str
    officer_responsible: str
    action_by: str
    action_by_date: dt.date | None
    latest_update: str
    latest_update_date: dt.date | None
    status: str
    rag: str
    overdue: bool


def tracker_rows(*, queryset: QuerySet[Recommendation], as_of: dt.date) -> list[TrackerRow]:
    """The tracker's rows for ``queryset`` (from ``recommendations_tracked``)."""
    rows = []
    for rec in queryset:
        response = recommendation_response(rec)
        updates = _updates_in_order(rec)
        latest = updates[-1] if updates else None
        rows.append(
            TrackerRow(
                recommendation=rec,
                council=rec.review.committee.council,
                committee=rec.review.committee.name,
                review=rec.review.title,
                number=rec.number,
                text=rec.text,
                decision=response.decision_display if response else "No response recorded",
                response_text=response.response_text if response else "",
                officer_responsible=response.officer_responsible if response else "",
                action_by=response.action_by_display if response else "",
                action_by_date=response.action_by_date if response else None,
                latest_update=latest.text if latest else "",
                latest_update_date=latest.update_date if latest else None,
                status=(DeliveryStatus(latest.status).label if latest else "No update recorded"),
                rag=latest.get_rag_display() if latest and latest.rag else "",
                overdue=recommendation_is_overdue(recommendation=rec, as_of=as_of),
            )
        )
    return rows


def tracker_version() -> int:
    """A number that changes whenever anything the tracker shows may have changed: the
    newest audit log entry of the recommendations models (every create, change and
    delete of them is audited, ``apps.py``). Pages that cache tracker figures put it in
    their cache key. One indexed query."""
    from auditlog.models import LogEntry
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max

    models = apps.get_app_config("recommendations").get_models()
    types = ContentType.objects.get_for_models(*models).values()
    latest = LogEntry.objects.filter(content_type__in=[t.pk for t in types]).aggregate(
        latest=Max("pk")
    )
    return latest["latest"] or 0


def recommendation_counts_by_council() -> dict[str, int]:
    """How many recommendations each council's papers make."""
    rows = (
        Recommendation.objects.values("review__committee__council")
        .annotate(n=Count("pk"))
        .order_by("review__committee__council")
    )
    return {row["review__committee__council"]: row["n"] for row in rows}


def recommendation_history(*, recommendation: Recommendation) -> list:
    """Who changed what on a recommendation, its response, updates, actions and comments
    (django-auditlog), newest first."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import ExecutiveResponse, MemberComment

    def q(model, pks) -> Q:
        return Q(content_type=ContentType.objects.get_for_model(model), object_pk__in=pks)

    pks = lambda qs: [str(pk) for pk in qs.values_list("pk", flat=True)]  # noqa: E731
    query = (
        q(Recommendation, [str(recommendation.pk)])
        | q(ExecutiveResponse, pks(ExecutiveResponse.objects.filter(recommendation=recommendation)))
        | q(ProgressUpdate, pks(recommendation.updates.all()))
        | q(Action, pks(recommendation.actions.all()))
        | q(MemberComment, pks(recommendation.comments.all()))
    )
    entries = LogEntry.objects.filter(query).select_related("actor").order_by("-timestamp")
    shown = []
    for entry in entries[:100]:
        # the optimistic lock's version (core.locking) is not a change anyone made
        entry.fields_changed = [
            field for field in (entry.changes_display_dict or {}) if field != "version"
        ]
        if entry.action == entry.Action.UPDATE and not entry.fields_changed:
            continue
        shown.append(entry)
    return shown[:50]
