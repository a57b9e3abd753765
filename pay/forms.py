"""Forms of the pay pages: the month of the due list, a payment recorded, an increment
confirmed, the period and scope of the cost page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from dashboards.kpis.scope import Scope
from workforce.choices import OrgRole
from workforce.models import Employment, Grade, Team

from .models import IncentiveScheme

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})


class MonthForm(forms.Form):
    month = forms.CharField(required=False, max_length=7)

    def clean_month(self) -> dt.date | None:
        text = self.cleaned_data["month"].strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(f"{text}-01")
        except ValueError:
            raise forms.ValidationError("Enter a month like 2025-03.") from None


class PaymentForm(forms.Form):
    scheme = forms.ModelChoiceField(queryset=IncentiveScheme.objects.all())
    employment = forms.ModelChoiceField(queryset=Employment.objects.all())
    due_date = forms.DateField()
    amount = forms.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(widget=DATE)


class IncrementConfirmForm(forms.Form):
    employment = forms.ModelChoiceField(queryset=Employment.objects.all())
    date = forms.DateField()


class CostsFilterForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=DATE)
    end = forms.DateField(label="To", required=False, widget=DATE)
    scope = forms.CharField(required=False, max_length=200)

    def clean_scope(self) -> Scope:
        try:
            return Scope.parse(self.cleaned_data.get("scope") or "all")
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        if start and end and (end - start).days > 366 * 6:
            self.add_error("end", "Choose a period of at most six years.")
        return data


class WhatIfForm(CostsFilterForm):
    """The what-ifs of the Pay and costs page: convert N agency FTE to permanent, and/or
    pay a supplement of £X a year to a group (team, DfE role, grade). Every problem is
    reported at once."""

    PER_CHOICES = [("fte", "Per FTE (pro rata to hours)"), ("head", "Per person")]

    convert_fte = forms.DecimalField(
        label="Convert this many agency FTE to permanent",
        required=False, min_value=Decimal("0.1"), max_value=Decimal("1000"), decimal_places=2,
        help_text="For example 3 or 2.5. Averaged over the agency placements of the period.",
        error_messages={
            "invalid": "Enter the agency FTE as a number, for example 3 or 2.5.",
            "min_value": "Enter at least 0.1 FTE.",
            "max_value": "Enter no more than 1,000 FTE.",
            "max_decimal_places": "Enter the FTE to 2 decimal places at most.",
        },
    )  # fmt: skip
    supplement = forms.DecimalField(
        label="Pay a supplement of (£ a year)",
        required=False, min_value=Decimal("1"), max_value=Decimal("100000"), decimal_places=2,
        error_messages={
            "invalid": "Enter the supplement in pounds, for example 5000.",
            "min_value": "Enter a supplement of at least £1.",
            "max_value": "Enter a supplement of no more than £100,000 a year.",
            "max_decimal_places": "Enter the supplement to the penny.",
        },
    )  # fmt: skip
    per = forms.ChoiceField(
        label="Paid", choices=PER_CHOICES, initial="fte", required=False, widget=forms.RadioSelect
    )
    team = forms.ModelChoiceField(
        label="To the team", queryset=Team.objects.order_by("name"), required=False,
        empty_label="Any team",
        error_messages={"invalid_choice": "Choose a team from the list."},
    )  # fmt: skip
    org_role = forms.TypedChoiceField(
        label="With the DfE role", choices=[("", "Any DfE role"), *OrgRole.choices],
        coerce=int, required=False, empty_value=None,
        error_messages={"invalid_choice": "Choose a DfE role from the list."},
    )  # fmt: skip
    grade = forms.ModelChoiceField(
        label="On the grade", queryset=Grade.objects.order_by("name"), required=False,
        empty_label="Any grade",
        error_messages={"invalid_choice": "Choose a grade from the list."},
    )  # fmt: skip

    def clean(self):
        data = super().clean()  # the period and scope, as on the costs page
        asked = any(
            data.get(name) is not None or self.errors.get(name)
            for name in ("convert_fte", "supplement")
        )
        if not asked:
            self.add_error(
                "convert_fte",
                "Enter the agency FTE to convert, or a supplement to pay, or both.",
            )
        if data.get("supplement") is not None and not data.get("per"):
            data["per"] = "fte"
        return data
