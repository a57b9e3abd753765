"""``manage.py import_agency_placements PATH``: load agency placements from CSV, all or nothing."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agency import services


def read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is not a UTF-8 text file.") from exc


def problems_of(exc: ValidationError) -> str:
    messages = (
        [m for ms in exc.message_dict.values() for m in ms]
        if hasattr(exc, "error_dict")
        else exc.messages
    )
    return "\n".join(messages)


class Command(BaseCommand):
    help = (
        "Import agency placements from a CSV with the columns "
        + ",".join(services.PLACEMENT_COLUMNS)
        + " (optional ChargeRate, Team). All or nothing: every problem is listed with its row."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            placements = services.placements_import(text=read_text(path))
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported. Put these right and run it again:\n" + problems_of(exc)
            ) from exc
        linked = sum(1 for p in placements if p.person_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(placements)} placements ({linked} joined to a worker's record)."
            )
        )
