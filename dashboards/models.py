"""The read side's own data: KPI targets set by admins, DfE's published benchmark figures
and the comparator groups councils choose, and the stored KPI snapshots with their fill
state. Nothing here is personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class KpiTarget(models.Model):
    """The council's target for one KPI of the registry (``dashboards.kpis``), with RAG
    thresholds. Whether higher is better comes from the registry, not from here.

    RAG: green when the value meets ``target_value``; amber when it is within
    ``amber_margin`` (in the KPI's unit) of it; red otherwise.
    """

    kpi_key = models.CharField(max_length=60, unique=True)
    target_value = models.DecimalField(max_digits=10, decimal_places=3)
    target_date = models.DateField(null=True, blank=True)
    amber_margin = models.DecimalField(max_digits=10, decimal_places=3, default=5)
    notes = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kpi_key"]

    def __str__(self) -> str:
        return f"{self.kpi_key}: {self.target_value}"


class BenchmarkFigure(models.Model):
    """One figure from DfE's published workforce indicators file: a measure (a column such
    as ``turnover_rate_fte``) for an area (England, a region or a council) and year.
    A DfE symbol (c suppressed, x not available, z not applicable, u low reliability,
    low rounds to zero) is kept in ``symbol`` with ``value`` empty, never stored as 0."""

    class Level(models.TextChoices):
        NATIONAL = "National", "National"
        REGIONAL = "Regional", "Regional"
        LOCAL_AUTHORITY = "Local authority", "Local authority"

    time_period = models.PositiveSmallIntegerField()
    geographic_level = models.CharField(max_length=20, choices=Level.choices)
    area_code = models.CharField(
        max_length=40, help_text="New LA code, region code or country code as published."
    )
    old_la_code = models.CharField(
        max_length=20, blank=True, help_text="Three-digit LEA code(s), e.g. 886 or '314 / 318'."
    )
    area_name = models.CharField(max_length=120)
    region_name = models.CharField(max_length=60, blank=True)
    measure = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    symbol = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["time_period", "geographic_level", "area_name", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["time_period", "geographic_level", "area_code", "measure"],
                name="benchmark_unique_figure",
            )
        ]
        indexes = [models.Index(fields=["measure", "time_period"])]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.symbol
        return f"{self.area_name} {self.time_period} {self.measure}: {shown}"


class ComparatorGroup(models.Model):
    """A set of councils the council compares itself with (e.g. the ten Greater
    Manchester councils, or its statistical neighbours), by three-digit LEA code."""

    name = models.CharField(max_length=120, unique=True)
    lea_codes = models.JSONField(default=list, help_text='A list such as ["352", "357"].')
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KpiSnapshotQuerySet(models.QuerySet):
    """Reads the dashboards make: one KPI over a scope and a date range, by period."""

    def series(self, *, scope: str, kpi_key: str) -> KpiSnapshotQuerySet:
        return self.filter(scope=scope, kpi_key=kpi_key).order_by("as_of")

    def month_ends(self) -> KpiSnapshotQuerySet:
        """Every month end, census dates (30 September) included."""
        return self.filter(period__in=[KpiSnapshot.Period.MONTH_END, KpiSnapshot.Period.CENSUS])

    def census_dates(self) -> KpiSnapshotQuerySet:
        return self.filter(period=KpiSnapshot.Period.CENSUS)


class KpiSnapshot(models.Model):
    """One KPI of the registry (``dashboards.kpis``) for one scope as of one date, computed
    by ``dashboards.services.snapshots_refresh`` and read by the dashboards, so that pages
    draw ten years of figures without recomputing them.

    ``value`` is the exact figure (rates in percent, unrounded; empty when the KPI cannot
    be computed, e.g. no case-holders). ``period`` says why the date is stored; a date
    that is both is stored once as a census date, so read month ends with
    ``KpiSnapshot.objects.month_ends()`` rather than filtering ``period`` by hand.
    ``computed_at`` and ``data_version`` (``KpiFillState.data_version`` when that refresh
    started) are those of the refresh that stored this value; a later refresh that finds
    the same value leaves the row alone. When the last refresh ran is in ``KpiFillState``.
    """

    class Period(models.TextChoices):
        MONTH_END = "month_end", "Month end"
        CENSUS = "census", "Census date"

    as_of = models.DateField()
    scope = models.CharField(max_length=160, help_text="As printed by dashboards.kpis.Scope.")
    kpi_key = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=28, decimal_places=10, null=True, blank=True)
    period = models.CharField(max_length=10, choices=Period.choices)
    computed_at = models.DateTimeField()
    data_version = models.PositiveBigIntegerField(default=0)

    objects = KpiSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["scope", "kpi_key", "as_of"]
        # The unique index also serves the dashboards' reads (a KPI over a scope and a
        # date range); the one on the date serves the refresh, which reads and replaces a
        # batch of dates. No more: each index slows a first full build by about a quarter.
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "kpi_key", "as_of"], name="kpi_snapshot_unique_figure"
            )
        ]
        indexes = [models.Index(fields=["as_of"], name="kpi_snapshot_as_of")]

    def __str__(self) -> str:
        return f"{self.kpi_key} for {self.scope} on {self.as_of}: {self.value}"


class KpiFillState(models.Model):
    """The state of the stored KPI snapshots (one row, ``name="kpi_snapshots"``), after
    Zulip's ``FillState``: whether a refresh is running, finished or failed, when the last
    complete refresh finished, and a data version that every change to workforce data
    bumps (``dashboards.signals``). The snapshots are *stale* when the data version has
    moved on since the last complete refresh started."""

    class State(models.TextChoices):
        NEVER = "never", "Never refreshed"
        RUNNING = "running", "Refresh running"
        DONE = "done", "Up to date as of the last refresh"
        FAILED = "failed", "Last refresh failed"

    name = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEVER)
    data_version = models.PositiveBigIntegerField(default=0)
    data_changed_at = models.DateTimeField(null=True, blank=True)
    refreshed_version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The data version the last complete refresh read."
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last complete refresh finished."
    )
    rows = models.PositiveIntegerField(default=0, help_text="Rows the last refresh wrote.")
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "KPI snapshot fill state"

    def __str__(self) -> str:
        return f"{self.name}: {self.get_state_display()}"


class ReportPack(models.Model):
    """A committee report pack a director asked for: the period, scope and sections chosen,
    who asked and when, how far the background build has got, and the files it produced
    (Word, PDF, Excel and a CSV zip under MEDIA_ROOT/report-packs/). ``data_version`` is
    ``KpiFillState.data_version`` when the build read the data and ``settings_used`` the
    settings that shaped the figures, so a pack says exactly what produced it. Files are
    only attached once every section has been built: a failed pack offers none. A pack is
    deleted, files and all, ``REPORT_PACK_RETENTION_DAYS`` after it was asked for."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    class Audience(models.TextChoices):
        PUBLIC = "public", "For publication (a public committee paper): small numbers hidden"
        RESTRICTED = "restricted", "Not for publication: figures as they are"

    title = models.CharField(max_length=200)
    meeting = models.CharField(max_length=200, blank=True)
    audience = models.CharField(
        max_length=12,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text="Who the pack is for: a paper for publication hides what councillors "
        "may not see (workforce.disclosure).",
    )
    period_start = models.DateField()
    period_end = models.DateField()
    scope = models.CharField(max_length=160, default="all")
    sections = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    error_message = models.TextField(blank=True)
    data_version = models.PositiveBigIntegerField(null=True, blank=True)
    settings_used = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker building it."
    )
    docx_file = models.FileField(upload_to="report-packs/", blank=True)
    pdf_file = models.FileField(upload_to="report-packs/", blank=True)
    xlsx_file = models.FileField(upload_to="report-packs/", blank=True)
    csv_zip_file = models.FileField(upload_to="report-packs/", blank=True)
    #: The exit records whose quotes the build used: when their free text is erased on
    #: schedule, the pack is rebuilt without them (``reports.services``, retention).
    quoted_exit_records = models.JSONField(default=list, blank=True)
    #: The director's text for the paper (front sheet, summary, recommendations,
    #: introduction, implications, background papers: ``reports.builder`` FRONT_SHEET and
    #: TEXTS), offered again on the form for the next pack.
    texts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start} to {self.period_end})"


class ForecastScenario(models.Model):
    """A named what-if for the forecast to 85% permanent (``dashboards.forecast``), saved
    by a director: leaving rate down by a percentage in a role group, extra recruits a
    month, agency workers converted to permanent, a change in establishment. Compared with
    the baseline (no levers) on the Forecast page."""

    class Group(models.TextChoices):
        ALL = "", "All role groups"
        CASE_HOLDERS = "case_holders", "Case holders"
        MANAGERS = "managers", "Managers"
        OTHERS = "others", "Others"

    name = models.CharField(max_length=80, unique=True)
    leaving_reduction_pct = models.DecimalField(
        "leaving rate down by (%)",
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text="For example 20 after a market supplement. Negative for a rise.",
    )
    leaving_group = models.CharField(
        "in role group", max_length=20, choices=Group.choices, blank=True, default=""
    )
    extra_recruits_per_month = models.PositiveSmallIntegerField(
        "extra recruits a month", default=0, help_text="Employed starters from a campaign."
    )
    recruits_group = models.CharField(
        "recruits' role group",
        max_length=20,
        choices=Group.choices[1:],
        default=Group.CASE_HOLDERS,
    )
    agency_conversions = models.PositiveSmallIntegerField(
        "agency workers converted to permanent", default=0, help_text="In the first month."
    )
    establishment_change_fte = models.DecimalField(
        "change in establishment (FTE)", max_digits=8, decimal_places=1, default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leaving_reduction_pct__gte=-100)
                & models.Q(leaving_reduction_pct__lte=100),
                name="forecast_scenario_reduction_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name
