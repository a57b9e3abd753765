"""``python manage.py import_benchmarks PATH``: load DfE's children's social work workforce
indicators CSV (e.g. ``data/dfe/csww_indicators_2017_to_2025.csv``) into the benchmark
figures. Safe to re-run: figures are updated in place. A file that is not that CSV, or a bad
cell, is reported with the row and column, nothing is loaded, and the exit status is 1."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dashboards import services


class Command(BaseCommand):
    help = "Load DfE's published workforce indicators (national, regional, council) CSV."

    def add_arguments(self, parser):
        parser.add_argument("path", help="DfE's csww_indicators CSV file.")

    def handle(self, *args, path: str, **options):
        try:
            result = services.benchmarks_import(path=path)
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms]
            raise CommandError("\n".join(messages)) from None
        levels = ", ".join(f"{n} {level}" for level, n in sorted(result.rows_by_level.items()))
        self.stdout.write(f"Rows loaded: {levels}.")
        self.stdout.write(
            f"Figures: {result.figures} ({result.created} new, {result.updated} updated)."
        )
        if result.symbols:
            kept = ", ".join(f"{n} '{s}'" for s, n in sorted(result.symbols.items()))
            self.stdout.write(f"DfE symbols kept as 'no value, with the reason': {kept}.")
        if result.empty_cells:
            self.stdout.write(f"Empty cells skipped: {result.empty_cells}.")
        self.stdout.write(self.style.SUCCESS(f"Imported {path}."))
