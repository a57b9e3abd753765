"""``python manage.py caseload_report --from DATE --to DATE [--scope ...] --format json|table``

The weekly caseload report (per team and overall: average, highest, lowest, headcount
and FTE with their change, 2-week trailing average, direction of movement, and how many
case-holding teams entered caseloads each week). A team with no entries in a week is
"not entered"; nothing after ``--to`` is read."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import BaseCommand, CommandError

from dashboards.kpis import caseload_report
from dashboards.kpis.caseload_report import teams_entered_label

from .kpis import parse_date, parse_scope, to_json


def _one_dp(value) -> str:
    if value is None:
        return "-"
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Command(BaseCommand):
    help = "Print the weekly caseload report for a period and scope."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Date YYYY-MM-DD.")
        parser.add_argument("--to", dest="end", required=True, help="Date YYYY-MM-DD.")
        parser.add_argument("--scope", default="all")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        start = parse_date(options["start"], "--from")
        end = parse_date(options["end"], "--to")
        scope = parse_scope(options["scope"])
        try:
            rows = caseload_report(start=start, end=end, scope=scope)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, default=to_json, indent=2))
            return
        self.stdout.write(f"Weekly caseloads {start:%d %B %Y} to {end:%d %B %Y} - {scope.label}")
        header = (
            f"{'Week of':<11} {'Team':<32} {'Workers':>7} {'FTE':>6} {'Average':>7} "
            f"{'Highest':>7} {'Lowest':>6} {'2-wk avg':>8}  {'Direction':<9}  Entered"
        )
        self.stdout.write(header)
        for row in rows:
            if not row["entered"]:
                self.stdout.write(
                    f"{row['week']:%d/%m/%Y}  {row['series'][:32]:<32} not entered"
                    + (f"  ({teams_entered_label(row)})" if row["team"] is None else "")
                )
                continue
            entered = teams_entered_label(row) if row["team"] is None else ""
            if row["team"] is None and not row["complete"]:
                entered += " (incomplete)"
            self.stdout.write(
                f"{row['week']:%d/%m/%Y}  {row['series'][:32]:<32} {row['workers']:>7} "
                f"{_one_dp(row['fte']):>6} {_one_dp(row['average_caseload']):>7} "
                f"{row['highest_caseload'] if row['highest_caseload'] is not None else '-':>7} "
                f"{row['lowest_caseload'] if row['lowest_caseload'] is not None else '-':>6} "
                f"{_one_dp(row['trailing_2_week_average']):>8}  {row['direction'] or '-':<9}  "
                f"{entered}".rstrip()
            )
