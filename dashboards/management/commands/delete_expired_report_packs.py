"""``python manage.py delete_expired_report_packs [--days N]``: delete the committee
report packs (and their files) asked for more than ``REPORT_PACK_RETENTION_DAYS`` (or
``--days``) ago, as the nightly task does, and say how many went."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dashboards.reports.services import report_pack_retention_days, report_packs_delete_expired


class Command(BaseCommand):
    help = "Delete report packs (and their files) older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep packs this many days instead of REPORT_PACK_RETENTION_DAYS.",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more.")
        kept = report_pack_retention_days() if days is None else days
        deleted = report_packs_delete_expired(retention_days=kept)
        self.stdout.write(
            f"Deleted {deleted} report pack{'s' if deleted != 1 else ''} "
            f"asked for more than {kept} days ago."
        )
