"""Forms of the agency pages. They check the shape of the input; the rules (cap sign-offs,
dates in order, charge not below pay) are in ``agency.services`` and the DfE agency rules
in ``agency.rules``."""

from __future__ import annotations

from django import forms

from workforce.forms import DATE_WIDGET
from workforce.models import Agency, Team

from .choices import RoleCategory, SignOffRole


def _date(label: str, *, required: bool = False, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint or "For example 2025-04-07.",
        required=required,
        widget=DATE_WIDGET,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a real date, for example 2025-04-07.",
        },
    )


def _money(label: str, *, required: bool = True, hint: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=hint,
        required=required,
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} in pounds, for example 38.50.",
            "min_value": f"The {label.lower()} must be more than 0.",
            "max_decimal_places": f"Enter the {label.lower()} to the penny (2 decimal places).",
        },
    )


def _whole(label: str, *, hint: str = "", initial=None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=hint,
        min_value=0,
        initial=initial,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a whole number.",
            "min_value": f"The {label.lower()} cannot be negative.",
        },
    )


SIGN_OFF_PARTS = ("signed_by", "signed_on", "reason")


class PlacementForm(forms.Form):
    """An agency placement and, for a rate above the regional cap, its two sign-offs.

    ``confirmed`` carries the rule codes the user has already been warned of: a save
    goes ahead only when every rule the placement breaks was on the warning they saw."""

    swe_number = forms.CharField(
        label="Social Work England number",
        max_length=14,
        help_text="Two letters then digits, for example SW123456.",
        error_messages={"required": "Enter the Social Work England number."},
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        empty_label="Choose...",
        help_text="Or type a new agency's name below.",
    )
    new_agency = forms.CharField(label="New agency", max_length=120, required=False)
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Choose..."
    )
    role_category = forms.ChoiceField(
        label="DfE role category",
        choices=[("", "Choose...")] + list(RoleCategory.choices),
        help_text="Suggested from the worker's DfE role and grade; change it if it is wrong.",
        error_messages={"required": "Choose the DfE role category."},
    )
    pay_rate = _money("Hourly pay rate", hint="What the worker is paid an hour, in pounds.")
    charge_rate = _money(
        "Hourly charge rate",
        required=False,
        hint="What the agency charges the council an hour, its fee included.",
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the hours a week.",
            "invalid": "Enter the hours a week as a number, for example 37.",
            "min_value": "The hours a week must be more than 0.",
        },
    )
    start_date = _date("Start date", required=True)
    end_date = _date(
        "End date", hint="The date it ends (not in post from then). Leave empty if open."
    )
    notice_weeks = _whole("Notice period in weeks", initial=4)
    reference_obtained_on = _date(
        "Practice-based reference obtained on", hint="Before the start. Leave empty if not yet."
    )
    reference_given_on = _date("Reference given at the end on")
    is_project_team = forms.BooleanField(label="Project team or packaged model", required=False)
    project_worker_approved = forms.BooleanField(
        label="This worker was identified and approved in advance", required=False
    )
    project_costs_broken_down = forms.BooleanField(
        label="The costs are broken down per worker", required=False
    )
    declared_la_months = _whole(
        "Declared local authority experience in months",
        hint="Post-qualification months in local authority employment elsewhere (the ASYE "
        "counts). Months employed here are added by the app.",
        initial=0,
    )
    dcs_signed_by = forms.CharField(label="Director of Children's Services: name", required=False)
    dcs_signed_on = _date("Director of Children's Services: date signed")
    dcs_reason = forms.CharField(
        label="Director of Children's Services: reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    chief_executive_signed_by = forms.CharField(label="Chief executive: name", required=False)
    chief_executive_signed_on = _date("Chief executive: date signed")
    chief_executive_reason = forms.CharField(
        label="Chief executive: reason", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("agency") and not (data.get("new_agency") or "").strip():
            self.add_error("agency", "Choose the agency, or type a new agency's name.")
        return data

    def placement_fields(self) -> dict:
        data = self.cleaned_data
        # A new agency is only named here (unsaved): ``save_agency`` creates it on saving.
        agency = data.get("agency") or Agency(name=data["new_agency"].strip())
        return {
            "swe_number": data["swe_number"],
            "agency": agency,
            "team": data.get("team"),
            "role_category": data["role_category"],
            "pay_rate": data["pay_rate"],
            "charge_rate": data.get("charge_rate"),
            "hours_per_week": data["hours_per_week"],
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
            "notice_weeks": data["notice_weeks"],
            "reference_obtained_on": data.get("reference_obtained_on"),
            "reference_given_on": data.get("reference_given_on"),
            "is_project_team": data.get("is_project_team", False),
            "project_worker_approved": data.get("project_worker_approved", False),
            "project_costs_broken_down": data.get("project_costs_broken_down", False),
            "declared_la_months": data["declared_la_months"],
        }

    @staticmethod
    def save_agency(fields: dict) -> dict:
        if fields["agency"].pk is None:
            fields["agency"], _ = Agency.objects.get_or_create(name=fields["agency"].name)
        return fields

    def sign_offs(self) -> dict[str, dict]:
        """The sign-offs typed in (a role with nothing typed is left out)."""
        found = {}
        for role in SignOffRole.values:
            parts = {part: self.cleaned_data.get(f"{role}_{part}") for part in SIGN_OFF_PARTS}
            if any(parts.values()):
                found[role] = parts
        return found

    def confirmed_rules(self) -> set[str]:
        return {code for code in (self.cleaned_data.get("confirmed") or "").split(",") if code}


class QuarterForm(forms.Form):
    quarter = forms.CharField(
        label="Quarter",
        max_length=7,
        help_text="The year and quarter, for example 2025Q1 (January to March 2025).",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the quarter, for example 2025Q1."},
    )

    def clean_quarter(self):
        from .returns import Quarter

        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class SpendForm(forms.Form):
    """The period and grouping of the agency spend table."""

    BY_CHOICES = [("month", "Month"), ("team", "Team"), ("role", "Role category")]

    start = _date("From", required=True)
    end = _date("To", required=True, hint="Inclusive. For example 2025-03-31.")
    by = forms.ChoiceField(label="By", choices=BY_CHOICES, initial="month")

    @staticmethod
    def default_period():
        from django.utils import timezone

        from .rules import add_months

        today = timezone.localdate()
        return add_months(today.replace(day=1), -11), today, "month"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be on or after the start date.")
        elif data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 3660:
            self.add_error("end", "Choose a period of no more than 10 years.")
        return data

    def period(self):
        return self.cleaned_data["start"], self.cleaned_data["end"], self.cleaned_data["by"]
