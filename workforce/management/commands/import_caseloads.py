"""``manage.py import_caseloads PATH [--dry-run]``: import dated caseloads from a CSV
(SWENo or StaffRef, Date, Cases, optional Team). All problems are printed with row,
column and value; with any error nothing is imported and the exit status is 1."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workforce.census.services import caseloads_import


class Command(BaseCommand):
    help = "Import caseload snapshots from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        result = caseloads_import(data=data, dry_run=options["dry_run"])
        for problem in result.warnings:
            self.stderr.write(f"Warning: {problem}")
        if result.errors:
            for problem in result.errors:
                self.stderr.write(f"Error: {problem}")
            raise CommandError(
                f"{len(result.errors)} error(s) in {path.name}: nothing was imported."
            )
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} {result.rows} rows: {result.created} caseloads added, "
            f"{result.updated} replaced, {result.unchanged} unchanged."
        )
