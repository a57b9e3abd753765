"""``manage.py export_csww --year 2024 --output FILE [--format xml|csv]``: produce the
DfE CSWW census return for a census year from the app's own data, validated first."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workforce.census.services import CensusError, census_export


class Command(BaseCommand):
    help = "Write the DfE CSWW census return for a census year (XML or CSV)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Census year, e.g. 2024.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--format", choices=["xml", "csv"], default="xml")

    def handle(self, *args, **options):
        try:
            data = census_export(year=options["year"], format=options["format"])
        except CensusError as exc:
            for problem in exc.problems:
                self.stderr.write(f"Error: {problem}")
            raise CommandError(
                f"{len(exc.problems)} problem(s): the {options['year']} return was not written."
            ) from None
        output = Path(options["output"])
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Wrote the {options['year']} return to {output}.")
