"""Admin: the pay spine (read from the data file), grade ranges, on-cost rates and
incentive schemes are set here by admins. Worker points and payments are kept through
the pay pages and services, so they are read-only here."""

from django.contrib import admin

from . import models


@admin.register(models.SpinePoint)
class SpinePointAdmin(admin.ModelAdmin):
    list_display = ("pay_year", "scp", "annual_salary", "effective_from", "source")
    list_filter = ("pay_year",)


@admin.register(models.GradePointRange)
class GradePointRangeAdmin(admin.ModelAdmin):
    list_display = (
        "grade", "min_scp", "max_scp", "effective_from", "effective_to", "benchmark_role"
    )  # fmt: skip


@admin.register(models.OnCostRate)
class OnCostRateAdmin(admin.ModelAdmin):
    list_display = (
        "effective_from", "employer_ni_rate", "employer_ni_threshold", "pension_rate", "note"
    )  # fmt: skip


class InstalmentInline(admin.TabularInline):
    model = models.IncentiveInstalment
    extra = 1


@admin.register(models.IncentiveScheme)
class IncentiveSchemeAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "amount", "start_date", "end_date", "clawback_months")
    list_filter = ("kind",)
    filter_horizontal = ("teams", "grades")
    inlines = [InstalmentInline]


@admin.register(models.WorkerPoint)
class WorkerPointAdmin(admin.ModelAdmin):
    list_display = ("employment", "scp", "effective_from", "effective_to", "reason")
    readonly_fields = (
        "employment",
        "scp",
        "effective_from",
        "effective_to",
        "reason",
        "recorded_by",
    )

    def has_add_permission(self, request):
        return False


@admin.register(models.IncentivePayment)
class IncentivePaymentAdmin(admin.ModelAdmin):
    list_display = ("scheme", "employment", "due_date", "amount", "paid_on")
    readonly_fields = ("scheme", "employment", "due_date", "amount", "paid_on", "recorded_by")

    def has_add_permission(self, request):
        return False


@admin.register(models.PayBenchmark)
class PayBenchmarkAdmin(admin.ModelAdmin):
    """Neighbours' pay ranges: loaded from a CSV (Pay benchmarking page, or
    ``import_pay_benchmarks``); corrected one at a time here."""

    list_display = ("pay_year", "role", "council", "minimum", "maximum", "source")
    list_filter = ("pay_year", "role")
    search_fields = ("council",)


@admin.register(models.AgencyEquivalentGrade)
class AgencyEquivalentGradeAdmin(admin.ModelAdmin):
    """The grade and point an agency worker's role category is costed at as permanent
    (the agency premium)."""

    list_display = ("role_category", "grade", "point")
