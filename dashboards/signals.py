"""Keep the stored KPI snapshots fresh when workforce data changes.

Every save or delete of a workforce record that a KPI reads (``WATCHED_MODELS``) registers,
once per transaction, a hook that runs after the commit and

1. marks the snapshots stale (``services.snapshots_mark_stale``: the data version moves
   on, so pages can say the stored figures predate the change), and
2. when a real Celery worker is in use, queues ``tasks.refresh_kpi_snapshots`` with a short
   countdown, at most once while one is already queued (a cache key), so that an import
   of 5,000 rows queues one refresh, not 5,000.

In eager mode (no ``REDIS_URL``: the SQLite development default and the test settings)
a queued task would run inside the request, so every HR form and import would wait for a
full refresh. There the hook only marks the snapshots stale; ``manage.py refresh_kpis``
or the nightly beat job refreshes them.

Dashboards reads workforce and never the other way round: these receivers are connected
here, in ``DashboardsConfig.ready``. Writes that send no signals (``bulk_create``,
``QuerySet.update``, raw SQL) are not seen; code doing those should save through the
services, or rely on the nightly refresh.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

#: Seconds between a change and its refresh: later changes in that window share it.
REFRESH_COUNTDOWN_SECONDS = 30
#: The queued-marker outlives the countdown a little, in case the worker is busy.
REFRESH_QUEUED_TIMEOUT = REFRESH_COUNTDOWN_SECONDS + 90

WATCHED_MODELS = (
    "workforce.Person",
    "workforce.Employment",
    "workforce.Assignment",
    "workforce.CaseloadSnapshot",
    "workforce.SicknessAbsence",
    "workforce.Post",
    "workforce.Team",
    "workforce.ServiceArea",
    "workforce.CensusReturn",
    # The agency KPI family (dashboards/kpis/agency.py) reads these.
    "agency.AgencyPlacement",
    "agency.CapSignOff",
    "agency.RegionalPriceCap",
    "agency.RegionalLeaver",
)
_DISPATCH_PREFIX = "dashboards.kpi-snapshots"


def refresh_runs_in_process() -> bool:
    """True when Celery runs tasks eagerly (no broker): then nothing is queued on commit."""
    from .tasks import refresh_kpi_snapshots

    return bool(refresh_kpi_snapshots.app.conf.task_always_eager)


def workforce_data_committed() -> None:
    """After a commit that changed workforce data: mark the snapshots stale and, with a
    real worker, queue one refresh. Never raises: the user's change is already saved,
    and the nightly refresh catches up if queueing fails."""
    from . import services
    from .tasks import REFRESH_QUEUED_KEY, refresh_kpi_snapshots

    try:
        services.snapshots_mark_stale()
        if refresh_runs_in_process():
            return
        if cache.add(REFRESH_QUEUED_KEY, "1", timeout=REFRESH_QUEUED_TIMEOUT):
            refresh_kpi_snapshots.apply_async(countdown=REFRESH_COUNTDOWN_SECONDS)
    except Exception:
        logger.exception("Could not queue the KPI snapshot refresh; the nightly run will do it")


def _already_registered(using: str) -> bool:
    return any(hook is workforce_data_committed for _, hook, *_ in connections[using].run_on_commit)


def workforce_data_changed(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver: register the after-commit hook once per
    transaction (outside a transaction it runs at once)."""
    if kwargs.get("raw"):  # loaddata: fixtures are not user changes
        return
    connection = connections[using]
    if connection.in_atomic_block and _already_registered(using):
        return
    transaction.on_commit(workforce_data_committed, using=using, robust=True)


def connect_workforce_signals() -> None:
    from django.apps import apps

    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        uid = f"{_DISPATCH_PREFIX}.{label}"
        post_save.connect(workforce_data_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(workforce_data_changed, sender=model, dispatch_uid=f"{uid}.delete")


def _drop_erased_quotes(sender, exit_record_ids, **kwargs) -> None:
    from .reports.services import report_packs_drop_erased_quotes

    report_packs_drop_erased_quotes(exit_record_ids=exit_record_ids)


def connect_exit_signals() -> None:
    """When exits erases free text on schedule, report packs that quoted it are rebuilt
    without it (exits sends the signal; it never imports dashboards)."""
    from exits.signals import exit_text_erased

    exit_text_erased.connect(_drop_erased_quotes, dispatch_uid="dashboards_drop_erased_quotes")
