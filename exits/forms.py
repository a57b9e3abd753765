"""Forms of the exits pages. They check the shape of the input; the rules (dates in
order, a declined interview not completed...) are in ``exits.services``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from core.locking import VersionedForm
from workforce.dates import BoundedDateField
from workforce.forms import DATE_WIDGET
from workforce.models import ServiceArea

from .choices import (
    RETENTION_STATEMENTS,
    SCORE_CHOICES,
    Channel,
    Conductor,
    Destination,
    OfferResponse,
    YesNoUnsure,
)
from .models import ExitTheme
from .selectors import DIMENSIONS


def _date(label: str, *, required: bool = False, bounded: bool = False) -> forms.DateField:
    """A date field; ``bounded`` for a filter (a parameter, limited to ``workforce.dates``)."""
    return (BoundedDateField if bounded else forms.DateField)(
        label=label,
        help_text="For example 2025-09-30.",
        required=required,
        widget=DATE_WIDGET,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, for example 2025-09-30.",
        },
    )


def _radios(label: str, choices, *, required: bool = False, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        required=required,
        help_text=hint,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": f"Choose one of the options for {label[0].lower() + label[1:]}.",
            "required": f"Choose {label[0].lower() + label[1:]}.",
        },
    )


class ExitRecordForm(VersionedForm):
    """The offer of an exit interview and what came of it."""

    offered_on = _date("Date offered")
    channel = _radios("How it was offered", Channel.choices)
    conductor = _radios("Who would conduct it", Conductor.choices)
    response = _radios("The leaver's answer", OfferResponse.choices)
    completed_on = _date("Date completed")


class QuestionnaireForm(forms.Form):
    """The exit questionnaire, the same for a leaver through the link and an officer."""

    reasons = forms.ModelMultipleChoiceField(
        label="Why are you leaving?",
        help_text="Select all that apply.",
        queryset=ExitTheme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    destination = _radios("Where are you going?", Destination.choices)
    would_return = _radios("Would you come back to work for us?", YesNoUnsure.choices)
    would_recommend = _radios(
        "Would you recommend us to a friend as a place to work?", YesNoUnsure.choices
    )
    free_text = forms.CharField(
        label="Is there anything else you want to tell us?",
        help_text="What would have made you stay? Please do not name other people.",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "Keep your answer to 10,000 characters or fewer."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import active_themes

        self.fields["reasons"].queryset = active_themes()
        for field, statement in RETENTION_STATEMENTS:
            self.fields[field] = forms.TypedChoiceField(
                label=statement,
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": f'Score "{statement}" from 1 to 5.'},
            )
        order = ["reasons", *(f for f, _ in RETENTION_STATEMENTS), "destination",
                 "would_return", "would_recommend", "free_text"]  # fmt: skip
        self.order_fields(order)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {key: value for key, value in data.items() if key != "reasons"}


class CodingForm(forms.Form):
    """An officer's coding of one answer: themes confirmed, and an anonymised quote."""

    themes = forms.ModelMultipleChoiceField(
        label="Themes in this answer",
        help_text="Suggested themes are ticked; untick any that do not fit.",
        queryset=ExitTheme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quote = forms.CharField(
        label="Anonymised quote",
        help_text="Optional. Take out names, teams, places and anything else that could "
        "identify the leaver or a colleague.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    quote_approved = forms.BooleanField(
        label="Approved for publication, anonymised (committee reports)", required=False
    )


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme", max_length=80, error_messages={"required": "Enter the theme's name."}
    )
    keywords = forms.CharField(
        label="Keyword rules",
        help_text="One word or phrase a line, matched as whole words ignoring case. End with "
        "* to match longer words too: relocat* matches relocate and relocating.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    is_active = forms.BooleanField(
        label="Offer this theme on the questionnaire", required=False, initial=True
    )


class AnalysisFilterForm(forms.Form):
    """Which leavers (leaving date from-to, service area) and how themes are broken down."""

    start = _date("Left on or after", bounded=True)
    end = _date("Left on or before", bounded=True)
    by = forms.ChoiceField(label="Show themes by", choices=list(DIMENSIONS.items()), required=False)
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.all(),
        required=False,
        empty_label="All service areas",
        error_messages={"invalid_choice": "Choose a service area from the list."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end of the period cannot be before its start.")
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The period asked for, or the 12 months to today."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=364)
        return start, end
