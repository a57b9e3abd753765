"""Forms of the pay pages: the month of the due list, a payment recorded, an increment
confirmed, the period and scope of the cost page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from dashboards.kpis.scope import Scope
from workforce.models import Employment

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
    supplement = forms.DecimalField(
        label="What if we paid a supplement of (£ a year, full time)",
        required=False, min_value=Decimal("1"), max_value=Decimal("100000"), decimal_places=2,
    )  # fmt: skip

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
