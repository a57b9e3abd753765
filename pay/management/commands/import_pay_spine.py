"""``manage.py import_pay_spine PATH``: load the NJC pay spine (``data/pay/njc_pay_spine.csv``)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pay import services


class Command(BaseCommand):
    help = (
        "Load a pay spine CSV (pay_year,effective_from,scp,annual_salary,source). All or "
        "nothing: every problem is listed with its row and nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file, e.g. data/pay/njc_pay_spine.csv.")

    def handle(self, *args, path, **options):
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Could not read {path}: {exc}") from exc
        try:
            count = services.pay_spine_import(text=text)
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"{len(exc.messages)} problem(s) in {path}: nothing was loaded."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} pay spine rows from {path}."))
