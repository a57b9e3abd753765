"""``manage.py import_regional_leavers FILE``: load another council's regional leavers file."""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from agency import services
from agency.regional import regional_key

from .import_agency_placements import problems_of, read_text


class Command(BaseCommand):
    help = "Load a regional leavers file written by another council's export_regional_leavers."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            regional_key()  # say so before anything else if the region's key is not set
            created = services.regional_leavers_import(text=read_text(path))
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported. Put these right and run it again:\n" + problems_of(exc)
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {created} new regional leavers."))
