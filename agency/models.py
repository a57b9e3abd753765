"""The agency register: placements of agency social workers, the regional price caps, the
two sign-offs a rate above the cap needs, and the region's permanent leavers.

- ``AgencyPlacement``: one agency assignment, with what DfE's rules and quarterly return
  need. It belongs to the worker's agency ``Employment`` when the app has one (the same
  SWE number), or stands alone by SWE number (a placement recorded before the start).
- ``RegionalPriceCap``: the hourly cap a region's councils agreed for a role category,
  effective from a date, and what it includes.
- ``CapSignOff``: the Director of Children's Services' or chief executive's sign-off of
  a rate above the cap (who, when, why). Audited.
- ``RegionalLeaver``: a permanent leaver of this or another council in the region, known
  only by a keyed hash of the SWE number (see ``agency.regional``).

The rules themselves are pure functions in ``agency.rules``; dates follow the house rule
(active on D when start <= D and (end empty or end > D)).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from workforce.models import Agency, Employment, Person, Team, TimeStamped, swe_number_validator

from .choices import RoleCategory, SignOffRole

MONEY = {"max_digits": 9, "decimal_places": 2}


class AgencyPlacement(TimeStamped):
    """One agency worker's placement: who, through which agency, in which DfE role
    category, at what hourly pay and charge rates, for how long, and the facts each DfE
    rule is checked against."""

    swe_number = models.CharField(
        "Social Work England number", max_length=14, validators=[swe_number_validator]
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agency_placements",
        help_text="The worker's record, when the app knows them.",
    )
    employment = models.OneToOneField(
        Employment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agency_placement",
        help_text="The agency employment this placement describes, if recorded.",
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agency_placements")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="agency_placements"
    )
    role_category = models.CharField(max_length=30, choices=RoleCategory.choices)
    pay_rate = models.DecimalField(
        "hourly pay rate (£)", validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    charge_rate = models.DecimalField(
        "hourly charge rate (£)",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="What the agency charges the council an hour, its fee included.",
        **MONEY,
    )
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    start_date = models.DateField()
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date the placement ended (not in post from that day); empty if open.",
    )
    notice_weeks = models.PositiveSmallIntegerField("notice period (weeks)")
    reference_obtained_on = models.DateField(
        "practice-based reference obtained on", null=True, blank=True
    )
    reference_given_on = models.DateField("reference given at the end on", null=True, blank=True)
    is_project_team = models.BooleanField("project team or packaged model", default=False)
    project_worker_approved = models.BooleanField(
        "worker identified and approved in advance", default=False
    )
    project_costs_broken_down = models.BooleanField("costs broken down per worker", default=False)
    declared_la_months = models.PositiveSmallIntegerField(
        "declared local authority experience (months)",
        default=0,
        help_text="Post-qualification months in local authority employment elsewhere "
        "(the ASYE counts), as declared for this placement.",
    )

    class Meta:
        ordering = ["-start_date", "swe_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["swe_number", "start_date"], name="agency_placement_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="agency_placement_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(pay_rate__gt=0) & Q(hours_per_week__gt=0),
                name="agency_placement_rates_positive",
            ),
        ]
        indexes = [models.Index(fields=["start_date", "end_date"])]

    def __str__(self) -> str:
        return f"{self.swe_number} ({self.agency}) from {self.start_date:%d %b %Y}"


class RegionalPriceCap(models.Model):
    """The most a region's councils agreed to pay an hour for a role category, from a date
    (until the next cap for the same region and category)."""

    region = models.CharField(max_length=60, help_text="As DfE names it, e.g. South East.")
    role_category = models.CharField(max_length=30, choices=RoleCategory.choices)
    effective_from = models.DateField()
    hourly_cap = models.DecimalField("hourly cap (£)", **MONEY)
    includes = models.CharField(
        max_length=200,
        default="Pay rate, employer's National Insurance and apprenticeship levy",
        help_text="What the cap covers besides the worker's pay rate.",
    )
    on_cost_percent = models.DecimalField(
        "on-costs added to the pay rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        help_text="The percentage added to the pay rate for what the cap includes before "
        "comparing it with the cap (0 compares the pay rate itself).",
    )

    class Meta:
        ordering = ["region", "role_category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "role_category", "effective_from"], name="price_cap_unique"
            ),
            models.CheckConstraint(condition=Q(hourly_cap__gt=0), name="price_cap_positive"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.region}: {self.get_role_category_display()} £{self.hourly_cap}/hour "
            f"from {self.effective_from:%d %b %Y}"
        )


class CapSignOff(TimeStamped):
    """A sign-off of a placement's rate above the regional cap, by the DCS or the chief
    executive. A cap breach is allowed only with both."""

    placement = models.ForeignKey(
        AgencyPlacement, on_delete=models.CASCADE, related_name="cap_sign_offs"
    )
    role = models.CharField(max_length=20, choices=SignOffRole.choices)
    signed_by = models.CharField("signed by (name)", max_length=120)
    signed_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["placement", "role"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "role"], name="cap_sign_off_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.signed_by} on {self.signed_on:%d %b %Y}"


class RegionalLeaver(models.Model):
    """A permanent social worker who left a council in the region: a keyed hash of the
    SWE number (never the number or a name), the leaving date and the council's LA code."""

    swe_hash = models.CharField(max_length=64)
    leaving_date = models.DateField()
    la_code = models.CharField("LA code", max_length=3)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-leaving_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["swe_hash", "leaving_date", "la_code"], name="regional_leaver_unique"
            )
        ]
        indexes = [models.Index(fields=["swe_hash"])]

    def __str__(self) -> str:
        return f"Leaver of LA {self.la_code} on {self.leaving_date:%d %b %Y}"
