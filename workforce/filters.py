"""FilterSets shared by the HTML lists, the REST API and the selectors.

``PersonFilterSet`` answers "who was in post in team X as a case holder on date D" and
"who started / left between A and B": the team, role and contract filters apply to the
same assignment, on the "in post on" date (today if none is given).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from workforce.dates import BoundedDateFilter

from .choices import ContractType, OrgRole
from .models import Assignment, CaseloadSnapshot, Employment, Person, Post, ServiceArea, Team
from .selectors import active_on, assignment_active_q, employment_active_q

DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
)


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    # Typed for the API schema: the filter method cannot say what these ids are.
    team = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=Team.objects.select_related("service_area"),
            label="Team",
            empty_label="Any team",
            method="filter_noop",
        )
    )
    service_area = extend_schema_field(OpenApiTypes.INT)(
        django_filters.ModelChoiceFilter(
            queryset=ServiceArea.objects.all(),
            label="Service area",
            empty_label="Any service area",
            method="filter_noop",
        )
    )
    org_role = django_filters.ChoiceFilter(
        label="DfE role", choices=OrgRole.choices, empty_label="Any role", method="filter_noop"
    )
    contract_type = django_filters.ChoiceFilter(
        label="Contract type",
        choices=ContractType.choices,
        empty_label="Any contract",
        method="filter_noop",
    )
    in_post_on = BoundedDateFilter(label="In post on", method="filter_noop", widget=DATE_WIDGET)
    started_from = BoundedDateFilter(label="Started from", method="filter_noop", widget=DATE_WIDGET)
    started_to = BoundedDateFilter(label="Started to", method="filter_noop", widget=DATE_WIDGET)
    left_from = BoundedDateFilter(label="Left from", method="filter_noop", widget=DATE_WIDGET)
    left_to = BoundedDateFilter(label="Left to", method="filter_noop", widget=DATE_WIDGET)

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_noop(self, queryset, name, value):
        return queryset  # combined in filter_queryset below

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(swe_number__icontains=word)
                | Q(staff_ref__icontains=word)
            )
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        team, area = data.get("team"), data.get("service_area")
        role, contract = data.get("org_role"), data.get("contract_type")
        in_post_on = data.get("in_post_on")
        started = (data.get("started_from"), data.get("started_to"))
        left = (data.get("left_from"), data.get("left_to"))

        if any(started) or any(left):
            employments = Employment.objects.filter(person=OuterRef("pk"))
            if started[0]:
                employments = employments.filter(start_date__gte=started[0])
            if started[1]:
                employments = employments.filter(start_date__lte=started[1])
            if left[0]:
                employments = employments.filter(end_date__gte=left[0])
            if left[1]:
                employments = employments.filter(end_date__lte=left[1])
            if contract:
                employments = employments.filter(contract_type=contract)
            queryset = queryset.filter(Exists(employments))
            if not in_post_on and not (team or area or role):
                return queryset

        if in_post_on or team or area or role or contract:
            on = in_post_on or timezone.localdate()
            assignments = Assignment.objects.filter(
                assignment_active_q(on),
                employment_active_q(on, prefix="employment__"),
                employment__person=OuterRef("pk"),
            )
            if team:
                assignments = assignments.filter(team=team)
            if area:
                assignments = assignments.filter(team__service_area=area)
            if role:
                assignments = assignments.filter(org_role=role)
            if contract:
                assignments = assignments.filter(employment__contract_type=contract)
            queryset = queryset.filter(Exists(assignments))
        return queryset


class TeamFilterSet(django_filters.FilterSet):
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all())
    is_case_holding = django_filters.BooleanFilter()
    open_on = BoundedDateFilter(method="filter_open_on", widget=DATE_WIDGET)

    class Meta:
        model = Team
        fields = ["service_area", "is_case_holding"]

    def filter_open_on(self, queryset, name, value):
        return queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=value),
            Q(valid_to__isnull=True) | Q(valid_to__gt=value),
        )


class PostFilterSet(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    funded_on = BoundedDateFilter(method="filter_funded_on", widget=DATE_WIDGET)

    class Meta:
        model = Post
        fields = ["team", "grade"]

    def filter_funded_on(self, queryset, name, value):
        return queryset.filter(active_on(value, start="valid_from", end="valid_to"))


class EmploymentFilterSet(django_filters.FilterSet):
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    contract_type = django_filters.ChoiceFilter(choices=ContractType.choices)
    in_post_on = BoundedDateFilter(method="filter_in_post_on", widget=DATE_WIDGET)
    started_from = BoundedDateFilter(field_name="start_date", lookup_expr="gte")
    started_to = BoundedDateFilter(field_name="start_date", lookup_expr="lte")
    left_from = BoundedDateFilter(field_name="end_date", lookup_expr="gte")
    left_to = BoundedDateFilter(field_name="end_date", lookup_expr="lte")

    class Meta:
        model = Employment
        fields = ["person", "contract_type", "agency"]

    def filter_in_post_on(self, queryset, name, value):
        return queryset.filter(employment_active_q(value))


class CaseloadFilterSet(django_filters.FilterSet):
    date = BoundedDateFilter(field_name="date")
    date_from = BoundedDateFilter(field_name="date", lookup_expr="gte")
    date_to = BoundedDateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CaseloadSnapshot
        fields = ["team", "date", "employment"]
