"""The form a director fills in to ask for a report pack."""

from __future__ import annotations

import datetime as dt

from django import forms

from dashboards.kpis import all_scopes

from .builder import SECTIONS


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The year to the last census date (30 September)."""
    year = today.year if today >= dt.date(today.year, 9, 30) else today.year - 1
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


class ReportPackForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        initial="Children's social care workforce",
        label="Title of the report",
    )
    meeting = forms.CharField(
        max_length=200,
        required=False,
        label="Meeting (optional)",
        help_text="For example, Children's Scrutiny Panel, 12 March 2025.",
    )
    start = forms.DateField(
        label="First day of the period",
        help_text="For example, 2024-04-01.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="Last day of the period",
        help_text="Stock figures (permanence, vacancies, caseloads) are as at this date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scope = forms.ChoiceField(label="Scope")
    sections = forms.MultipleChoiceField(
        choices=list(SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="Sections to include",
        error_messages={"required": "Choose at least one section."},
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        start, end = _default_period(today)
        self.fields["start"].initial = start
        self.fields["end"].initial = end
        self.fields["sections"].initial = list(SECTIONS)
        scopes = [s for s in all_scopes() if s.kind in ("all", "caseholding", "area")]
        self.fields["scope"].choices = [(str(s), s.label) for s in scopes]
        self.fields["scope"].initial = "all"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The period must end on or after its first day.")
        return cleaned
