"""Admin: read-mostly views of recruitment records for support staff. Changes go through
the recruitment pages (services), so the admin shows records without editing stages."""

from django.contrib import admin

from .models import Application, Campaign, InductionCheckIn, PipelineCohort, StageChange, Vacancy


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["reference", "team", "grade", "fte", "status", "opened_on", "closed_on"]
    list_filter = ["status", "reason"]
    search_fields = ["reference"]
    readonly_fields = [f.name for f in Vacancy._meta.concrete_fields]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "channel", "partner", "opened_on", "cost"]
    list_filter = ["channel"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "outcome", "date", "close_reason", "recorded_by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["pk", "vacancy", "stage", "outcome", "applied_on"]
    list_filter = ["stage", "outcome", "route"]
    readonly_fields = [f.name for f in Application._meta.concrete_fields]
    inlines = [StageChangeInline]


@admin.register(InductionCheckIn)
class InductionCheckInAdmin(admin.ModelAdmin):
    list_display = ["employment", "kind", "due_from", "due_by", "completed_on"]
    list_filter = ["kind"]


@admin.register(PipelineCohort)
class PipelineCohortAdmin(admin.ModelAdmin):
    list_display = ["name", "route", "places", "expected_start"]
    list_filter = ["route"]
