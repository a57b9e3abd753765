"""Keep the stored KPI snapshots fresh when the data they are computed from change.

Every save or delete of a record that a KPI family reads (``WATCHED_MODELS``: each
family's ``reads`` in the registry, so recruitment and exits data count as well as
workforce data) notes, for its transaction, **what the change can affect**:

- the families reading that model (``registry.families_reading``),
- the earliest date it can move (``CHANGE_DATES``: a leaver recorded for last month moves
  the figures from last month on, never 2016; a model without dates, or a team renamed,
  moves everything),
- the teams it concerns (the record's team, or its employment's or vacancy's teams), so
  only their scopes, the whole service, the case-holding teams and the role scopes are
  recomputed.

After the commit, one hook

1. marks the snapshots stale (``services.snapshots_mark_stale``: the data version moves
   on, so pages can say the stored figures are being updated), and
2. merges the change into the pending changes (the cache) and has them refreshed
   (``services.snapshots_refresh_changes``) a moment later, so that a burst of saves
   is one refresh:

   - with a Celery worker (``REDIS_URL``): queues ``tasks.refresh_kpi_changes`` with a
     ``REFRESH_COUNTDOWN_SECONDS`` countdown, at most once while one is queued;
   - with no worker (eager mode, ``make run`` on SQLite): when
     ``settings.KPI_REFRESH_IN_THREAD`` is on (the local settings), a background thread
     in the web process does it, so an HR change shows on the dashboards within seconds
     without any command; off (the test settings), only the stale mark is made and
     ``manage.py refresh_kpis`` or the nightly job refreshes.

A refresh that covers every change since the snapshots were last up to date marks them
up to date again; anything it cannot be sure of leaves them stale for the nightly run.

Dashboards reads the domain apps and never the other way round: these receivers are
connected here, in ``DashboardsConfig.ready``. Writes that send no signals
(``bulk_create``, ``QuerySet.update``, raw SQL) are not seen; code doing those should
save through the services, or rely on the nightly refresh.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import threading
import time
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.db.models.signals import post_delete, post_save, pre_save

from core.wholesale import is_wholesale

logger = logging.getLogger(__name__)

#: Seconds between a change and its refresh: later changes in that window share it.
REFRESH_COUNTDOWN_SECONDS = 1
#: The queued-marker outlives the countdown a little, in case the worker is busy.
REFRESH_QUEUED_TIMEOUT = REFRESH_COUNTDOWN_SECONDS + 120
#: Where the changes not yet refreshed wait (merged), for the worker or the thread.
PENDING_KEY = "dashboards:kpi-pending-changes"
PENDING_TIMEOUT = 24 * 3600

#: The dates of a record that bound the figures it can move: a change moves the figures
#: of every snapshot date from the earliest of them (old and new values) on. A model not
#: listed (teams, areas, posts' reference data) moves every date.
CHANGE_DATES: dict[str, tuple[str, ...]] = {
    "workforce.Employment": ("start_date", "end_date"),
    "workforce.Assignment": ("effective_from", "effective_to"),
    "workforce.CaseloadSnapshot": ("date",),
    "workforce.SicknessAbsence": ("start_date", "end_date"),
    "workforce.Post": ("valid_from", "valid_to"),
    "workforce.CensusReturn": ("reference_date",),
    "recruitment.Vacancy": ("opened_on", "closed_on"),
    "recruitment.Campaign": ("opened_on",),
    "recruitment.Application": ("applied_on",),
    "recruitment.StageChange": ("date",),
    "exits.ExitRecord": ("employment__end_date",),
}
#: How to find the teams a record concerns (a field path to a team id, or to an
#: employment whose assignments' teams count). A model not listed concerns every team.
CHANGE_TEAMS: dict[str, str] = {
    "workforce.Assignment": "team_id",
    "workforce.Post": "team_id",
    "workforce.Employment": "employment:id",
    "workforce.CaseloadSnapshot": "employment:employment_id",
    "workforce.SicknessAbsence": "employment:employment_id",
    "recruitment.Vacancy": "team_id",
    "recruitment.Application": "vacancy:vacancy_id",
    "recruitment.StageChange": "application:application_id",
    "exits.ExitRecord": "employment:employment_id",
}
_DISPATCH_PREFIX = "dashboards.kpi-snapshots"
_PENDING_LOCK = threading.Lock()


def watched_models() -> tuple[str, ...]:
    """Every model some KPI family reads (the registry's ``reads``)."""
    from .kpis.registry import watched_models as from_registry

    return from_registry()


WATCHED_MODELS = watched_models()


def refresh_runs_in_process() -> bool:
    """True when Celery runs tasks eagerly (no broker): then nothing is queued on commit."""
    from .tasks import refresh_kpi_snapshots

    return bool(refresh_kpi_snapshots.app.conf.task_always_eager)


def refresh_in_thread() -> bool:
    """With no worker, whether this process refreshes changes itself: always when
    ``KPI_REFRESH_IN_THREAD`` is True, only in the development web server when it is
    "runserver" (the local settings: ``seed_demo`` and other commands refresh, or not, as
    they always did)."""
    wanted = getattr(settings, "KPI_REFRESH_IN_THREAD", False)
    if wanted == "runserver":
        wanted = "runserver" in sys.argv[1:2]
    return bool(wanted) and refresh_runs_in_process()


# --- What a change can affect ----------------------------------------------------------


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _value(instance, path: str):
    for part in path.split("__"):
        if instance is None:
            return None
        instance = getattr(instance, part, None)
    return instance


def _dates_of(instance, label: str) -> dict[str, dt.date | None] | None:
    """The record's dates that bound what it can move, by field (None: no such model)."""
    fields = CHANGE_DATES.get(label)
    if fields is None:
        return None
    try:
        return {field: _value(instance, field) for field in fields}
    except Exception:  # a related row already deleted
        return None


def _since(now: dict | None, old: dict | None) -> list[dt.date] | None:
    """The dates a change moves figures from: for an edit, the earlier of the old and new
    value of each date that changed (a leaving recorded: its leaving date, not the start
    of the employment); for an edit of other fields, a new record or a deletion, every
    date of the record."""
    if now is None:
        return None
    if old is not None:
        changed = [
            value
            for field in now
            if now[field] != old.get(field)
            for value in (now[field], old.get(field))
            if isinstance(value, dt.date)
        ]
        if changed:
            return changed
    return [value for value in now.values() if isinstance(value, dt.date)]


def _teams_of(instance, label: str) -> dict[str, list[int]] | None:
    """What a record says about the teams it concerns - team, employment, vacancy or
    application ids, resolved to teams once at the commit (``resolve_teams``) - or None
    for every team. No query."""
    path = CHANGE_TEAMS.get(label)
    if path is None:
        return None
    kind, _, field = path.partition(":")
    key = getattr(instance, field or kind, None)
    if key is None:
        return None
    return {"team" if not field else kind: [key]}


def resolve_teams(refs: dict[str, list[int]] | None) -> list[int] | None:
    """The team ids of a change's references (a query per kind), or None for all."""
    if refs is None:
        return None
    from recruitment.models import Application, Vacancy
    from workforce.models import Assignment

    teams = set(refs.get("team", ()))
    if refs.get("employment"):
        teams |= set(
            Assignment.objects.filter(employment_id__in=refs["employment"]).values_list(
                "team_id", flat=True
            )
        )
    if refs.get("vacancy"):
        teams |= set(
            Vacancy.objects.filter(pk__in=refs["vacancy"]).values_list("team_id", flat=True)
        )
    if refs.get("application"):
        teams |= set(
            Application.objects.filter(pk__in=refs["application"]).values_list(
                "vacancy__team_id", flat=True
            )
        )
    return sorted(teams) if teams else None


def _merge_refs(first, second):
    if first is None or second is None:
        return None
    merged = {kind: list(ids) for kind, ids in first.items()}
    for kind, ids in second.items():
        merged[kind] = sorted(set(merged.get(kind, [])) | set(ids))
    return merged


def _change_of(instance, label: str) -> dict:
    from .kpis.registry import families_reading

    dates = _since(_dates_of(instance, label), getattr(instance, "_kpi_old_dates", None))
    refs = _teams_of(instance, label)
    old_refs = getattr(instance, "_kpi_old_teams", None)
    if old_refs is not None:
        refs = _merge_refs(refs, old_refs)
    return {
        "families": sorted(families_reading(label)),
        "since": min(dates).isoformat() if dates else None,
        "refs": refs,
        "everything": not dates,
    }


def merge_changes(first: dict | None, second: dict) -> dict:
    """Two changes as one: every family, the earlier date, every team."""
    if not first:
        return dict(second)
    everything = first.get("everything") or second.get("everything")
    since = [value for value in (first.get("since"), second.get("since")) if value]
    teams = None
    if first.get("teams") is not None and second.get("teams") is not None:
        teams = sorted(set(first["teams"]) | set(second["teams"]))
    merged = {
        "families": sorted(set(first.get("families", ())) | set(second.get("families", ()))),
        "since": min(since) if since and not everything else None,
        "refs": _merge_refs(first.get("refs"), second.get("refs")),
        "teams": teams,
        "everything": bool(everything),
    }
    if "version" in second:  # the data version after the last change
        merged["version"] = second["version"]
    base = first.get("base", second.get("base"))
    if base is not None:  # the data version before the first change of the batch
        merged["base"] = base
    return merged


# --- Receivers ---------------------------------------------------------------------------

#: A change that can move every figure (refresh everything).
EVERYTHING = {"families": [], "since": None, "teams": None, "everything": True}


def data_about_to_change(sender, instance, raw=False, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """pre_save receiver: remember an existing record's old dates and teams, so a change
    of date refreshes from the earlier of the old and new dates. One query per update."""
    if raw or instance.pk is None or instance._state.adding or is_wholesale():
        return
    label = _label(sender)
    if label not in CHANGE_DATES and label not in CHANGE_TEAMS:
        return
    old = sender._default_manager.using(using).filter(pk=instance.pk).first()
    if old is None:
        return
    instance._kpi_old_dates = _dates_of(old, label)
    instance._kpi_old_teams = _teams_of(old, label) if label in CHANGE_TEAMS else None


def _already_registered(using: str) -> bool:
    return any(
        getattr(hook, "func", None) is data_committed
        for _, hook, *_ in connections[using].run_on_commit
    )


def data_changed(sender, instance=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_save / post_delete receiver: note what the change can affect and register the
    after-commit hook once per transaction (outside a transaction it runs at once)."""
    if kwargs.get("raw"):  # loaddata: fixtures are not user changes
        return
    try:
        change = EVERYTHING if is_wholesale() else _change_of(instance, _label(sender))
    except Exception:  # never let the bookkeeping break a save: refresh everything
        logger.exception("Could not work out what a change affects; refreshing everything")
        change = EVERYTHING
    connection = connections[using]
    registered = connection.in_atomic_block and _already_registered(using)
    pending = getattr(connection, "_kpi_pending_change", None) if registered else None
    connection._kpi_pending_change = merge_changes(pending, change)
    if registered:
        return
    transaction.on_commit(partial(data_committed, using=using), using=using, robust=True)


def data_committed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """After a commit that changed data some KPI reads: mark the snapshots stale and have
    the change refreshed (worker, thread, or nothing in tests). Never raises: the user's
    change is already saved, and the nightly refresh catches up if this fails."""
    from . import services
    from .tasks import REFRESH_QUEUED_KEY, refresh_kpi_changes

    connection = connections[using]
    change = getattr(connection, "_kpi_pending_change", None) or {"everything": True}
    connection._kpi_pending_change = {}
    try:
        before = services.snapshots_status()
        services.snapshots_mark_stale()
        change = {
            **change,
            "teams": None if change.get("everything") else resolve_teams(change.get("refs")),
            "refs": None,
            "version": before.data_version + 1,
            "base": before.data_version,
        }
        if not refresh_runs_in_process():
            pending_add(change)
            if cache.add(REFRESH_QUEUED_KEY, "1", timeout=REFRESH_QUEUED_TIMEOUT):
                refresh_kpi_changes.apply_async(countdown=REFRESH_COUNTDOWN_SECONDS)
        elif refresh_in_thread():
            pending_add(change)
            _start_thread()
    except Exception:
        logger.exception("Could not queue the KPI snapshot refresh; the nightly run will do it")


def pending_add(change: dict) -> None:
    with _PENDING_LOCK:
        cache.set(PENDING_KEY, merge_changes(cache.get(PENDING_KEY), change), PENDING_TIMEOUT)


def pending_take() -> dict | None:
    """The changes waiting for a refresh, removed from the queue."""
    with _PENDING_LOCK:
        pending = cache.get(PENDING_KEY)
        cache.delete(PENDING_KEY)
    return pending


# --- Development: a refresh thread in the web process ----------------------------------

#: How many times the thread tries a refresh the database is too busy for.
THREAD_TRIES = 5
_THREAD: threading.Thread | None = None
_THREAD_LOCK = threading.Lock()


def _refresh_loop() -> None:
    from . import services

    global _THREAD
    while True:
        time.sleep(REFRESH_COUNTDOWN_SECONDS)  # later changes of a burst join this refresh
        change = pending_take()
        if not change:
            with _THREAD_LOCK:
                if cache.get(PENDING_KEY) is None:
                    _THREAD = None
                    return
            continue
        try:
            with services.REFRESH_LOCK:
                services.snapshots_refresh_changes(change=change)
        except OperationalError as error:  # SQLite busy with another write: try again
            tries = change.get("tries", 0) + 1
            if tries < THREAD_TRIES:
                pending_add({**change, "tries": tries})
                logger.info("KPI refresh postponed (%s): try %s", error, tries)
            else:
                logger.exception("The KPI refresh after a change failed; the nightly run will")
        except Exception:
            logger.exception("The KPI refresh after a change failed; the nightly run will do it")
        finally:
            close_old_connections()


def _start_thread() -> None:
    global _THREAD
    with _THREAD_LOCK:
        if _THREAD is not None and _THREAD.is_alive():
            return
        _THREAD = threading.Thread(target=_refresh_loop, name="kpi-refresh", daemon=True)
        _THREAD.start()


def connect_workforce_signals() -> None:
    from django.apps import apps

    for label in WATCHED_MODELS:
        model = apps.get_model(label)
        uid = f"{_DISPATCH_PREFIX}.{label}"
        pre_save.connect(data_about_to_change, sender=model, dispatch_uid=f"{uid}.pre")
        post_save.connect(data_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(data_changed, sender=model, dispatch_uid=f"{uid}.delete")


def _drop_erased_quotes(sender, exit_record_ids, **kwargs) -> None:
    from .reports.services import report_packs_drop_erased_quotes

    report_packs_drop_erased_quotes(exit_record_ids=exit_record_ids)


def connect_exit_signals() -> None:
    """When exits erases free text on schedule, report packs that quoted it are rebuilt
    without it (exits sends the signal; it never imports dashboards)."""
    from exits.signals import exit_text_erased

    exit_text_erased.connect(_drop_erased_quotes, dispatch_uid="dashboards_drop_erased_quotes")
