"""The read side's own data: KPI targets set by admins, DfE's published benchmark figures
and the comparator groups councils choose. (Stored KPI snapshots are added with the
snapshot refresh.) Nothing here is personal data."""

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
