"""``manage.py agency_compliance --as-of DATE --format json|table``: the placements active on
a date and every DfE agency rule they break."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agency import selectors


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{what} must be a date as YYYY-MM-DD (not {value!r}).") from exc


class Command(BaseCommand):
    help = "Placements active on a date and their breaches of the DfE agency rules."

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")
        parser.add_argument("--format", dest="fmt", choices=["json", "table"], default="json")

    def handle(self, *args, as_of=None, fmt="json", **options):
        date = parse_date(as_of, "--as-of") if as_of else timezone.localdate()
        report = selectors.compliance(as_of=date)
        if fmt == "json":
            self.stdout.write(json.dumps(report, indent=2))
            return
        self.stdout.write(
            f"Agency placements active on {date:%d %B %Y}: {report['placements']}; "
            f"breaches: {len(report['breaches'])}"
        )
        if report["breaches"]:
            width = max(len(b["swe_number"]) for b in report["breaches"])
            self.stdout.write(f"{'SWE number':<{max(width, 10)}}  {'Rule':<12}  Message")
            for b in report["breaches"]:
                self.stdout.write(
                    f"{b['swe_number']:<{max(width, 10)}}  {b['rule']:<12}  {b['message']}"
                )
