"""The tracker's one FilterSet, shared by the page, the API and the DOCX/XLSX exports:
committee, review, latest status, officer responsible, decision and overdue (as of a
date, default today)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from workforce.dates import BoundedDateFilter

from . import selectors
from .choices import Decision, DeliveryStatus
from .models import Committee, Recommendation, Review

NO_UPDATE = "none"


class RecommendationFilterSet(django_filters.FilterSet):
    committee = django_filters.ModelChoiceFilter(
        field_name="review__committee", queryset=Committee.objects.all(), label="Committee"
    )
    review = django_filters.ModelChoiceFilter(queryset=Review.objects.all(), label="Review")
    status = django_filters.ChoiceFilter(
        label="Latest status",
        choices=[*DeliveryStatus.choices, (NO_UPDATE, "No update recorded")],
        method="filter_status",
    )
    decision = django_filters.ChoiceFilter(
        label="Executive decision",
        choices=[*Decision.choices, ("not_stated", "Not stated"), (NO_UPDATE, "No response")],
        method="filter_decision",
    )
    officer = django_filters.CharFilter(
        field_name="response__officer_responsible",
        lookup_expr="icontains",
        label="Officer responsible",
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label="Overdue only",
        widget=forms.CheckboxInput,
    )
    as_of = BoundedDateFilter(method="filter_noop", label="Overdue as of (default today)")

    class Meta:
        model = Recommendation
        fields = ["committee", "review", "status", "decision", "officer", "overdue", "as_of"]

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_status(self, queryset, name, value):
        if value == NO_UPDATE:
            return queryset.filter(latest_status__isnull=True)
        return queryset.filter(latest_status=value)

    def filter_decision(self, queryset, name, value):
        if value == NO_UPDATE:
            return queryset.filter(response__isnull=True)
        if value == "not_stated":
            return queryset.filter(response__decision="")
        return queryset.filter(response__decision=value)

    def as_of_date(self):
        form = self.form
        if form.is_bound and form.is_valid() and form.cleaned_data.get("as_of"):
            return form.cleaned_data["as_of"]
        return timezone.localdate()

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        ids = selectors.recommendation_ids_overdue(queryset=queryset, as_of=self.as_of_date())
        return queryset.filter(pk__in=ids)
