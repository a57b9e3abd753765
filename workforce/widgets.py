"""The GOV.UK date input (day, month and year boxes) as one Django form field, used by
every HR form's dates (workforce and recruitment).

A browser's own date picker shows dates in the browser's format while our hints said
"1990-03-27"; the GOV.UK Design System asks for three boxes instead
(https://design-system.service.gov.uk/components/date-input/). ``GovDateField`` builds on
crispy-forms-gds's ``DateInputField`` (which renders the fieldset, legend, hint and the
three labelled boxes) and adds what our forms need:

- messages in the Design System's words, naming the date: "Enter the start date",
  "The start date must include a month", "The start date must be a real date";
- a box-level error (the summary links to the box that is wrong);
- a date sent as one value (``start_date=2024-04-01`` or ``02/09/2024``, as
  ``DATE_INPUT_FORMATS`` allows: a link, a hidden input, a client that does not know
  about the boxes) is still understood.

Usage::

    start_date = GovDateField(label="Start date", hint="For example 2 9 2024.")
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.widgets import DateInputWidget
from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")


class GovDateInput(DateInputWidget):
    """Three boxes named ``<name>_0`` (day), ``_1`` (month), ``_2`` (year)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for widget in self.widgets:
            widget.attrs["inputmode"] = "numeric"

    def value_from_datadict(self, data, files, name):
        if not any(f"{name}_{i}" in data for i in range(3)) and data.get(name):
            value = str(data.get(name)).strip()
            try:  # the project's DATE_INPUT_FORMATS: 2024-09-02, 02/09/2024...
                date = forms.DateField().to_python(value)
            except ValidationError:
                return [value, "", ""]  # reported as "must be a real date"
            return [str(date.day), str(date.month), str(date.year)]
        return super().value_from_datadict(data, files, name)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        return super().decompress(value)


class GovDateField(DateInputField):
    """A date entered as day, month and year, with messages that name the date."""

    widget = GovDateInput

    def __init__(self, *, label: str, hint: str = "", required: bool = True, **kwargs):
        super().__init__(
            label=label, help_text=hint, required=required, require_all_fields=False, **kwargs
        )
        self.what = label[0].lower() + label[1:]

    def _fail(self, message: str, part: int | None = None):
        for index, field in enumerate(self.fields):
            field.widget.errors = [message] if part in (None, index) else []
        raise ValidationError(message, code="invalid")

    def clean(self, value):
        for field in self.fields:
            field.widget.errors = []
        if self.disabled and not isinstance(value, list | tuple):
            value = self.widget.decompress(value)
        parts = [str(v).strip() if v is not None else "" for v in (value or [])]
        parts = (parts + ["", "", ""])[:3]
        if not any(parts):
            if self.required:
                raise ValidationError(f"Enter the {self.what}.", code="required")
            return None
        for index, part in enumerate(parts):
            if part and not part.isdigit():
                self._fail(f"The {self.what} must be a real date.", index)
        for index, part in enumerate(parts):
            if not part:
                self._fail(f"The {self.what} must include a {PARTS[index]}.", index)
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            self._fail(f"The year of the {self.what} must include 4 numbers.", 2)
        if not 1 <= month <= 12:
            self._fail(f"The {self.what} must be a real date (there is no month {month}).", 1)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            self._fail(f"The {self.what} must be a real date.", 0)
        self.validate(date)
        self.run_validators(date)
        return date

    def has_changed(self, initial, data) -> bool:
        try:
            return self.clean(data) != initial
        except ValidationError:
            return True
