"""The FilterSet of exit records, shared by the HTML list and the API."""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from workforce.choices import ContractType
from workforce.dates import BoundedDateFilter
from workforce.filters import DATE_WIDGET
from workforce.models import Team

from .models import ExitRecord
from .selectors import exit_records_list

STATUS_CHOICES = [
    ("not_offered", "Not yet offered"),
    ("offered_not_completed", "Offered, not completed"),
    ("overdue", "Overdue"),
    ("completed", "Completed"),
]


class ExitRecordFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label="Any status"
    )
    left_from = BoundedDateFilter(
        field_name="employment__end_date", lookup_expr="gte", widget=DATE_WIDGET
    )
    left_to = BoundedDateFilter(
        field_name="employment__end_date", lookup_expr="lte", widget=DATE_WIDGET
    )
    contract_type = django_filters.ChoiceFilter(
        field_name="employment__contract_type", choices=ContractType.choices
    )
    # Typed for the API schema: the filter method cannot say what the id is.
    team = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=Team.objects.all(), method="filter_team", label="Team on the last day"
        )
    )

    class Meta:
        model = ExitRecord
        fields = ["status", "left_from", "left_to", "contract_type", "team"]

    def filter_status(self, queryset, name, value):
        return exit_records_list(queryset=queryset, status=value, today=timezone.localdate())

    def filter_team(self, queryset, name, value):
        # ``leaving_team_id`` is annotated by ``selectors.exit_records_visible_to``.
        return queryset.filter(leaving_team_id=value.pk)
