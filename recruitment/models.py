"""Recruitment: vacancies, campaigns (adverts), applications and their stages, induction
check-ins for starters, and the pipelines of newly qualified and grow-our-own routes.

Builds on ``workforce`` (never the reverse): a vacancy is against a funded post or a team
and grade, a replacement names the leaver's employment, agency cover names the agency
placement, and a started application points at the employment it created.

An application keeps the date each stage was reached (``applied_on`` ... ``started_on``)
so the funnel and time-to-hire figures are plain aggregate queries, and every move is
also kept as a ``StageChange`` row (who, when, from and to). ``version`` is the
optimistic lock: each write checks it and adds one, so a stale edit is refused rather
than silently overwriting someone else's change. All writes go through
``recruitment.services``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from workforce.choices import OrgRole
from workforce.models import Employment, Grade, Post, Team

from .choices import (
    Channel,
    Check,
    CheckInKind,
    CloseReason,
    Outcome,
    PipelineRoute,
    Route,
    Stage,
    VacancyReason,
    VacancyStatus,
)


class Vacancy(models.Model):
    """A vacancy to recruit to: against a funded post (or a team and grade), with its FTE,
    why it exists (a replacement names the leaver's employment), when it opened and
    closed, its status, and the agency placement covering it meanwhile, if any.
    Open on date D: ``opened_on <= D`` and (no ``closed_on`` or ``closed_on > D``)."""

    reference = models.CharField(max_length=40, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="vacancies")
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="vacancies"
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="vacancies")
    org_role = models.PositiveSmallIntegerField("DfE role", choices=OrgRole.choices)
    fte = models.DecimalField(
        "FTE", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    reason = models.CharField(max_length=20, choices=VacancyReason.choices)
    leaver_employment = models.ForeignKey(
        Employment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacement_vacancies",
        help_text="The leaver this vacancy replaces.",
    )
    agency_cover = models.ForeignKey(
        Employment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_vacancies",
        help_text="The agency placement covering this vacancy meanwhile.",
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_on", "reference"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0), name="vacancy_fte_positive"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                name="vacancy_closed_not_before_opened",
            ),
        ]
        indexes = [models.Index(fields=["opened_on", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.grade}, {self.team}"


class Campaign(models.Model):
    """An advert or recruitment campaign: its channel, the recruitment partner or agency
    by name (for partner channels), when it ran, what it cost, and the vacancies it
    advertises."""

    title = models.CharField(max_length=200)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    partner = models.CharField(
        "recruitment partner", max_length=120, blank=True, help_text="For example Reed."
    )
    opened_on = models.DateField("advert opened")
    closes_on = models.DateField("advert closes", null=True, blank=True)
    cost = models.DecimalField("cost (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    vacancies = models.ManyToManyField(Vacancy, blank=True, related_name="campaigns")

    class Meta:
        ordering = ["-opened_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opened_on")),
                name="campaign_closes_not_before_opens",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="campaign_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        partner = f" ({self.partner})" if self.partner else ""
        return f"{self.title} - {self.get_channel_display()}{partner}"


class Application(models.Model):
    """One applicant for one vacancy: the minimum personal data (deletable on request:
    ``anonymised_on``), internal or external, route, the campaign they came through, the
    date each stage was reached, pre-employment check dates, and how it ended."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    swe_number = models.CharField(
        "Social Work England number", max_length=14, blank=True,
        help_text="Needed before the start (it identifies the person in the workforce).",
    )  # fmt: skip
    is_internal = models.BooleanField("internal applicant", default=False)
    route = models.CharField(max_length=20, choices=Route.choices)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    applied_on = models.DateField()
    shortlisted_on = models.DateField(null=True, blank=True)
    interviewed_on = models.DateField(null=True, blank=True)
    offered_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    checks_completed_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    dbs_cleared_on = models.DateField("DBS cleared", null=True, blank=True)
    references_cleared_on = models.DateField("references cleared", null=True, blank=True)
    swe_registration_checked_on = models.DateField(
        "Social Work England registration checked", null=True, blank=True
    )
    right_to_work_checked_on = models.DateField("right to work checked", null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    employment = models.OneToOneField(
        Employment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        help_text="The employment recorded in the workforce when the applicant started.",
    )
    anonymised_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-applied_on", "pk"]
        indexes = [
            models.Index(fields=["applied_on"]),
            models.Index(fields=["outcome", "stage"]),
        ]

    def __str__(self) -> str:
        return self.applicant_name

    @property
    def applicant_name(self) -> str:
        if self.anonymised_on:
            return f"Applicant {self.pk} (anonymised)"
        return f"{self.first_name} {self.last_name}".strip() or f"Applicant {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.IN_PROGRESS


class StageChange(models.Model):
    """One move of an application (the stage history): to a stage, or closed (withdrawn
    or rejected) at its stage, on a date, by whom and when it was recorded."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    date = models.DateField()
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "date", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_to_stage_display()} ({self.get_outcome_display()}) on {self.date}"


class PreEmploymentCheck(models.Model):
    """One pre-employment check of an applicant, recorded on its own: which check, the date
    it was passed, who checked it, and who recorded it when. The application keeps the
    date too (``Check`` names its field) for the funnel's plain queries; it reaches
    "pre-employment checks complete" only once all four are recorded."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="pre_employment_checks"
    )
    kind = models.CharField("check", max_length=40, choices=Check.choices)
    checked_on = models.DateField("date passed")
    checked_by = models.CharField(
        "checked by", max_length=120, help_text="Who made the check (name and role)."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "checked_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="pre_employment_check_once_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.checked_on} by {self.checked_by}"


class InductionCheckIn(models.Model):
    """A keeping-in-touch day or 90-day check-in due for a starter, and when it happened."""

    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="induction_check_ins"
    )
    kind = models.CharField(max_length=12, choices=CheckInKind.choices)
    due_from = models.DateField()
    due_by = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["due_by", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employment", "kind"], name="check_in_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.due_by}"


class PipelineCohort(models.Model):
    """Places on a newly qualified or grow-our-own route expected to start on a date:
    an NQSW/ASYE cohort, Step Up, apprenticeship or PG diploma places."""

    route = models.CharField(max_length=20, choices=PipelineRoute.choices)
    name = models.CharField(max_length=120)
    provider = models.CharField(max_length=120, blank=True, help_text="University or programme.")
    places = models.PositiveIntegerField()
    expected_start = models.DateField()
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="pipeline_cohorts"
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="pipeline_cohorts"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["expected_start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gt=0), name="pipeline_places_positive")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.places} places from {self.expected_start})"
