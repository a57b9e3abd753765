"""Admin: the regional price caps (also loaded by ``import_price_caps``), placements and
their sign-offs, and the imported regional leavers (read-only: hashes only). The
council's region is edited on the council (workforce admin)."""

from django.contrib import admin

from . import models


@admin.register(models.RegionalPriceCap)
class RegionalPriceCapAdmin(admin.ModelAdmin):
    list_display = ("region", "role_category", "effective_from", "hourly_cap", "on_cost_percent")
    list_filter = ("region", "role_category")


class CapSignOffInline(admin.TabularInline):
    model = models.CapSignOff
    extra = 0
    readonly_fields = ("recorded_by",)


@admin.register(models.AgencyPlacement)
class AgencyPlacementAdmin(admin.ModelAdmin):
    list_display = ("swe_number", "agency", "role_category", "start_date", "end_date", "pay_rate")
    list_filter = ("role_category", "agency")
    search_fields = ("swe_number",)
    raw_id_fields = ("person", "employment")
    inlines = [CapSignOffInline]


@admin.register(models.RegionalLeaver)
class RegionalLeaverAdmin(admin.ModelAdmin):
    list_display = ("la_code", "leaving_date", "imported_at")
    list_filter = ("la_code",)
    readonly_fields = ("swe_hash", "leaving_date", "la_code", "imported_at")

    def has_add_permission(self, request):
        return False
