"""The workforce core: people, their employments over time, the establishment, caseloads.

Everything here is **effective-dated** so that any KPI can be computed "as on any past
date" from what is stored: history is added, never overwritten.

One rule for every dated period in this module: a record with ``start`` and ``end``
(``start_date``/``end_date``, ``valid_from``/``valid_to``, ``effective_from``/``effective_to``)
is *active on date D* when ``start <= D`` and (``end`` is empty or ``end > D``). So an
employment whose ``end_date`` (DfE ``RoleEndDate``, the leaving date) is 30 September is a
leaver in the year to 30 September and not in post on 30 September, as in the DfE census.
``workforce.selectors.active_on`` builds that filter; use it rather than writing it again.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from .census.validate import census_text_validator
from .choices import (
    CaseloadSource,
    CFKSSStatus,
    ChangeReason,
    ContractType,
    Ethnicity,
    Gender,
    LeaverDestination,
    OrgRole,
    QualificationRoute,
    QualLevel,
    ReasonLeave,
    StartOrigin,
)

swe_number_validator = RegexValidator(
    r"^[A-Z]{2}[0-9]{1,12}$",  # ASCII digits: \d would take other scripts' digits
    "Enter a Social Work England number: two letters then digits, for example SW123456.",
)


class User(AbstractUser):
    """A person who signs in. What they may do comes from their role (a Django group,
    see ``core.roles``); service managers also have the teams they manage."""

    class Meta:
        ordering = ["username"]


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Council(models.Model):
    """The council this installation serves (one row): its name, DfE LEA code and region,
    used by the census return and to find it in DfE's benchmark data."""

    name = models.CharField(max_length=120)
    lea_code = models.CharField("DfE LEA code", max_length=3, help_text="For example 886 (Kent).")
    region_name = models.CharField(
        max_length=60, blank=True, help_text="DfE region name, for example South East."
    )

    class Meta:
        verbose_name = "council"

    def __str__(self) -> str:
        return f"{self.name} ({self.lea_code})"


class ServiceArea(models.Model):
    """A service area (e.g. Safeguarding, Children in Care) grouping teams."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team in a service area. Case-holding teams are those whose social workers hold
    cases; several KPIs can be restricted to them."""

    name = models.CharField(max_length=120, unique=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    is_case_holding = models.BooleanField(default=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="The date the team closed.")
    managers = models.ManyToManyField(
        User, blank=True, related_name="managed_teams", help_text="Service or team managers."
    )

    class Meta:
        ordering = ["service_area__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=F("valid_from")),
                name="team_valid_to_after_valid_from",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Grade(models.Model):
    """A local grade (Level 1 ASYE, Level 2, Level 3, advanced practitioner, team manager...),
    with the DfE role it usually maps to and its place in the career ladder."""

    name = models.CharField(max_length=80, unique=True)
    default_org_role = models.PositiveSmallIntegerField(choices=OrgRole.choices)
    is_asye = models.BooleanField(default=False, help_text="The ASYE (newly qualified) grade.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An employment agency supplying locum social workers."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A funded post in the establishment: a team's budgeted FTE at a grade, valid over a
    period. The establishment of a team on a date is the FTE of its posts valid then."""

    reference = models.CharField(max_length=40, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="posts")
    fte = models.DecimalField(
        "FTE", max_digits=8, decimal_places=4, validators=[MinValueValidator(Decimal("0.0001"))]
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="The date funding ended.")

    class Meta:
        ordering = ["team__name", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0), name="post_fte_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="post_valid_to_after_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["team", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.reference} ({self.team}, {self.grade})"


class Person(TimeStamped):
    """A child and family social worker, employed or agency, identified across years by
    their Social Work England number (DfE ``SWENo``). Personal data: audited."""

    swe_number = models.CharField(
        "Social Work England number",
        max_length=14,
        unique=True,
        validators=[swe_number_validator],
        help_text="Two letters then digits, for example SW123456.",
    )
    staff_ref = models.CharField(
        "staff reference", max_length=30, null=True, blank=True, unique=True
    )
    first_name = models.CharField(max_length=80, blank=True)
    last_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.PositiveSmallIntegerField(choices=Gender.choices, null=True, blank=True)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, blank=True)
    qualification_route = models.CharField(
        max_length=20, choices=QualificationRoute.choices, blank=True
    )
    qualification_institution = models.CharField(
        max_length=200, blank=True, validators=[census_text_validator]
    )
    qualification_level = models.PositiveSmallIntegerField(
        choices=QualLevel.choices, null=True, blank=True
    )
    #: Optimistic lock (``core.locking``): goes up by one with every edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "swe_number"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name or self.swe_number

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Employment(TimeStamped):
    """One continuous period in a child and family social work role at the council
    (DfE: one worker record, keyed by SWENo and RoleStartDate). A person who leaves and
    returns has two employments. Agency placements are employments with contract type
    agency. What changes during an employment (team, FTE, grade, role, ASYE) is in its
    ``Assignment`` rows."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    contract_type = models.CharField(max_length=12, choices=ContractType.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    start_date = models.DateField(help_text="DfE RoleStartDate.")
    start_origin = models.PositiveSmallIntegerField(
        choices=StartOrigin.choices, null=True, blank=True
    )
    end_date = models.DateField(
        null=True, blank=True, help_text="DfE RoleEndDate: the leaving date. Empty if in post."
    )
    leaving_reason = models.PositiveSmallIntegerField(
        choices=ReasonLeave.choices, null=True, blank=True
    )
    leaving_destination = models.PositiveSmallIntegerField(
        choices=LeaverDestination.choices, null=True, blank=True
    )
    #: Optimistic lock (``core.locking``): goes up by one with every edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["person", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "start_date"], name="employment_unique_person_start"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(contract_type=ContractType.AGENCY) | Q(agency__isnull=True),
                name="employment_agency_only_for_agency_contract",
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["end_date"]),
        ]

    def __str__(self) -> str:
        end = f" to {self.end_date:%d %b %Y}" if self.end_date else ""
        kind = self.get_contract_type_display()
        return f"{self.person} - {kind} from {self.start_date:%d %b %Y}{end}"

    @property
    def is_agency(self) -> bool:
        return self.contract_type == ContractType.AGENCY


class Assignment(TimeStamped):
    """The terms of an employment over a period: team, post, grade, DfE role, FTE, ASYE.

    A change (team move, FTE change, grade or role change, ASYE completed) closes the
    current assignment at ``effective_from`` of the new one; ``effective_to`` is kept in
    step by ``workforce.services`` so "on date D" is a plain range filter.
    """

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="assignments")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(
        Post, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    org_role = models.PositiveSmallIntegerField("DfE role", choices=OrgRole.choices)
    fte = models.DecimalField("FTE", max_digits=7, decimal_places=6)
    is_asye = models.BooleanField("ASYE", default=False)
    cfkss_status = models.PositiveSmallIntegerField(
        "post-qualifying status", choices=CFKSSStatus.choices, null=True, blank=True
    )
    change_reason = models.CharField(max_length=20, choices=ChangeReason.choices)

    class Meta:
        ordering = ["employment", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["employment", "effective_from"], name="assignment_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=1), name="assignment_fte_in_range"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="assignment_to_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=["effective_from", "effective_to"]),
            models.Index(fields=["team", "effective_from"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.team} {self.get_org_role_display()} {self.fte} FTE from {self.effective_from}"
        )


class CaseloadSnapshot(TimeStamped):
    """Cases held by one worker on one date (weekly from the case management system, or
    DfE ``Cases30`` on the census date). A repeat of the same worker and date replaces
    the earlier figure."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="caseloads")
    date = models.DateField()
    cases = models.PositiveIntegerField()
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="caseloads",
        help_text="The team the cases were held in on the date.",
    )
    source = models.CharField(
        max_length=10, choices=CaseloadSource.choices, default=CaseloadSource.MANUAL
    )

    class Meta:
        ordering = ["date", "employment"]
        constraints = [
            models.UniqueConstraint(fields=["employment", "date"], name="caseload_unique_day")
        ]
        indexes = [models.Index(fields=["date", "team"])]

    def __str__(self) -> str:
        return f"{self.employment.person}: {self.cases} cases on {self.date}"


class SicknessAbsence(TimeStamped):
    """Working days lost to sickness over a period. A census return's ``WorkingDaysLost``
    becomes one record spanning the census year; it counts in the 12 months to a date
    when its ``end_date`` falls in them."""

    employment = models.ForeignKey(Employment, on_delete=models.CASCADE, related_name="absences")
    start_date = models.DateField()
    end_date = models.DateField()
    working_days_lost = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["employment", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="absence_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(working_days_lost__gte=0), name="absence_days_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["end_date"])]

    def __str__(self) -> str:
        return f"{self.working_days_lost} days lost {self.start_date} to {self.end_date}"


class CensusReturn(TimeStamped):
    """A DfE Children's Social Work Workforce return, imported or produced, and the
    council-level vacancy figures it declares for its reference date. On a date with
    declared figures those are the vacancies; otherwise they come from the establishment."""

    year = models.PositiveSmallIntegerField(unique=True)
    reference_date = models.DateField(unique=True)
    lea = models.CharField("LEA code", max_length=3)
    vacancies_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    agency_cover_fte = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    agency_cover_headcount = models.PositiveIntegerField(null=True, blank=True)
    #: The council-level pay items the return declared (2025 on; census.items
    #: COUNCIL_PAY_ITEMS): item name -> true if the council offers it. Empty before 2025.
    pay_items = models.JSONField(default=dict, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    imported_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"CSWW {self.year} (LEA {self.lea})"


class CensusWorkerRecord(TimeStamped):
    """One worker record of a census return as it was imported: the items the product
    does not model elsewhere (ContractWeeks, Absat30Sept, ReasonAbsence, QualInst...) and
    any extra columns of a flat file, kept so the return can be produced again."""

    census_return = models.ForeignKey(
        CensusReturn, on_delete=models.CASCADE, related_name="worker_records"
    )
    employment = models.ForeignKey(
        Employment, on_delete=models.CASCADE, related_name="census_records"
    )
    items = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["census_return", "employment"], name="census_record_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.census_return}: {self.employment}"


class ImportJob(models.Model):
    """An uploaded file being checked or imported by a Celery worker, not the web request
    (``workforce.imports``): the bytes wait here (a worker on another machine reads them),
    the page polls ``status``, and ``result`` holds what the check or import found. The
    bytes are dropped once the import is done; jobs are deleted after a day."""

    class Kind(models.TextChoices):
        CENSUS = "census", "Census return"
        CASELOADS = "caseloads", "Caseloads"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking the file"
        CHECKED = "checked", "Checked"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    file_name = models.CharField(max_length=200, blank=True)
    data = models.BinaryField(editable=False, default=b"")
    details = models.JSONField(default=dict, blank=True)  # a flat file's year, LEA, figures
    result = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)  # why a job failed outside the file's problems

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="import_job_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.CHECKING, self.Status.IMPORTING)
