"""The one rule for dates given as parameters (a page's filters, an API's query):
from 1 January 1990 to ten years after today.

Anything outside is refused with a message naming the parameter - a form error on a page,
a 400 from the API - before any arithmetic can overflow (``date.max + a day``) or a query
ask the database for year 1. Every date filter and query parameter in the project uses
one of the three fields here: ``BoundedDateField`` (Django forms), ``BoundedDateFilter``
(django-filter FilterSets, for pages and API alike) and ``BoundedDateParam`` (DRF query
serializers); hand-written parsing uses ``date_param``.

Dates people record (a birth date, a start date) are data, not parameters: their own
forms and services check them.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

EARLIEST = dt.date(1990, 1, 1)
YEARS_AHEAD = 10
DATE_FORMAT_MESSAGE = "Enter a date written YYYY-MM-DD, for example 2023-09-30."


def latest(today: dt.date | None = None) -> dt.date:
    """The last date a parameter may be: today plus ``YEARS_AHEAD`` years."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def out_of_range_message(value: dt.date, name: str = "") -> str | None:
    """Why ``value`` cannot be a date parameter (named ``name``), or None if it can."""
    last = latest()
    if EARLIEST <= value <= last:
        return None
    what = f"The {name} date" if name else "The date"
    return (
        f"{what} must be between {EARLIEST:%-d %B %Y} and {last:%-d %B %Y} "
        f"(you gave {value.isoformat()})."
    )


def check_date_param(value: dt.date | None, name: str = "") -> None:
    """A Django validator: raise ``ValidationError`` if ``value`` is out of range."""
    if value is None:
        return
    message = out_of_range_message(value, name)
    if message:
        raise ValidationError(message, code="date_out_of_range")


def date_param(raw: str | None, name: str, default: dt.date | None = None) -> dt.date | None:
    """Parse query parameter ``name`` (``YYYY-MM-DD``), ``default`` when absent; raises
    DRF's ``ValidationError`` ({name: [message]}, a 400) when malformed or out of range."""
    if raw in (None, ""):
        return default
    try:
        value = dt.date.fromisoformat(raw) if raw.isascii() and len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise serializers.ValidationError(
            {name: [f"Enter {name} as a date like 2024-09-30 (you sent {raw[:40]!r})."]}
        )
    message = out_of_range_message(value, name)
    if message:
        raise serializers.ValidationError({name: [message]})
    return value


class BoundedDateField(forms.DateField):
    """A form date field limited to the parameter range; the error names the field's label."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            name = str(self.label or "").strip().lower()
            message = out_of_range_message(value, name)
            if message:
                raise ValidationError(message, code="date_out_of_range")


class BoundedDateFilter(django_filters.DateFilter):
    """A FilterSet date filter limited to the parameter range."""

    field_class = BoundedDateField


class BoundedDateParam(serializers.DateField):
    """A DRF (query) date field limited to the parameter range; the 400 names the field."""

    def __init__(self, *, param: str = "", **kwargs):
        self.param = param  # the name in the URL, when the serializer renames it
        kwargs.setdefault("input_formats", ["iso-8601"])
        kwargs.setdefault("error_messages", {"invalid": DATE_FORMAT_MESSAGE})
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        date = super().to_internal_value(value)
        message = out_of_range_message(date, self.param or self.field_name or "")
        if message:
            raise serializers.ValidationError(message, code="date_out_of_range")
        return date
