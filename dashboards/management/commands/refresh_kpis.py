"""``python manage.py refresh_kpis [--from DATE] [--to DATE] [--scope SCOPE ...]``: refresh
the stored KPI snapshots now, in this process (the same service the Celery task calls),
and print what was written and how long it took. With no options it is a complete refresh
and marks the snapshots up to date."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dashboards import services


def _date(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: '{text}' is not a date like 2024-09-30.") from None


class Command(BaseCommand):
    help = "Refresh the stored KPI snapshots (weeks, month ends, census dates; every scope)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", metavar="DATE", help="First date (ISO).")
        parser.add_argument("--to", dest="end", metavar="DATE", help="Last date (ISO).")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            metavar="SCOPE",
            help="Only this scope (all, caseholding, team:<name>, area:<name>, role:<code>); "
            "repeat for more.",
        )

    def handle(self, *args, start=None, end=None, scopes=None, **options):
        start_date = _date("--from", start) if start else None
        end_date = _date("--to", end) if end else None
        if start_date and end_date and start_date > end_date:
            raise CommandError(f"--from {start} is after --to {end}.")
        scope_list = None
        if scopes:
            from dashboards.kpis import Scope

            scope_list = []
            for text in scopes:
                try:
                    scope_list.append(Scope.parse(text))
                except (ValueError, ValidationError) as error:
                    raise CommandError(f"--scope {text}: {error}") from None
        result = services.snapshots_refresh(start=start_date, end=end_date, scopes=scope_list)
        if not result.dates:
            self.stdout.write("No snapshot dates: no employment has been recorded yet.")
        periods = ", ".join(f"{count} {kind}" for kind, count in sorted(result.periods.items()))
        self.stdout.write(
            f"Refreshed KPI snapshots from {result.start} to {result.end}: "
            f"{result.dates} dates ({periods or 'none'}) x {result.scopes} scopes, "
            f"{result.batches} batches, {result.rows_computed} figures: "
            f"{result.rows_written} written, {result.rows_unchanged} unchanged, "
            f"{result.rows_deleted} old rows removed, in {result.seconds:.1f} s "
            f"(computing {result.compute_seconds:.1f} s, writing {result.write_seconds:.1f} s)."
        )
        if result.complete:
            self.stdout.write(self.style.SUCCESS("The stored snapshots are up to date."))
