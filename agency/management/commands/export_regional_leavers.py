"""``manage.py export_regional_leavers --from DATE --to DATE --output FILE``: this council's
permanent leavers for the region's councils, as keyed hashes of their SWE numbers."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from agency import services

from .agency_compliance import parse_date


class Command(BaseCommand):
    help = (
        "Write this council's permanent leavers (keyed hash of the SWE number, leaving date, "
        "LA code - nothing else) for the other councils of the region."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, start, end, output, **options):
        first, last = parse_date(start, "--from"), parse_date(end, "--to")
        if last < first:
            raise CommandError("--to must be on or after --from.")
        try:
            text = services.regional_leavers_export(start=first, end=last)
        except (ImproperlyConfigured, ValidationError) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {text.count(chr(10)) - 1} leavers to {output}.")
        )
