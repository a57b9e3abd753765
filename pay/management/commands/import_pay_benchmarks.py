"""``manage.py import_pay_benchmarks PATH [--source TEXT] [--dry-run]``: load neighbours'
pay ranges per role (CSV: Council, Role, PayYear, Minimum, Maximum; optionally Source).
All or nothing: every problem is printed with its row and the exit status is 1."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pay.benchmark_services import pay_benchmarks_import
from workforce.census.cli import read_file


class Command(BaseCommand):
    help = "Load neighbouring councils' pay ranges per role from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source", default="", help="Where the figures come from.")
        parser.add_argument("--dry-run", action="store_true", help="Check; write nothing.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            result = pay_benchmarks_import(
                data=read_file(path), source=options["source"], dry_run=options["dry_run"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(f"Error: {message}")
            raise CommandError(
                f"{len(exc.messages)} error(s) in {path.name}: nothing was loaded."
            ) from None
        verb = "Would load" if options["dry_run"] else "Loaded"
        self.stdout.write(
            f"{verb} {result.rows} pay ranges: {result.created} added, {result.updated} replaced."
        )
