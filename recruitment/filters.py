"""FilterSets shared by the recruitment pages and the REST API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from workforce.dates import BoundedDateFilter
from workforce.models import Grade, Team

from .choices import Channel, Outcome, Route, Stage, VacancyStatus
from .models import Application, Campaign, Vacancy

DATE_WIDGET = forms.DateInput(
    attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"
)


class VacancyFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VacancyStatus.choices, empty_label="Any status")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), empty_label="Any team")
    grade = django_filters.ModelChoiceFilter(queryset=Grade.objects.all(), empty_label="Any grade")
    opened_from = BoundedDateFilter(
        field_name="opened_on", lookup_expr="gte", label="Opened from", widget=DATE_WIDGET
    )
    opened_to = BoundedDateFilter(
        field_name="opened_on", lookup_expr="lte", label="Opened to", widget=DATE_WIDGET
    )

    class Meta:
        model = Vacancy
        fields = ["status", "team", "grade"]


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search (name or vacancy)", method="filter_search")
    vacancy = django_filters.ModelChoiceFilter(
        queryset=Vacancy.objects.all(), empty_label="Any vacancy"
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any stage")
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, empty_label="Any outcome")
    route = django_filters.ChoiceFilter(choices=Route.choices, empty_label="Any route")
    team = django_filters.ModelChoiceFilter(
        field_name="vacancy__team", queryset=Team.objects.all(), empty_label="Any team"
    )
    applied_from = BoundedDateFilter(
        field_name="applied_on", lookup_expr="gte", label="Applied from", widget=DATE_WIDGET
    )
    applied_to = BoundedDateFilter(
        field_name="applied_on", lookup_expr="lte", label="Applied to", widget=DATE_WIDGET
    )

    class Meta:
        model = Application
        fields = ["vacancy", "stage", "outcome", "route"]

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(vacancy__reference__icontains=word)
            )
        return queryset


class CampaignFilterSet(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    partner = django_filters.CharFilter(lookup_expr="icontains")
    opened_from = BoundedDateFilter(
        field_name="opened_on", lookup_expr="gte", label="Opened from", widget=DATE_WIDGET
    )
    opened_to = BoundedDateFilter(
        field_name="opened_on", lookup_expr="lte", label="Opened to", widget=DATE_WIDGET
    )

    class Meta:
        model = Campaign
        fields = ["channel", "partner"]
