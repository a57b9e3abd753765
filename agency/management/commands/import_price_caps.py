"""``manage.py import_price_caps PATH``: load regional price caps from CSV, all or nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agency import services

from .import_agency_placements import problems_of, read_text


class Command(BaseCommand):
    help = (
        "Import regional price caps from a CSV with the columns "
        "Region,RoleCategory,EffectiveFrom,HourlyCap (Region as DfE names it, e.g. South East)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            caps = services.price_caps_import(text=read_text(path))
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported. Put these right and run it again:\n" + problems_of(exc)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {len(caps)} price caps."))
