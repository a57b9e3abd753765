"""``manage.py import_csww PATH [--dry-run]``: import a DfE CSWW census return.

XML as sent to DfE, or the same items as CSV/XLSX (then give --year and --lea, and the
council-level figures --vacancies-fte, --agency-cover-fte, --agency-cover-headcount).
Every problem is printed with its record/row, item and value; with any error nothing is
imported and the command exits with status 1.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workforce.census.cli import read_file, report_problems
from workforce.census.items import COUNCIL_PAY_ITEMS
from workforce.census.parse import FlatFileDetails
from workforce.census.services import census_import


class Command(BaseCommand):
    help = "Import a DfE Children's Social Work Workforce census return (XML, CSV or XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The return file: XML, CSV or XLSX.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )
        parser.add_argument("--year", help="Flat files: the census year, e.g. 2023.")
        parser.add_argument("--lea", help="Flat files: the council's 3-digit LEA code.")
        parser.add_argument("--vacancies-fte", help="Flat files: NumberOfVacancies (FTE).")
        parser.add_argument("--agency-cover-fte", help="Flat files: NoAgencyFTE.")
        parser.add_argument("--agency-cover-headcount", help="Flat files: NoAgencyHeadcount.")
        parser.add_argument(
            "--pay-item",
            action="append",
            default=[],
            metavar="NAME=0|1",
            help="Flat files, 2025 on: a council-level pay item, e.g. RetentionPayment=1 "
            f"(repeat for each of {', '.join(COUNCIL_PAY_ITEMS)}).",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        data = read_file(path)
        flat = FlatFileDetails(
            year=options["year"],
            lea=options["lea"],
            vacancies_fte=options["vacancies_fte"],
            agency_cover_fte=options["agency_cover_fte"],
            agency_cover_headcount=options["agency_cover_headcount"],
            pay_items=self._pay_items(options["pay_item"]),
        )
        result = census_import(
            data=data, flat=flat, source_name=path.name, dry_run=options["dry_run"]
        )
        report_problems(self, result, name=path.name)
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            f"{verb} the {result.year} return (LEA {result.lea}): {result.workers} worker "
            f"records; {len(result.people_created)} people created, "
            f"{len(result.people_updated)} updated; {len(result.employments_created)} "
            f"employments created, {len(result.employments_updated)} updated; "
            f"{len(result.leavers)} leavers; {len(result.agency_workers)} agency workers; "
            f"{len(result.no_longer_in_post)} no longer in post; "
            f"{result.audit_entries} audit entries."
        )

    def _pay_items(self, given: list[str]) -> dict[str, str]:
        items, unknown = {}, []
        for text in given:
            name, _, value = text.partition("=")
            if name.strip() not in COUNCIL_PAY_ITEMS:
                unknown.append(text)
            items[name.strip()] = value.strip()
        if unknown:
            raise CommandError(
                f"Unknown pay item {', '.join(unknown)}: the items are "
                f"{', '.join(COUNCIL_PAY_ITEMS)} (NAME=0 or NAME=1)."
            )
        return items
