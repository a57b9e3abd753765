"""The form a director fills in to save a forecast scenario."""

from __future__ import annotations

from django import forms

from ..models import ForecastScenario


class ForecastScenarioForm(forms.ModelForm):
    class Meta:
        model = ForecastScenario
        fields = [
            "name",
            "leaving_reduction_pct",
            "leaving_group",
            "extra_recruits_per_month",
            "recruits_group",
            "agency_conversions",
            "establishment_change_fte",
        ]
        labels = {"name": "Name of the scenario"}
        help_texts = {"name": "For example, Market supplement 2026."}

    def clean_extra_recruits_per_month(self):
        value = self.cleaned_data["extra_recruits_per_month"]
        if value is not None and value > 100:
            raise forms.ValidationError("Enter at most 100 extra recruits a month.")
        return value

    def clean_agency_conversions(self):
        value = self.cleaned_data["agency_conversions"]
        if value is not None and value > 500:
            raise forms.ValidationError("Enter at most 500 agency conversions.")
        return value
