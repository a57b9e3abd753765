"""Pay: the NJC pay spine, the council's grades on it, on-costs, each worker's spinal
point over time, and incentive schemes with the payments HR records.

Every dated record follows the house rule (``docs/architecture.md``): active on D when
``start <= D`` and (``end`` is empty or ``end > D``). Spine salaries and on-cost rates
have only a start: the row in force on D is the latest that started on or before D.

A worker's spinal point lives here (``WorkerPoint``), dated on its own, rather than as a
column on ``workforce.Assignment``: an annual increment changes the point and nothing
else, which ``workforce.services.assignment_change`` rightly refuses as "nothing changed",
and the workforce app must not depend on pay (data flows one way). The grade and FTE
still come from the worker's assignment on the date.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from agency.choices import RoleCategory
from workforce.choices import OrgRole
from workforce.models import Employment, Grade, Team, TimeStamped

from .choices import BenchmarkRole, GradePoint, IncentiveKind, PointChangeReason

#: DfE's five agency role categories (``agency.choices``), for the equivalent grades.
AGENCY_ROLE_CATEGORIES = RoleCategory.choices


class SpinePoint(models.Model):
    """The annual full-time salary of one spinal column point (SCP) from the start of a
    pay year (loaded from ``data/pay/njc_pay_spine.csv`` by ``import_pay_spine``)."""

    pay_year = models.CharField(max_length=7, help_text="For example 2024/25.")
    effective_from = models.DateField()
    scp = models.PositiveSmallIntegerField("spinal column point")
    annual_salary = models.DecimalField(max_digits=9, decimal_places=2)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["effective_from", "scp"]
        constraints = [
            models.UniqueConstraint(fields=["effective_from", "scp"], name="spine_point_unique"),
            models.CheckConstraint(condition=Q(annual_salary__gt=0), name="spine_salary_positive"),
        ]

    def __str__(self) -> str:
        return f"SCP {self.scp} {self.pay_year}: £{self.annual_salary:,.2f}"


class GradePointRange(models.Model):
    """The spinal points a council grade spans over a period (Tameside's Level 3 social
    worker: SCP 29 to 34)."""

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="point_ranges")
    min_scp = models.PositiveSmallIntegerField("lowest point")
    max_scp = models.PositiveSmallIntegerField("highest point")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    benchmark_role = models.CharField(
        max_length=24,
        choices=BenchmarkRole.choices,
        blank=True,
        help_text="The role this grade is compared as on the Pay benchmarking page.",
    )

    class Meta:
        ordering = ["grade", "effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_scp__gte=F("min_scp")), name="grade_range_max_not_below_min"
            ),
            models.UniqueConstraint(
                fields=["grade", "effective_from"], name="grade_range_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grade}: SCP {self.min_scp}-{self.max_scp} from {self.effective_from}"


class OnCostRate(models.Model):
    """The employer's on-costs from a date: National Insurance (a rate on pay above a
    yearly threshold) and pension contributions (a rate on all pay). Set by the council
    (admin); the rate in force on D is the latest starting on or before D."""

    effective_from = models.DateField(unique=True)
    employer_ni_rate = models.DecimalField(
        "employer NI rate (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    employer_ni_threshold = models.DecimalField(
        "NI secondary threshold (£ a year)", max_digits=9, decimal_places=2, default=0
    )
    pension_rate = models.DecimalField(
        "employer pension rate (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return (
            f"From {self.effective_from}: NI {self.employer_ni_rate}% above "
            f"£{self.employer_ni_threshold:,.0f}, pension {self.pension_rate}%"
        )


class WorkerPoint(TimeStamped):
    """A worker's spinal column point over a period of their employment. An increment or
    a regrade closes the current row the day the new one starts."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="pay_points")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    scp = models.PositiveSmallIntegerField("spinal column point")
    reason = models.CharField(max_length=12, choices=PointChangeReason.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["employment", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "effective_from"], name="worker_point_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="worker_point_to_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employment.person}: SCP {self.scp} from {self.effective_from}"


class IncentiveScheme(models.Model):
    """A market supplement, recruitment bonus, retention payment, relocation payment or car
    allowance, for the permanent workers in the listed teams, grades and DfE roles (an
    empty list: any) over a period.

    Market supplements and car allowances are ``amount`` a year, paid monthly (on the last
    day of each month, x FTE) while the worker qualifies. Recruitment bonuses, relocation
    and retention payments are ``amount`` once, paid in the instalments listed (share of
    the amount, months after the worker's start - or after the scheme's start for a
    retention payment to someone already in post). A paid instalment is repaid in full if
    the worker leaves less than ``clawback_months`` after it fell due."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=IncentiveKind.choices)
    amount = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="£ a year (recurring) or £ in total."
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="incentive_schemes")
    grades = models.ManyToManyField(Grade, blank=True, related_name="incentive_schemes")
    org_roles = models.JSONField(
        "DfE roles", default=list, blank=True, help_text="DfE OrgRole codes; empty: any role."
    )
    clawback_months = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["start_date", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="incentive_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("start_date")),
                name="incentive_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def role_labels(self) -> list[str]:
        return [OrgRole(int(code)).label for code in self.org_roles]


class IncentiveInstalment(models.Model):
    """One instalment of a one-off incentive: ``share`` of its amount, due ``months_after``
    the worker's start (Buckinghamshire: 1/3 at 12 months, 2/3 at 24)."""

    scheme = models.ForeignKey(
        IncentiveScheme, on_delete=models.CASCADE, related_name="instalments"
    )
    months_after = models.PositiveSmallIntegerField()
    share = models.DecimalField(
        max_digits=7,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        ordering = ["scheme", "months_after"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "months_after"], name="instalment_unique_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.share} after {self.months_after} months"


class IncentivePayment(TimeStamped):
    """What HR recorded as paid to a worker under a scheme, for the payment due on
    ``due_date``."""

    scheme = models.ForeignKey(IncentiveScheme, on_delete=models.PROTECT, related_name="payments")
    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="incentive_payments"
    )
    due_date = models.DateField()
    amount = models.DecimalField(max_digits=9, decimal_places=2)
    paid_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "employment", "due_date"], name="incentive_payment_unique_due"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="incentive_paid_positive"),
        ]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"{self.scheme} £{self.amount} to {self.employment.person} on {self.paid_on}"


class PayBenchmark(models.Model):
    """A neighbouring council's pay range for a role in a pay year (full-time annual
    salary, pounds), loaded by an admin from a CSV (``import_pay_benchmarks``). Public
    figures (councils publish their pay scales), so every role may see them."""

    council = models.CharField(max_length=100)
    role = models.CharField(max_length=24, choices=BenchmarkRole.choices)
    pay_year = models.CharField(max_length=7, help_text="For example 2024/25.")
    minimum = models.DecimalField(max_digits=9, decimal_places=2)
    maximum = models.DecimalField(max_digits=9, decimal_places=2)
    source = models.CharField(max_length=255, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pay_year", "role", "council"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "role", "pay_year"], name="pay_benchmark_unique"
            ),
            models.CheckConstraint(
                condition=Q(maximum__gte=F("minimum")), name="pay_benchmark_max_not_below_min"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.get_role_display()} {self.pay_year}"


class AgencyEquivalentGrade(models.Model):
    """The council grade, and the point on it, of a permanent worker doing the work of an
    agency worker in a DfE role category: what the agency premium compares agency cost
    with (``docs/pay-costs.md``, "Agency premium"). Set by admins, one row per category."""

    role_category = models.CharField(
        "DfE agency role category", max_length=30, choices=AGENCY_ROLE_CATEGORIES, unique=True
    )
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    point = models.CharField(
        "point on the grade",
        max_length=6,
        choices=GradePoint.choices,
        default=GradePoint.TOP,
        help_text="Top by default: an agency worker needs 3 years' post-qualification "
        "experience, which a permanent worker on the grade has at its top.",
    )

    class Meta:
        ordering = ["role_category"]
        verbose_name = "agency equivalent grade"

    def __str__(self) -> str:
        return f"{self.get_role_category_display()}: {self.grade} ({self.get_point_display()})"
