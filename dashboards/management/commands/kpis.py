"""``python manage.py kpis --as-of 2023-09-30 [--scope team:<name>] --format json|table``

Computes every KPI live as of a date over a scope. JSON: one object, exact values (rates
in percent, unrounded), ``null`` where a figure cannot be computed. Table: for a person,
each KPI's label, value to 1 decimal place, unit and definition."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dashboards.kpis import REGISTRY, Scope
from dashboards.selectors import kpi_values, last_census_date


def parse_date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise CommandError(
            f"{option} must be a date written YYYY-MM-DD, for example 2023-09-30 "
            f"(you wrote {value!r})."
        ) from None


def parse_scope(value: str | None) -> Scope:
    try:
        return Scope.parse(value)
    except ValueError as exc:
        raise CommandError(f"--scope: {exc}") from None


def to_json(value):
    """JSON for figures: exact decimals as numbers, dates as YYYY-MM-DD."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"Cannot write {type(value).__name__} as JSON")


class Command(BaseCommand):
    help = "Print every KPI as of a date for a scope (JSON, or a table for a person)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", help="Date YYYY-MM-DD (default: the last 30 September).", default=None
        )
        parser.add_argument(
            "--scope",
            default="all",
            help="all, caseholding, area:<service area>, team:<team>, role:<DfE role 1-6>.",
        )
        parser.add_argument(
            "--leavers-from",
            default=None,
            help="First leaving date YYYY-MM-DD of the leavers breakdown (default: the 12 "
            "months to --as-of).",
        )
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        as_of = (
            parse_date(options["as_of"], "--as-of")
            if options["as_of"]
            else last_census_date(today=timezone.localdate())
        )
        scope = parse_scope(options["scope"])
        leavers_from = None
        if options["leavers_from"]:
            leavers_from = parse_date(options["leavers_from"], "--leavers-from")
            if leavers_from > as_of:
                raise CommandError("--leavers-from must be on or before --as-of.")
        values = kpi_values(as_of=as_of, scope=scope, leavers_from=leavers_from)
        if options["format"] == "json":
            self.stdout.write(json.dumps(values, default=to_json, indent=2))
            return
        self.stdout.write(f"KPIs as of {as_of:%d %B %Y} - {scope.label}")
        self.stdout.write("")
        for key, definition in REGISTRY.items():
            if key not in values:
                continue
            self.stdout.write(f"{definition.label}: {definition.display(values[key])}")
            self.stdout.write(f"    {definition.definition}")
        self.stdout.write("")
        period = values["leavers_period"]
        self.stdout.write(
            f"Leavers {period['start']:%d %B %Y} to {period['end']:%d %B %Y}: "
            f"{values['leavers']}. By length of service:"
        )
        for band in values["leavers_by_length_of_service"]:
            self.stdout.write(f"    {band['label']}: {band['count']}{_share(band)}")
        self.stdout.write("By DfE reason:")
        for row in values["leavers_by_reason"]:
            self.stdout.write(f"    {row['label']}: {row['count']}{_share(row)}")
        self.stdout.write("By DfE reason and destination:")
        for row in values["leavers_by_reason_and_destination"]:
            self.stdout.write(f"    {row['label']}: {row['count']}{_share(row)}")


def _share(row: dict) -> str:
    if row["share"] is None:
        return ""
    return f" ({Decimal(row['share']).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%)"
