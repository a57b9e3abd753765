"""Exits: an exit record for every leaver, the exit questionnaire, and the themes that
code why people leave.

- ``ExitTheme``: the council's configurable list of reasons/themes, each with the
  keyword rules (one phrase a line) that *suggest* it for a free-text answer.
- ``ExitRecord``: one per ended employment (employed or agency), made automatically
  when a leaving is recorded: whether an exit interview was offered (date, channel),
  who would conduct it, accepted or declined, and when it was completed.
- ``ExitQuestionnaire``: the leaver's answers (through a one-time link or filled in by
  an officer): reasons, five retention statements, destination, would return/recommend,
  free text, and the themes an officer confirmed. Individual answers and free text are
  for HR officers and admins only (see ``exits.views``).
- ``QuestionnaireLink``: a one-time link for a leaver without an account. Only a hash
  of the token is stored; it expires and works once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from workforce.models import Employment, TimeStamped

from .choices import Channel, Conductor, Destination, OfferResponse, YesNoUnsure


class ExitTheme(models.Model):
    """A theme (reason for leaving) in the council's list, with the keyword rules that
    suggest it. A rule is a word or phrase matched as whole words, ignoring case; a
    phrase ending in ``*`` also matches longer words (``relocat*``: relocate, relocating)."""

    name = models.CharField(max_length=80, unique=True)
    keywords = models.TextField(
        blank=True,
        help_text="One word or phrase a line. End with * to match longer words (retire*).",
    )
    is_active = models.BooleanField("offered on the questionnaire", default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def phrases(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class ExitRecord(TimeStamped):
    """The exit interview record of one leaving (one ended employment or agency placement)."""

    employment = models.OneToOneField(
        Employment, on_delete=models.CASCADE, related_name="exit_record"
    )
    offered_on = models.DateField("offered on", null=True, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    conductor = models.CharField(
        "conducted by", max_length=20, choices=Conductor.choices, blank=True
    )
    response = models.CharField(max_length=10, choices=OfferResponse.choices, blank=True)
    completed_on = models.DateField("completed on", null=True, blank=True)
    #: Optimistic lock (``core.locking``): goes up by one with every edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-employment__end_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(offered_on__isnull=False),
                name="exit_completed_only_if_offered",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("offered_on")),
                name="exit_completed_not_before_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"Exit record: {self.employment}"

    @property
    def status(self) -> str:
        if self.completed_on:
            return "Completed"
        if self.response == OfferResponse.DECLINED:
            return "Declined"
        if self.offered_on:
            return "Offered, not completed"
        return "Not offered"


class ExitQuestionnaire(TimeStamped):
    """A leaver's answers. ``free_text`` is erased after the retention period
    (``settings.EXIT_TEXT_RETENTION_DAYS``); the coded ``themes`` are kept."""

    exit_record = models.OneToOneField(
        ExitRecord, on_delete=models.CASCADE, related_name="questionnaire"
    )
    completed_through_link = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reasons = models.ManyToManyField(
        ExitTheme, blank=True, related_name="chosen_by", help_text="The leaver's own reasons."
    )
    score_safe = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score_supported = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score_valued = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score_growing = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    score_happy = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    destination = models.CharField(max_length=30, choices=Destination.choices, blank=True)
    would_return = models.CharField(max_length=10, choices=YesNoUnsure.choices, blank=True)
    would_recommend = models.CharField(max_length=10, choices=YesNoUnsure.choices, blank=True)
    free_text = models.TextField(blank=True)
    free_text_erased_on = models.DateField(null=True, blank=True)
    themes = models.ManyToManyField(
        ExitTheme, blank=True, related_name="coded_in", help_text="Themes confirmed by an officer."
    )
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    coded_on = models.DateField(null=True, blank=True)
    quote = models.TextField(
        "anonymised quote", blank=True, help_text="Names, teams and places taken out."
    )
    quote_approved = models.BooleanField("approved for publication, anonymised", default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score_safe__isnull=True) | Q(score_safe__range=(1, 5)),
                name="exit_score_safe_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score_supported__isnull=True) | Q(score_supported__range=(1, 5)),
                name="exit_score_supported_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score_valued__isnull=True) | Q(score_valued__range=(1, 5)),
                name="exit_score_valued_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score_growing__isnull=True) | Q(score_growing__range=(1, 5)),
                name="exit_score_growing_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(score_happy__isnull=True) | Q(score_happy__range=(1, 5)),
                name="exit_score_happy_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Questionnaire: {self.exit_record.employment}"


class QuestionnaireLink(models.Model):
    """A one-time link to the questionnaire for a leaver without an account. The token
    itself is shown once to the officer who makes the link; only its SHA-256 is kept."""

    exit_record = models.ForeignKey(ExitRecord, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        expires = f"{self.expires_at:%d %b %Y}"
        return f"Questionnaire link for {self.exit_record.employment} (expires {expires})"
