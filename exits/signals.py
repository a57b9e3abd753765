"""Exits listens to workforce (workforce never imports exits): when an employment's
leaving date is set, the leaver gets an exit record. A census import writes in bulk
(no per-row signals) and then saves its ``CensusReturn`` once: that save backfills the
exit records of every leaver it brought in."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from workforce.models import CensusReturn, Employment

from . import services

#: Sent (inside the erasing transaction) when exit questionnaires' free text and quotes
#: are erased on schedule, with ``exit_record_ids``: whatever kept a copy of them (report
#: packs, in dashboards) must drop it. Exits never imports its readers.
exit_text_erased = Signal()


@receiver(post_save, sender=Employment, dispatch_uid="exits_record_for_leaver")
def exit_record_for_leaver(sender, instance: Employment, raw: bool = False, **kwargs) -> None:
    if raw or instance.end_date is None:
        return
    services.exit_record_ensure(employment=instance)


@receiver(post_save, sender=CensusReturn, dispatch_uid="exits_backfill_after_census")
def exit_records_after_census(sender, instance: CensusReturn, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    transaction.on_commit(services.exit_records_backfill)
