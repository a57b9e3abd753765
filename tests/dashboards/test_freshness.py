"""Fresh figures without an administrator (``dashboards.signals``): a change to any data a
KPI family reads - workforce, recruitment or exits - marks that family stale and is
refreshed seconds later, only over the dates and scopes it can affect; with no worker
(``make run``) the web process does it."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.locking import UNCHECKED
from core.wholesale import wholesale
from dashboards import services, signals
from dashboards.models import KpiSnapshot
from exits import services as exit_services
from tests.factories import ServiceAreaFactory, TeamFactory, employ
from tests.recruitment.helpers import apply, open_vacancy
from workforce import services as workforce_services
from workforce.choices import LeaverDestination, ReasonLeave

committing = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
LONG_AGO = TODAY - dt.timedelta(days=3 * 365)
LAST_MONTH = TODAY.replace(day=1) - dt.timedelta(days=10)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    area = ServiceAreaFactory(name="Safeguarding")
    alpha = TeamFactory(name="Alpha", service_area=area)
    beta = TeamFactory(name="Beta", service_area=ServiceAreaFactory(name="In care"))
    workers = [employ(team=alpha, start=LONG_AGO) for _ in range(6)]
    employ(team=beta, start=LONG_AGO)
    return {"alpha": alpha, "beta": beta, "workers": workers}


@pytest.fixture
def thread_mode(settings, monkeypatch):
    """The development settings (no worker, refresh in the web process); the thread is
    recorded rather than started, and the test runs its loop itself."""
    settings.KPI_REFRESH_IN_THREAD = True
    started = []
    monkeypatch.setattr(signals, "_start_thread", lambda: started.append(1))
    return started


@committing
def test_recruitment_and_exit_changes_mark_only_their_family_stale(world, thread_mode):
    services.snapshots_refresh()
    assert not services.snapshots_status().is_stale
    vacancy = open_vacancy(team=world["alpha"], opened_on=LAST_MONTH)
    signals.pending_take()
    apply(vacancy, applied_on=LAST_MONTH + dt.timedelta(days=3))
    assert services.snapshots_status().is_stale  # recruitment data moved the figures
    change = signals.pending_take()
    assert change["families"] == ["recruitment"]
    assert change["since"] == (LAST_MONTH + dt.timedelta(days=3)).isoformat()
    assert change["teams"] == [world["alpha"].pk]
    leaver = world["workers"][0]
    workforce_services.leaver_record(
        employment=leaver,
        end_date=LAST_MONTH,
        leaving_reason=ReasonLeave.RESIGNATION,
        leaving_destination=LeaverDestination.values[0],
        version=UNCHECKED,
    )
    signals.pending_take()
    leaver.refresh_from_db()
    exit_services.exit_record_update(
        exit_record=leaver.exit_record,
        offered_on=LAST_MONTH,
        channel="phone",
        today=TODAY,
        version=UNCHECKED,
    )
    change = signals.pending_take()
    assert change["families"] == ["exits"]
    assert change["since"] <= LAST_MONTH.isoformat()
    assert thread_mode  # each change asked the web process to refresh


@committing
def test_a_leaver_for_last_month_refreshes_last_month_not_years(world, thread_mode, monkeypatch):
    services.snapshots_refresh()
    old = KpiSnapshot.objects.filter(as_of__lt=LAST_MONTH).values_list("id", flat=True)
    old_ids = set(old)
    workforce_services.leaver_record(
        employment=world["workers"][0],
        end_date=LAST_MONTH,
        leaving_reason=ReasonLeave.RESIGNATION,
        leaving_destination=LeaverDestination.values[0],
        version=UNCHECKED,
    )
    assert services.snapshots_status().is_stale
    calls = []
    refresh = services.snapshots_refresh

    def recorded(**kwargs):
        calls.append(kwargs)
        return refresh(**kwargs)

    monkeypatch.setattr(services, "snapshots_refresh", recorded)
    clock = time.monotonic()
    signals._refresh_loop()  # what the thread does: wait a second, refresh, stop
    seconds = time.monotonic() - clock
    assert seconds < 10
    status = services.snapshots_status()
    assert not status.is_stale  # the refresh covered the change: the banner goes
    assert (
        set(KpiSnapshot.objects.filter(as_of__lt=LAST_MONTH).values_list("id", flat=True))
        == old_ids
    )  # nothing before the change was rewritten
    latest = KpiSnapshot.objects.filter(scope="team:Alpha", kpi_key="leavers_headcount")
    assert latest.order_by("-as_of").first().value == 1
    (call,) = calls
    assert call["start"] == LAST_MONTH and call["end"] == TODAY
    scopes = {str(scope) for scope in call["scopes"]}
    assert {"all", "caseholding", "team:Alpha", "area:Safeguarding"} <= scopes
    assert not scopes & {"team:Beta", "area:In care"}  # another team's figures stay


@committing
def test_with_no_worker_and_no_thread_a_change_only_marks_stale(world):
    services.snapshots_refresh()
    employ(team=world["beta"], start=LAST_MONTH)
    assert services.snapshots_status().is_stale
    assert signals.pending_take() is None  # the test settings: nothing runs behind


def test_changes_merge_into_one_refresh():
    first = {"families": ["workforce"], "since": "2025-10-01", "refs": {"team": [1]}}
    second = {"families": ["exits"], "since": "2025-09-01", "refs": {"employment": [7]}}
    merged = signals.merge_changes(first, second)
    assert merged["families"] == ["exits", "workforce"]
    assert merged["since"] == "2025-09-01"
    assert merged["refs"] == {"team": [1], "employment": [7]}
    everything = signals.merge_changes(merged, {"everything": True, "refs": None})
    assert everything["everything"] and everything["since"] is None
    assert everything["refs"] is None


@committing
def test_a_wholesale_build_is_noted_as_one_change_to_everything(world, thread_mode):
    """The demo's build (``core.wholesale``): each save is not worked out on its own (no
    stored row fetched to compare an edit's dates), and the build refreshes everything."""
    services.snapshots_refresh()
    signals.pending_take()

    def leave(employment) -> int:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            workforce_services.leaver_record(
                employment=employment, end_date=LAST_MONTH,
                leaving_reason=ReasonLeave.RESIGNATION,
                leaving_destination=LeaverDestination.values[0], version=UNCHECKED,
            )  # fmt: skip
        return len(queries)

    one_by_one = leave(world["workers"][0])
    change = signals.pending_take()
    assert not change["everything"] and change["since"] <= LAST_MONTH.isoformat()
    with wholesale():
        in_bulk = leave(world["workers"][1])
    change = signals.pending_take()
    assert change["everything"] and change["since"] is None
    assert services.snapshots_status().is_stale
    assert in_bulk < one_by_one  # the stored rows were not read for their old dates
