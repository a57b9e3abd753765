"""The form a director fills in to ask for a report pack."""

from __future__ import annotations

import datetime as dt

from django import forms

from dashboards.kpis import all_scopes
from dashboards.models import ReportPack
from workforce.dates import BoundedDateField

from .builder import DEFAULT_TEXTS, DEFAULT_TITLE, FRONT_SHEET, SECTIONS, TEXTS


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The year to the last census date (30 September)."""
    year = today.year if today >= dt.date(today.year, 9, 30) else today.year - 1
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


def _last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete calendar quarter before ``today``."""
    first_of_this = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = first_of_this - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


def _last_financial_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete financial year (1 April to 31 March)."""
    year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


PERIODS = {
    "census_year": ("Year to the last census date (30 September)", _default_period),
    "last_quarter": ("Last complete quarter", _last_quarter),
    "financial_year": ("Last complete financial year", _last_financial_year),
}


TEXT_HELP = {
    "summary": "Written by the app for the year to the last census date; edit it as you "
    "wish. Leave it empty and the app writes it for the period you choose.",
    "plan": "Written by the app from the forecast of permanence for the year to the last "
    "census date; edit it as you wish. Leave it empty and the app writes it from the "
    "forecast for the period you choose. The fan chart and the milestones table are added "
    "from the forecast either way.",
    "recommendations": "What the committee is asked to do. One recommendation a paragraph "
    "(separate them with a blank line).",
}


class ReportPackForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        initial=DEFAULT_TITLE,
        label="Title of the report",
    )
    meeting = forms.CharField(
        max_length=200,
        required=False,
        label="Meeting (optional)",
        help_text="For example, Children's Scrutiny Panel, 12 March 2025.",
    )
    audience = forms.ChoiceField(
        label="Who is the pack for?",
        widget=forms.RadioSelect,
        choices=ReportPack.Audience.choices,
        initial=ReportPack.Audience.PUBLIC,
        required=False,  # a pack for publication unless chosen otherwise
        help_text="A paper for publication hides counts of fewer than 5 people and any "
        "figure that would reveal one, as councillors see them.",
        error_messages={"required": "Choose who the pack is for."},
    )
    period = forms.ChoiceField(
        label="Period",
        widget=forms.RadioSelect,
        choices=[
            *((key, label) for key, (label, _) in PERIODS.items()),
            ("custom", "Custom dates"),
        ],
        initial="census_year",
        error_messages={"required": "Choose the period the report covers."},
    )
    start = BoundedDateField(
        required=False,
        label="First day of the period",
        help_text="Only for custom dates. For example, 2024-04-01.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = BoundedDateField(
        required=False,
        label="Last day of the period",
        help_text=(
            "Only for custom dates. Stock figures (permanence, vacancies, caseloads) are as "
            "at this date."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scope = forms.ChoiceField(label="Scope")
    sections = forms.MultipleChoiceField(
        choices=list(SECTIONS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="Sections to include",
        error_messages={"required": "Choose at least one section."},
    )

    def __init__(self, *args, today: dt.date, texts: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        texts = texts or {}
        for key, label in FRONT_SHEET.items():
            if key == "meeting":
                continue
            self.fields[f"text_{key}"] = forms.CharField(
                label=label,
                max_length=200,
                required=False,
                initial=texts.get(key) or DEFAULT_TEXTS.get(key, ""),
            )
        for key, label in TEXTS.items():
            self.fields[f"text_{key}"] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 6 if key in ("summary", "plan") else 4}),
                initial=texts.get(key) or DEFAULT_TEXTS.get(key, ""),
                help_text=TEXT_HELP.get(key, "Separate paragraphs with a blank line."),
            )
        if texts.get("meeting"):
            self.fields["meeting"].initial = texts["meeting"]
        start, end = _default_period(today)
        self.fields["start"].initial = start
        self.fields["end"].initial = end
        self.fields["sections"].initial = list(SECTIONS)
        scopes = [s for s in all_scopes() if s.kind in ("all", "caseholding", "area")]
        self.fields["scope"].choices = [(str(s), s.label) for s in scopes]
        self.fields["scope"].initial = "all"

    def texts(self) -> dict:
        """The director's text for the paper (``reports.builder`` FRONT_SHEET and TEXTS)."""
        data = self.cleaned_data
        texts = {key: data.get(f"text_{key}", "") for key in (*FRONT_SHEET, *TEXTS)}
        texts["meeting"] = data.get("meeting", "")
        return texts

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period in PERIODS:
            cleaned["start"], cleaned["end"] = PERIODS[period][1](self.today)
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if period == "custom":
            if start is None and "start" not in self.errors:
                self.add_error("start", "Enter the first day of the period.")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Enter the last day of the period.")
        if start and end and start > end:
            self.add_error("end", "The period must end on or after its first day.")
        return cleaned
