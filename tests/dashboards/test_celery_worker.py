"""The refresh task: retried on database errors, and run by a real Celery worker against
the real Redis broker (REDIS_URL; CI sets it, and a skip fails CI).

Run the real-worker tests locally with your own Redis database number, e.g.
``REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python -m pytest -m celery_worker``.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from dashboards import services, signals
from dashboards.models import KpiSnapshot
from dashboards.tasks import refresh_kpi_snapshots
from tests.factories import ServiceAreaFactory, TeamFactory, employ

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=60)
LAST_MONTH_END = TODAY.replace(day=1) - dt.timedelta(days=1)

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="REDIS_URL is not set: the real-worker tests need a Redis broker "
    "(e.g. REDIS_URL=redis://127.0.0.1:6379/7); CI sets it",
)


@pytest.fixture
def world():
    """One team with one full-time worker in post since two months ago."""
    team = TeamFactory(name="Alpha", service_area=ServiceAreaFactory(name="Safeguarding"))
    employ(team=team, start=START)
    return team


class Flaky:
    """Stands in for the refresh service: fails ``failures`` times, then refreshes."""

    def __init__(self, failures: int, error: Exception):
        self.failures, self.error, self.calls = failures, error, 0
        self.real = services.snapshots_refresh

    def __call__(self, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return self.real(**kwargs)


def inpost_fte_last_month_end() -> Decimal | None:
    row = KpiSnapshot.objects.filter(as_of=LAST_MONTH_END, scope="all", kpi_key="inpost_fte")
    return row.values_list("value", flat=True).first()


# --- Retries (eager: the task body and Celery's retry machinery, in-process) --------------


@pytest.fixture
def worker_like_eager():
    """Eager tasks that fail the way a worker sees them (a retry re-runs the task) rather
    than raising Celery's ``Retry`` to the caller."""
    propagates = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = propagates


@pytest.mark.usefixtures("worker_like_eager")
@pytest.mark.django_db
def test_a_database_error_is_retried_and_the_refresh_succeeds(world, monkeypatch):
    flaky = Flaky(1, OperationalError("could not connect to server"))
    monkeypatch.setattr(services, "snapshots_refresh", flaky)
    result = refresh_kpi_snapshots.delay().get(timeout=120)
    assert flaky.calls == 2
    assert result["rows_written"] == KpiSnapshot.objects.count() > 0
    assert inpost_fte_last_month_end() == Decimal("1")


@pytest.mark.usefixtures("worker_like_eager")
@pytest.mark.django_db
def test_retries_stop_after_the_maximum_and_the_error_is_raised(world, monkeypatch):
    flaky = Flaky(100, OperationalError("could not connect to server"))
    monkeypatch.setattr(services, "snapshots_refresh", flaky)
    with pytest.raises(OperationalError):
        refresh_kpi_snapshots.delay().get(timeout=120)
    assert flaky.calls == refresh_kpi_snapshots.max_retries + 1
    assert not KpiSnapshot.objects.exists()


@pytest.mark.usefixtures("worker_like_eager")
@pytest.mark.django_db
def test_a_bug_is_not_retried(world, monkeypatch):
    flaky = Flaky(100, ValueError("a bug, not a passing outage"))
    monkeypatch.setattr(services, "snapshots_refresh", flaky)
    with pytest.raises(ValueError):
        refresh_kpi_snapshots.delay().get(timeout=120)
    assert flaky.calls == 1


def test_the_task_is_the_one_beat_runs_nightly(settings):
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert refresh_kpi_snapshots.name in entries
    assert refresh_kpi_snapshots.acks_late


# --- A real worker on the real broker -----------------------------------------------------


@pytest.fixture
def real_worker():
    """A Celery worker in a thread of this process, consuming from REDIS_URL."""
    import celery.contrib.testing.tasks  # noqa: F401 - registers celery.ping for the check
    from celery.contrib.testing.worker import start_worker

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    cache.clear()
    celery_app.control.purge()  # nothing left over from an earlier run
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=True, shutdown_timeout=60):
            yield
    finally:
        celery_app.control.purge()
        celery_app.conf.task_always_eager = eager
        cache.clear()


@pytest.mark.usefixtures("world", "real_worker")
@pytest.mark.celery_worker
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_refreshes_the_snapshots():
    result = refresh_kpi_snapshots.delay().get(timeout=120)
    assert result["complete"]
    assert result["rows_written"] == KpiSnapshot.objects.count() > 0
    assert inpost_fte_last_month_end() == Decimal("1")
    assert not services.snapshots_status().is_stale


@pytest.mark.celery_worker
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_committed_change_is_refreshed_by_the_worker(world, real_worker, monkeypatch):
    monkeypatch.setattr(signals, "REFRESH_COUNTDOWN_SECONDS", 0)  # not 30 s in a test
    assert services.snapshots_status().is_stale
    with transaction.atomic():  # an HR officer records a new starter
        employ(team=world, start=START, fte="0.6")
    deadline = time.monotonic() + 120
    while services.snapshots_status().is_stale and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not services.snapshots_status().is_stale
    assert inpost_fte_last_month_end() == Decimal("1.6")


@pytest.mark.usefixtures("world", "real_worker")
@pytest.mark.celery_worker
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_retries_after_a_database_error(monkeypatch):
    flaky = Flaky(1, OperationalError("server closed the connection unexpectedly"))
    monkeypatch.setattr(services, "snapshots_refresh", flaky)
    result = refresh_kpi_snapshots.delay().get(timeout=120)
    assert flaky.calls == 2
    assert result["rows_written"] == KpiSnapshot.objects.count() > 0
