"""Admin for the tracker's reference data: committees, reviews and recommendations are
entered here (the recommendation's natural sort key is computed by the service's rule)."""

from django.contrib import admin

from . import models
from .services import recommendation_sort_key


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "council"]
    search_fields = ["name", "council"]


class RecommendationInline(admin.TabularInline):
    model = models.Recommendation
    fields = ["number", "parent", "text", "theme", "lead_member", "lead_officers"]
    extra = 0


@admin.register(models.Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "report_date", "kind"]
    list_filter = ["committee__council", "kind"]
    search_fields = ["title"]
    inlines = [RecommendationInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.sort_key = recommendation_sort_key(obj.number)
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(models.Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["number", "review", "theme", "kpi_key"]
    list_filter = ["review__committee__council", "theme"]
    search_fields = ["text", "number"]

    def save_model(self, request, obj, form, change):
        obj.sort_key = recommendation_sort_key(obj.number)
        super().save_model(request, obj, form, change)
