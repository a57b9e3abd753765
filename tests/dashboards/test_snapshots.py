"""Stored KPI snapshots: which dates, idempotent refresh, same figures as the live path,
no half-written batch, stale status, and the after-commit signal that queues one refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import OperationalError, transaction
from django.utils import timezone

from core.locking import UNCHECKED
from dashboards import kpis, services, signals, tasks
from dashboards.models import KpiFillState, KpiSnapshot
from tests.factories import PersonFactory, PostFactory, ServiceAreaFactory, TeamFactory, employ
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=120)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    """Two teams in two service areas over the last four months: two employed workers
    (1 and 0.5 FTE) and a leaver in Alpha, an agency worker in Beta, with caseloads."""
    safeguarding = ServiceAreaFactory(name="Safeguarding")
    in_care = ServiceAreaFactory(name="Children in Care")
    alpha = TeamFactory(name="Alpha", service_area=safeguarding)
    beta = TeamFactory(name="Beta", service_area=in_care)
    PostFactory(team=alpha, fte=Decimal("3"), valid_from=START)
    full_time = employ(team=alpha, start=START)
    part_time = employ(team=alpha, start=START + dt.timedelta(days=14), fte="0.5")
    employ(team=alpha, start=START, end=START + dt.timedelta(days=60))
    agency = employ(team=beta, start=START, agency=True)
    for days in (21, 49, 77, 105):
        date = START + dt.timedelta(days=days)
        workforce_services.caseload_record(employment=full_time, date=date, cases=18)
        workforce_services.caseload_record(employment=part_time, date=date, cases=7)
        workforce_services.caseload_record(employment=agency, date=date, cases=20)
    return {"alpha": alpha, "beta": beta}


def rows() -> list[tuple]:
    return sorted(KpiSnapshot.objects.values_list("as_of", "scope", "kpi_key", "value", "period"))


def figure(as_of: dt.date, scope: str, key: str) -> Decimal | None:
    return KpiSnapshot.objects.get(as_of=as_of, scope=scope, kpi_key=key).value


def last_month_end(on_or_before: dt.date) -> dt.date:
    return on_or_before.replace(day=1) - dt.timedelta(days=1)


# --- Dates -------------------------------------------------------------------------------


def test_snapshot_dates_are_month_ends_and_census_dates():
    dates = services.snapshot_dates(
        start=dt.date(2024, 5, 20), end=dt.date(2024, 10, 4), census_dates=[dt.date(2024, 7, 1)]
    )
    assert dates == {
        dt.date(2024, 5, 31): "month_end",
        dt.date(2024, 6, 30): "month_end",  # a Sunday
        dt.date(2024, 7, 1): "census",  # an imported return's reference date
        dt.date(2024, 7, 31): "month_end",
        dt.date(2024, 8, 31): "month_end",
        dt.date(2024, 9, 30): "census",  # 30 September, a Monday
    }  # no Friday: nothing shows a figure as of a week
    assert list(dates) == sorted(dates)


def test_the_refresh_starts_where_the_records_begin_not_at_the_longest_servers_start(db):
    """Before the first leaving, caseload or absence recorded the pages show no figure
    (selectors.records_start), so none is computed."""
    employ(start=dt.date(2016, 4, 4))  # the longest-serving worker
    employ(start=dt.date(2023, 1, 9), end=dt.date(2024, 3, 15))  # the first leaving recorded
    result = services.snapshots_refresh(end=dt.date(2024, 12, 10))
    assert result.start == dt.date(2024, 3, 15)  # not 4 April 2016
    stored = sorted(set(KpiSnapshot.objects.values_list("as_of", flat=True)))
    assert stored[0] == dt.date(2024, 3, 31) and stored[-1] == dt.date(2024, 11, 30)
    assert len(stored) == 9


def test_nothing_to_store_before_anyone_is_employed():
    result = services.snapshots_refresh()
    assert (result.dates, result.rows_written) == (0, 0)
    assert not services.snapshots_status().is_stale


# --- Refresh -----------------------------------------------------------------------------


def test_refresh_covers_every_scope_date_and_kpi(world):
    result = services.snapshots_refresh()
    scopes = [str(s) for s in kpis.all_scopes()]
    assert "team:Alpha" in scopes and "area:Children in Care" in scopes
    stored_scopes = set(KpiSnapshot.objects.values_list("scope", flat=True))
    assert stored_scopes == set(scopes)
    dates = set(KpiSnapshot.objects.values_list("as_of", flat=True))
    assert min(dates) >= START and max(dates) <= TODAY
    assert last_month_end(TODAY) in dates
    assert result.rows_written == KpiSnapshot.objects.count() > 0
    assert result.complete
    keys = set(KpiSnapshot.objects.values_list("kpi_key", flat=True))
    assert {"inpost_fte", "agency_rate", "turnover_rate", "caseload"} <= keys
    # What a councillor would read for the last month end: 1.5 FTE employed in Alpha,
    # 1 agency FTE in Beta, so 40% agency across the service.
    month_end = last_month_end(TODAY)
    assert figure(month_end, "team:Alpha", "inpost_fte") == Decimal("1.5")
    assert figure(month_end, "all", "agency_rate") == Decimal("40")
    month_ends = KpiSnapshot.objects.series(scope="all", kpi_key="inpost_fte").month_ends()
    assert all((s.as_of + dt.timedelta(days=1)).day == 1 for s in month_ends)


def test_rerun_gives_the_same_rows_without_duplicates(world):
    services.snapshots_refresh()
    first = rows()
    second_result = services.snapshots_refresh()
    assert rows() == first
    assert second_result.rows_computed == len(first) == KpiSnapshot.objects.count()
    assert (second_result.rows_written, second_result.rows_deleted) == (0, 0)  # left alone


def test_a_rerun_after_a_change_rewrites_only_the_figures_that_changed(world):
    services.snapshots_refresh()
    month_end = last_month_end(TODAY)
    employ(team=world["beta"], start=month_end)  # a starter on the last month end
    before = dict(KpiSnapshot.objects.filter(as_of__lt=month_end).values_list("id", "value"))
    result = services.snapshots_refresh()
    assert 0 < result.rows_written < result.rows_computed
    assert result.rows_deleted == result.rows_written  # each changed figure replaced once
    assert figure(month_end, "team:Beta", "agency_fte") == Decimal("1")
    assert figure(month_end, "team:Beta", "inpost_fte") == Decimal("1")
    after = dict(KpiSnapshot.objects.filter(as_of__lt=month_end).values_list("id", "value"))
    assert after == before  # history before the start date untouched, row for row


def test_stored_values_equal_the_live_computation(world):
    services.snapshots_refresh()
    dates = sorted(set(KpiSnapshot.objects.values_list("as_of", flat=True)), reverse=True)
    assert len(dates) >= 3  # the last three month ends at least
    samples = [
        (dates[0], kpis.Scope("all")),
        (dates[0], kpis.Scope("team", "Alpha")),
        (dates[1], kpis.Scope("area", "Children in Care")),
        (dates[2], kpis.Scope("caseholding")),
        (dates[2], kpis.Scope("role", "5")),
    ]
    compared = 0
    for as_of, scope in samples:
        live = kpis.compute_kpis(as_of=as_of, scope=scope)
        stored = dict(
            KpiSnapshot.objects.filter(as_of=as_of, scope=str(scope)).values_list(
                "kpi_key", "value"
            )
        )
        for key, value in live.items():
            if value is None:
                assert stored[key] is None, (as_of, scope, key)
            else:
                assert abs(stored[key] - Decimal(value)) < Decimal("1e-9"), (as_of, scope, key)
            compared += 1
    assert compared >= 5 * len(kpis.REGISTRY) // 2


def test_a_range_and_scope_refresh_touches_only_those(world):
    services.snapshots_refresh()
    before = rows()
    month_end = last_month_end(TODAY)
    KpiSnapshot.objects.update(value=Decimal("-1"))
    result = services.snapshots_refresh(start=month_end, end=month_end, scopes=["team:Alpha"])
    assert result.dates == 1 and result.scopes == 1 and not result.complete
    refreshed = KpiSnapshot.objects.exclude(value=Decimal("-1"))
    assert set(refreshed.values_list("as_of", "scope").distinct()) == {(month_end, "team:Alpha")}
    assert KpiSnapshot.objects.count() == len(before)


def test_team_names_with_quotes_and_backslashes_are_stored_as_written(world):
    name = "Children's \\ Families\tNorth"
    employ(team=TeamFactory(name=name, service_area=world["alpha"].service_area), start=START)
    month_end = last_month_end(TODAY)
    services.snapshots_refresh(start=month_end, end=month_end)
    assert figure(month_end, f"team:{name}", "inpost_fte") == Decimal("1")


def test_a_complete_refresh_drops_scopes_that_no_longer_exist(world):
    services.snapshots_refresh()
    world["beta"].name = "Beta North"
    world["beta"].save()
    services.snapshots_refresh()
    scopes = set(KpiSnapshot.objects.values_list("scope", flat=True))
    assert "team:Beta North" in scopes
    assert "team:Beta" not in scopes


def test_a_failure_mid_refresh_leaves_the_previous_figures_intact(world, monkeypatch):
    services.snapshots_refresh(dates_per_batch=1)
    before = rows()
    month_end = last_month_end(TODAY)
    old_inpost = figure(month_end, "all", "inpost_fte")
    employ(team=world["alpha"], start=START)  # one more worker: every later figure changes

    calls = {"n": 0}
    real_insert = services._snapshots_insert

    def insert_then_fail(batch_rows):
        calls["n"] += 1
        if calls["n"] == 2:  # the second batch: delete done, half inserted, then the DB fails
            real_insert(batch_rows[: len(batch_rows) // 2])
            raise OperationalError("server closed the connection unexpectedly")
        real_insert(batch_rows)

    monkeypatch.setattr(services, "_snapshots_insert", insert_then_fail)
    with pytest.raises(OperationalError):
        services.snapshots_refresh(dates_per_batch=1)

    dates = sorted({row[0] for row in before})
    assert len(dates) >= 3  # three batches at least: the last is after the failed one
    second_batch = set(dates[1:2])
    now = rows()
    assert len(now) == len(before)  # nothing half-written, nothing lost
    assert [r for r in now if r[0] in second_batch] == [r for r in before if r[0] in second_batch]
    assert figure(month_end, "all", "inpost_fte") == old_inpost  # later batches untouched
    state = KpiFillState.objects.get()
    assert state.state == KpiFillState.State.FAILED
    assert "server closed the connection" in state.last_error


# --- Status and signals ------------------------------------------------------------------
# These commit for real (transaction=True): the hooks run after a commit, as in production.

committing = pytest.mark.django_db(transaction=True)


@committing
def test_status_is_stale_until_refreshed_and_again_after_a_change(world):
    services.snapshots_mark_stale()
    assert services.snapshots_status().is_stale
    services.snapshots_refresh()
    status = services.snapshots_status()
    assert not status.is_stale
    assert status.last_refreshed_at is not None
    assert status.state == KpiFillState.State.DONE
    workforce_services.person_update(person=PersonFactory(), first_name="Ann", version=UNCHECKED)
    assert not services.snapshots_status().is_stale  # no KPI reads a name
    employ(team=world["alpha"], start=START)
    status = services.snapshots_status()
    assert status.is_stale
    assert status.data_changed_at > status.last_refreshed_at


@pytest.fixture
def queued(monkeypatch):
    """Celery as with a real worker (not eager); records the refreshes queued."""
    sent = []
    conf = tasks.refresh_kpi_changes.app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = False
    monkeypatch.setattr(tasks.refresh_kpi_changes, "apply_async", lambda *a, **kw: sent.append(kw))
    yield sent
    conf.task_always_eager = eager


@committing
def test_one_transaction_with_many_changes_queues_one_refresh(world, queued):
    cache.clear()
    queued.clear()
    version = services.snapshots_status().data_version
    with transaction.atomic():
        for _ in range(40):  # an import: people, employments, assignments, caseloads
            employment = employ(team=world["alpha"], start=START)
            workforce_services.caseload_record(employment=employment, date=START, cases=3)
    assert queued == [{"countdown": signals.REFRESH_COUNTDOWN_SECONDS}]
    assert services.snapshots_status().data_version == version + 1


@committing
def test_a_burst_of_transactions_queues_one_refresh_while_one_is_waiting(world, queued):
    cache.clear()
    queued.clear()
    version = services.snapshots_status().data_version
    for _ in range(3):
        employ(team=world["alpha"], start=START)
    assert len(queued) == 1  # the first is still waiting to run: the others share it
    assert services.snapshots_status().data_version > version  # each commit marks stale
    pending = signals.pending_take()  # what the task will refresh: all three, as one
    # the agency (PQE, cooling-off), cost and pay families read employments too
    assert pending["families"] == ["agency", "costs", "exits", "pay", "recruitment", "workforce"]
    assert pending["since"] == START.isoformat()
    cache.delete(tasks.REFRESH_QUEUED_KEY)  # the task started
    employ(team=world["alpha"], start=START)
    assert len(queued) == 2


@committing
def test_a_rolled_back_change_queues_nothing(world, queued):
    cache.clear()
    queued.clear()
    version = services.snapshots_status().data_version
    with pytest.raises(RuntimeError), transaction.atomic():
        employ(team=world["alpha"], start=START)
        raise RuntimeError("import aborted")
    assert queued == []
    assert services.snapshots_status().data_version == version


@committing
def test_in_eager_mode_changes_only_mark_the_snapshots_stale(world, monkeypatch):
    assert tasks.refresh_kpi_snapshots.app.conf.task_always_eager  # the test settings
    ran = []
    monkeypatch.setattr(services, "snapshots_refresh", lambda **kw: ran.append(kw))
    version = services.snapshots_status().data_version
    with transaction.atomic():
        employ(team=world["beta"], start=START)
    assert ran == []  # the HR form did not wait for a refresh
    assert services.snapshots_status().data_version == version + 1


@committing
def test_queueing_failure_never_reaches_the_user(world, queued, monkeypatch):
    cache.clear()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.refresh_kpi_changes, "apply_async", broker_down)
    version = services.snapshots_status().data_version
    employment = employ(team=world["alpha"], start=START)
    employment.refresh_from_db()
    assert employment.pk
    assert services.snapshots_status().data_version > version


# --- The command -------------------------------------------------------------------------


def test_refresh_kpis_command_prints_counts_and_time(world):
    out = StringIO()
    call_command("refresh_kpis", stdout=out)
    text = out.getvalue()
    assert " s (computing " in text
    assert f"{KpiSnapshot.objects.count()} figures: {KpiSnapshot.objects.count()} written" in text
    assert "up to date" in text


def test_refresh_kpis_command_with_a_range(world):
    month_end = last_month_end(TODAY)
    out = StringIO()
    call_command(
        "refresh_kpis", "--from", month_end.isoformat(), "--to", month_end.isoformat(), stdout=out
    )
    assert set(KpiSnapshot.objects.values_list("as_of", flat=True)) == {month_end}
    assert "1 dates" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "30/09/2024"], "--from: '30/09/2024' is not a date like 2024-09-30."),
        (["--from", "2024-10-01", "--to", "2024-09-30"], "is after --to"),
        (["--scope", "team:Nowhere"], "There is no team called 'Nowhere'"),
    ],
)
def test_refresh_kpis_command_bad_options(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("refresh_kpis", *args, stdout=StringIO())
    assert not KpiSnapshot.objects.exists()


def test_a_refresh_for_no_scopes_changes_nothing(world):
    services.snapshots_refresh()
    before = rows()
    result = services.snapshots_refresh(scopes=[])
    assert (result.rows_computed, result.rows_deleted) == (0, 0)
    assert rows() == before
