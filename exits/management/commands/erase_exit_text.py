"""``manage.py erase_exit_text``: erase the free text (and quotes) of exit
questionnaires whose leaving date is older than the retention period
(``EXIT_TEXT_RETENTION_DAYS``), keeping the coded themes, reasons and scores. Run nightly
by Celery beat (``exits.tasks.erase_expired_exit_text``)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from exits.services import exit_text_erase_expired, text_retention_days


class Command(BaseCommand):
    help = "Erase exit questionnaire free text older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as of this date (YYYY-MM-DD); default today.")
        parser.add_argument(
            "--days", type=int, help="Retention in days (default EXIT_TEXT_RETENTION_DAYS)."
        )

    def handle(self, *args, today=None, days=None, **options):
        as_of = None
        if today:
            try:
                as_of = dt.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"--today {today!r} is not a date like 2025-06-30.") from exc
        if days is not None and days < 0:
            raise CommandError(f"--days must be 0 or more (you gave {days}).")
        erased = exit_text_erase_expired(today=as_of, retention_days=days)
        kept = text_retention_days() if days is None else days
        self.stdout.write(
            f"Erased the free text of {erased} questionnaire{'' if erased == 1 else 's'} "
            f"(leavers more than {kept} days ago); coded themes kept."
        )
