"""``manage.py import_caseloads PATH [--dry-run]``: import dated caseloads from a CSV
(SWENo or StaffRef, Date, Cases, optional Team). All problems are printed with row,
column and value; with any error nothing is imported and the exit status is 1."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from workforce.census.cli import read_file, report_problems
from workforce.census.services import caseloads_import


class Command(BaseCommand):
    help = "Import caseload snapshots from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--confirm-above-ceiling",
            action="store_true",
            help="The figures above the council's caseload ceiling (40 unless set) have been "
            "checked: import them (without it they are errors, as on the HR caseload form).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        data = read_file(path)
        result = caseloads_import(
            data=data,
            dry_run=options["dry_run"],
            confirmed=options["confirm_above_ceiling"],
        )
        report_problems(self, result, name=path.name)
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.rows} rows: {result.created} caseloads added, "
            f"{result.updated} replaced, {result.unchanged} unchanged."
        )
