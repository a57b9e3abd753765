"""Admin: the theme list and its keyword rules (also editable on the themes page).
Exit records and answers are kept through the exits pages, which apply the rules, so
the admin shows records read-only and never the free text."""

from django.contrib import admin

from . import models


@admin.register(models.ExitTheme)
class ExitThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_active", "sort_order")
    list_editable = ("is_active", "sort_order")
    search_fields = ("name", "keywords")


@admin.register(models.ExitRecord)
class ExitRecordAdmin(admin.ModelAdmin):
    list_display = ("employment", "offered_on", "channel", "response", "completed_on")
    list_filter = ("channel", "response")
    readonly_fields = (
        "employment",
        "offered_on",
        "channel",
        "conductor",
        "response",
        "completed_on",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
