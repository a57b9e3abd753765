"""Celery tasks of the read side: thin wrappers that call ``dashboards.services``.

``refresh_kpi_changes`` is queued (debounced) after every committed change to data a KPI
reads by ``dashboards.signals`` and refreshes what it can affect; ``refresh_kpi_snapshots``
(everything) runs when a page finds the figures stale with nothing queued, and nightly by
Celery beat (``CELERY_BEAT_SCHEDULE`` in
``config/settings/base.py``). The refresh is idempotent, so a retry or a duplicate run is
harmless; a database or broker error is retried with exponential backoff.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from . import services

logger = logging.getLogger(__name__)

#: Set while a refresh is queued, so that a burst of changes queues one refresh.
REFRESH_QUEUED_KEY = "dashboards:kpi-refresh-queued"
RETRYABLE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    ConnectionError,  # redis-py's ConnectionError and TimeoutError derive from it
    TimeoutError,
)
try:  # redis-py's errors do not all derive from the builtins
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    RETRYABLE_ERRORS += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    pass


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@shared_task(
    bind=True,
    name="dashboards.tasks.refresh_kpi_snapshots",
    acks_late=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def refresh_kpi_snapshots(self, start: str | None = None, end: str | None = None) -> dict:
    """Refresh the stored KPI snapshots (all of them, or ``start``..``end``, ISO dates)."""
    cache.delete(REFRESH_QUEUED_KEY)  # changes from now on queue another refresh
    try:
        result = services.snapshots_refresh(start=_date(start), end=_date(end))
    except RETRYABLE_ERRORS as error:
        logger.warning(
            "KPI snapshot refresh failed (attempt %s of %s), will retry: %s",
            self.request.retries + 1,
            self.max_retries + 1,
            error,
        )
        raise
    except Exception:
        logger.exception("KPI snapshot refresh failed; not retried")
        raise
    return result.as_dict()


@shared_task(
    bind=True,
    name="dashboards.tasks.refresh_kpi_changes",
    acks_late=True,
    autoretry_for=RETRYABLE_ERRORS,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def refresh_kpi_changes(self) -> dict | None:
    """Refresh what the changes waiting since the last run can affect (queued by
    ``dashboards.signals`` a second after a commit): only their families, dates and
    scopes (``services.snapshots_refresh_changes``)."""
    from .signals import pending_add, pending_take

    cache.delete(REFRESH_QUEUED_KEY)  # changes from now on queue another refresh
    change = pending_take()
    if not change:
        return None
    try:
        return services.snapshots_refresh_changes(change=change).as_dict()
    except RETRYABLE_ERRORS:
        pending_add(change)  # put them back for the retry
        raise


#: A report pack takes seconds to a minute; a build still running after this is stopped
#: (and the pack marked failed by the soft limit's exception).
REPORT_PACK_TIME_LIMIT = 10 * 60


@shared_task(
    name="dashboards.tasks.build_report_pack",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=REPORT_PACK_TIME_LIMIT - 30,
    time_limit=REPORT_PACK_TIME_LIMIT,
)
def build_report_pack(pack_id: int) -> str:
    """Build a committee report pack's files (``dashboards.reports.services``).

    Acknowledged only when done, and put back on the queue if its worker process dies
    (``reject_on_worker_lost``): the build is idempotent, so the rerun is safe."""
    from .reports.services import report_pack_build

    return report_pack_build(pack_id=pack_id).status


@shared_task(name="dashboards.tasks.fail_stuck_report_packs")
def fail_stuck_report_packs() -> int:
    """Mark report packs whose worker stopped failed (``report_packs_fail_stuck``)."""
    from .reports.services import report_packs_fail_stuck

    return report_packs_fail_stuck()


@shared_task(name="dashboards.tasks.delete_expired_report_packs")
def delete_expired_report_packs() -> int:
    """Nightly: delete report packs (and files) past ``REPORT_PACK_RETENTION_DAYS``."""
    from .reports.services import report_packs_delete_expired

    return report_packs_delete_expired()
