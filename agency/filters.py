"""The FilterSet of agency placements, shared by the placement list, the compliance page
and the API: active on a date, breaking a rule (as on that date), team, agency, role."""

from __future__ import annotations

import django_filters
from django.utils import timezone

from workforce.filters import DATE_WIDGET
from workforce.models import Agency, Team

from . import selectors
from .choices import RoleCategory, Rule
from .models import AgencyPlacement


class PlacementFilterSet(django_filters.FilterSet):
    as_of = django_filters.DateFilter(
        label="Active on",
        method="filter_as_of",
        widget=DATE_WIDGET,
        help_text="For example 2025-03-31.",
    )
    rule = django_filters.ChoiceFilter(
        label="Breaking the rule",
        choices=Rule.choices,
        method="filter_rule",
        empty_label="Any rule or none",
    )
    breaching = django_filters.BooleanFilter(label="Breaking any rule", method="filter_breaching")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.all(), empty_label="Any agency"
    )
    role_category = django_filters.ChoiceFilter(
        label="Role category", choices=RoleCategory.choices, empty_label="Any role category"
    )

    class Meta:
        model = AgencyPlacement
        fields = ["as_of", "rule", "breaching", "team", "agency", "role_category"]

    def as_of_date(self):
        data = getattr(self.form, "cleaned_data", {}) or {}
        return data.get("as_of") or timezone.localdate()

    def filter_as_of(self, queryset, name, value):
        return queryset.filter(selectors.placement_active_q(value))

    def _breaking(self, queryset, rule: str | None):
        breaches = selectors.placement_breaches(queryset, as_of=self.as_of_date())
        keep = [
            pk
            for pk, found in breaches.items()
            if found and (rule is None or any(b.rule == rule for b in found))
        ]
        return queryset.filter(pk__in=keep)

    def filter_rule(self, queryset, name, value):
        return self._breaking(queryset, value)

    def filter_breaching(self, queryset, name, value):
        return self._breaking(queryset, None) if value else queryset
