"""Admin: users and reference data (teams, posts, grades, agencies). People and their
employments are recorded through the HR pages (which keep history), so the admin shows
them read-only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "is_active", "roles")
    list_filter = ("groups", "is_active", "is_staff", "is_superuser")

    @admin.display(description="Roles")
    def roles(self, obj) -> str:
        return ", ".join(g.name for g in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")


@admin.register(models.Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ("name", "lea_code", "region_name")

    def has_add_permission(self, request):
        return not models.Council.objects.exists()


@admin.register(models.ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "service_area", "is_case_holding", "valid_from", "valid_to")
    list_filter = ("service_area", "is_case_holding")
    search_fields = ("name",)
    filter_horizontal = ("managers",)


@admin.register(models.Grade)
class GradeAdmin(admin.ModelAdmin):
    list_display = ("name", "default_org_role", "is_asye", "sort_order")


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    search_fields = ("name",)


@admin.register(models.Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("reference", "team", "grade", "fte", "valid_from", "valid_to")
    list_filter = ("team__service_area", "team", "grade")
    search_fields = ("reference",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("swe_number", "first_name", "last_name", "staff_ref")
    search_fields = ("swe_number", "first_name", "last_name", "staff_ref")


@admin.register(models.CensusReturn)
class CensusReturnAdmin(ReadOnlyAdmin):
    list_display = ("year", "reference_date", "lea", "vacancies_fte", "agency_cover_fte")
