"""``manage.py exit_records_backfill``: an exit record for every leaver that has none
(leavers recorded before the exits app, or written in bulk by a census import). Safe to
run again: it only adds what is missing."""

from django.core.management.base import BaseCommand

from exits.services import exit_records_backfill


class Command(BaseCommand):
    help = "Make the missing exit records of every leaver (employed and agency)."

    def handle(self, *args, **options):
        made = exit_records_backfill()
        self.stdout.write(f"{made} exit record{'' if made == 1 else 's'} made.")
