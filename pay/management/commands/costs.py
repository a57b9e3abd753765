"""``manage.py costs --from DATE --to DATE [--scope ...] --format json|table``."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from dashboards.kpis.scope import Scope
from pay import selectors

MONEY = (
    "permanent_paybill",
    "incentives_paid",
    "incentives_due",
    "agency_spend",
    "agency_premium",
    "cost_per_case_holding_fte",
)
LABELS = {
    "permanent_paybill": "Permanent pay bill with on-costs",
    "incentives_paid": "Incentives paid",
    "incentives_due": "Incentive payments due",
    "agency_spend": "Agency spend",
    "agency_premium": "Agency premium",
    "cost_per_case_holding_fte": "Cost per case-holding FTE",
}
UNITS = {**dict.fromkeys(MONEY, "GBP"), "cost_per_case_holding_fte": "GBP per FTE"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "The cost figures of a period in pounds: permanent pay bill with on-costs, "
        "incentives paid and due, agency spend, the agency premium over permanent workers "
        "on the equivalent grade (null until every placement's role category has an "
        "equivalent grade) and the cost per case-holding FTE."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--scope", default="all", help="all, caseholding, area:, team:, role:")
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args, start, end, scope, format, **options):
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("--to must be on or after --from.")
        try:
            parsed = Scope.parse(scope)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        figures = selectors.costs(start=start, end=end, scope=parsed)
        if format == "json":
            out = {
                key: (None if figures[key] is None else float(figures[key]))
                if key in MONEY
                else figures[key]
                for key in ("from", "to", "scope", *MONEY)
            }
            out["units"] = UNITS
            out["permanent_workers"] = figures["permanent_workers"]
            out["workers_without_point"] = figures["workers_without_point"]
            self.stdout.write(json.dumps(out, indent=2))
            return
        self.stdout.write(f"Costs {start} to {end}, scope {parsed.label}")
        for key in MONEY:
            value = figures[key]
            shown = "not available" if value is None else f"£{value:,.2f}"
            self.stdout.write(f"{LABELS[key]:<36} {shown:>18}")
        for reason in figures["premium_missing"]:
            self.stdout.write(f"Agency premium not available: {reason}")
        if figures["workers_without_point"]:
            self.stdout.write(
                f"{figures['workers_without_point']} permanent worker(s) have no spinal point "
                "and are not in the pay bill."
            )
