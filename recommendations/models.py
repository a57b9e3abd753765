"""Scrutiny recommendations: from a committee's report to the executive's response to
delivery. A committee holds reviews (a report, or minutes); a review makes numbered
recommendations (with sub-items such as 5a-5m); the executive answers each one; officers
record actions and dated progress updates; members comment or ask for an update.

Nothing here is personal staff data: officers and members are named in their public
roles, as the published papers name them. Every model is audited (django-auditlog,
registered in ``recommendations.apps``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import Decision, DeliveryStatus, Rag, ReviewKind, Theme


def default_monitoring_months() -> list[int]:
    return [6, 12]


class Committee(models.Model):
    """A council's committee that scrutinises children's services, e.g. Surrey's
    Children, Families, Lifelong Learning and Culture Select Committee."""

    council = models.CharField(max_length=120)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["council", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="committee_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.council})"


class Review(models.Model):
    """A review or report of a committee: its title, date, the meeting it went to, the
    published paper and the chair. ``monitoring_months`` says when progress updates are
    due after the executive's response (Buckinghamshire: 6 and 12 months)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(max_length=300)
    kind = models.CharField(
        max_length=20, choices=ReviewKind.choices, default=ReviewKind.SCRUTINY_REVIEW
    )
    report_date = models.DateField(null=True, blank=True, help_text="Empty if not stated.")
    meeting = models.CharField(max_length=200, blank=True)
    paper_url = models.URLField(blank=True, verbose_name="published paper")
    chair = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    monitoring_months = models.JSONField(
        default=default_monitoring_months,
        blank=True,
        help_text="Months after the executive response when updates are due, e.g. [6, 12].",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee__council", "-report_date", "title"]

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    """One recommendation, numbered as printed (``1``, ``5a``, ``5.10``). ``sort_key`` is
    computed from the number by ``services.recommendation_sort_key`` so that 5a < 5b <
    5m and 5.2 < 5.10. A sub-item (5a) has its parent (5).

    Evidence: ``kpi_key`` names a KPI of the dashboards' registry, stored as text (this app
    does not import dashboards; see ``recommendations.evidence``), with a target value
    (in the KPI's unit) and target date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=80, editable=False)
    text = models.TextField()
    theme = models.CharField(max_length=30, choices=Theme.choices, blank=True)
    lead_member = models.CharField(max_length=300, blank=True)
    lead_officers = models.CharField(max_length=300, blank=True)
    kpi_key = models.CharField(max_length=60, blank=True, verbose_name="evidencing KPI")
    kpi_target = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, verbose_name="KPI target"
    )
    kpi_target_date = models.DateField(null=True, blank=True, verbose_name="KPI target date")
    #: Optimistic lock (``core.locking``): goes up by one with every edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["review_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}: {self.text[:60]}"


class ExecutiveResponse(models.Model):
    """The executive's answer to one recommendation. ``action_by`` is the action-by as
    printed ("Quarterly review", "February 2023"); ``action_by_date`` is the date the
    overdue lists use (the last day of a printed month), empty for a stated period."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="response"
    )
    decision = models.CharField(
        max_length=20, choices=Decision.choices, blank=True, help_text="Empty: not stated."
    )
    response_text = models.TextField()
    response_date = models.DateField()
    decision_body = models.CharField(max_length=200, blank=True)
    officer_responsible = models.CharField(max_length=300, blank=True)
    action_by = models.CharField(max_length=120, blank=True)
    action_by_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Response to {self.recommendation.number}"

    @property
    def decision_display(self) -> str:
        return self.get_decision_display() if self.decision else "Not stated"

    @property
    def action_by_display(self) -> str:
        if self.action_by:
            return self.action_by
        return f"{self.action_by_date:%-d %B %Y}" if self.action_by_date else ""


class Action(models.Model):
    """Something someone has to do, with an owner and a due date: an action agreed for a
    recommendation, or a request for information in a committee's minutes (then it has
    a review but no recommendation)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    number = models.CharField(max_length=20, blank=True)
    description = models.TextField()
    owner = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review_id", "due_date", "number", "pk"]

    def __str__(self) -> str:
        return self.description[:80]


class ProgressUpdate(models.Model):
    """A dated progress update on a recommendation: what happened, the delivery status
    and a RAG rating."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    update_date = models.DateField()
    text = models.TextField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    rag = models.CharField(max_length=10, choices=Rag.choices, blank=True, verbose_name="RAG")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation_id", "-update_date", "-pk"]
        get_latest_by = ["update_date", "pk"]

    def __str__(self) -> str:
        return f"{self.update_date}: {self.get_status_display()}"


class MemberComment(models.Model):
    """A councillor's comment on a recommendation, or a request for an update."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    asks_for_update = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation_id", "-created_at"]

    def __str__(self) -> str:
        return self.text[:80]
