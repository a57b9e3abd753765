"""Writes of the read side: the stored KPI snapshots and DfE's benchmark figures.

**Snapshots.** ``snapshots_refresh`` stores every KPI of the registry for every scope on
every snapshot date, so that the dashboards draw ten years of figures without computing
them. The snapshot dates are the dates the pages, the API and the papers show figures as
of:

- every **month end**,
- every **census date** (30 September, and the reference date of any imported census
  return),

from the day the council's records begin (``dashboards.selectors.records_start``: before
it the pages show no figure, so none is computed), at most ``HISTORY_YEARS`` back, to
today. (Fridays were stored too until December 2026; nothing read them, and they were four
in five of the dates a refresh computed. The weekly caseload report is computed from the
weekly returns themselves.)

It is safe to re-run and to retry, after Zulip's ``analytics/lib/counts.py``: the dates are
done in batches; each batch is computed first (``dashboards.kpis.compute_kpis_many``, the
same arithmetic as the live path) and then written in one transaction that replaces the
batch's changed rows (delete, then insert with PostgreSQL's COPY) and leaves unchanged
ones alone, so a re-run leaves exactly the same rows and a failure rolls back the whole
batch and leaves the previous figures in place. The
``KpiFillState`` row records the state of the last run, and the data version that every
change to workforce data bumps (``dashboards.signals``); ``snapshots_status`` says whether
the stored figures are stale.

**Benchmarks.** ``benchmarks_import`` loads DfE's per-council, per-region and national
indicators CSV into ``BenchmarkFigure`` (parsing in ``dashboards.benchmarks``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Min
from django.utils import timezone

from config.bulk import rows_insert
from core.dates import years_before

from . import benchmarks
from .models import BenchmarkFigure, KpiFillState, KpiSnapshot

logger = logging.getLogger(__name__)

FILL_STATE_NAME = "kpi_snapshots"
HISTORY_YEARS = 10
DATES_PER_BATCH = 26  # half a year of weeks: a batch stays small enough to retry cheaply
_ADVISORY_LOCK_ID = 4_417_306_221  # serialises concurrent refreshes' batches on PostgreSQL
_VALUE_QUANTUM = Decimal(1).scaleb(-KpiSnapshot._meta.get_field("value").decimal_places)


# --- Snapshot dates ------------------------------------------------------------------


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def snapshot_dates(
    *, start: dt.date, end: dt.date, census_dates: Iterable[dt.date] = ()
) -> dict[dt.date, str]:
    """Every snapshot date from ``start`` to ``end`` inclusive, with its period kind
    (``KpiSnapshot.Period``; census rather than month end when a date is both)."""
    dates: dict[dt.date, str] = {}
    if start > end:
        return dates
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        month_end = _month_end(year, month)
        if start <= month_end <= end:
            dates[month_end] = KpiSnapshot.Period.MONTH_END.value
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for year in range(start.year, end.year + 1):
        census = dt.date(year, 9, 30)
        if start <= census <= end:
            dates[census] = KpiSnapshot.Period.CENSUS.value
    for census in census_dates:
        if start <= census <= end:
            dates[census] = KpiSnapshot.Period.CENSUS.value
    return dict(sorted(dates.items()))


def _default_range(*, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """From the day the council's records begin (the earliest leaving, weekly caseload or
    absence; the earliest employment start when there is none yet), at most
    ``HISTORY_YEARS`` back, to today; None when nobody has ever been employed."""
    from workforce.models import Employment

    from .selectors import records_start

    earliest = Employment.objects.aggregate(first=Min("start_date"))["first"]
    if earliest is None:
        return None
    begins = max(earliest, records_start() or earliest)
    return max(begins, years_before(today, HISTORY_YEARS)), today


def _census_reference_dates() -> list[dt.date]:
    from workforce.models import CensusReturn

    return list(CensusReturn.objects.values_list("reference_date", flat=True))


# --- Fill state ----------------------------------------------------------------------


def _fill_state() -> KpiFillState:
    state, _ = KpiFillState.objects.get_or_create(name=FILL_STATE_NAME)
    return state


def snapshots_mark_stale() -> None:
    """Record that workforce data changed: bump the data version, so that
    ``snapshots_status`` reports the stored snapshots as stale until the next refresh."""
    updated = KpiFillState.objects.filter(name=FILL_STATE_NAME).update(
        data_version=F("data_version") + 1, data_changed_at=timezone.now()
    )
    if not updated:
        KpiFillState.objects.get_or_create(
            name=FILL_STATE_NAME, defaults={"data_version": 1, "data_changed_at": timezone.now()}
        )


@dataclass(frozen=True)
class SnapshotStatus:
    """What the pages say about the stored figures."""

    state: str
    last_refreshed_at: dt.datetime | None  # when the last complete refresh finished
    data_changed_at: dt.datetime | None
    data_version: int
    refreshed_version: int | None
    is_stale: bool  # never refreshed, or data changed since the last complete refresh
    last_error: str


def snapshots_status() -> SnapshotStatus:
    state = KpiFillState.objects.filter(name=FILL_STATE_NAME).first() or KpiFillState(
        name=FILL_STATE_NAME
    )
    return SnapshotStatus(
        state=state.state,
        last_refreshed_at=state.finished_at,
        data_changed_at=state.data_changed_at,
        data_version=state.data_version,
        refreshed_version=state.refreshed_version,
        is_stale=state.refreshed_version is None or state.data_version != state.refreshed_version,
        last_error=state.last_error,
    )


# --- Refresh -------------------------------------------------------------------------


@dataclass
class RefreshResult:
    """What one refresh did (also the task's JSON result, via ``as_dict``)."""

    start: dt.date | None = None
    end: dt.date | None = None
    dates: int = 0
    scopes: int = 0
    batches: int = 0
    rows_computed: int = 0  # figures computed: what is stored afterwards
    rows_written: int = 0  # new or changed figures inserted
    rows_unchanged: int = 0  # figures already stored with the same value, left alone
    rows_deleted: int = 0  # changed figures' old rows, and rows no longer produced
    seconds: float = 0.0
    compute_seconds: float = 0.0  # in dashboards.kpis.compute_kpis_many
    write_seconds: float = 0.0  # comparing, deleting and inserting rows
    complete: bool = False  # every date and scope: marks the snapshots up to date
    data_version: int = 0
    periods: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        data["end"] = self.end.isoformat() if self.end else None
        return data


def _as_scope(scope):
    from dashboards import kpis

    return scope if isinstance(scope, kpis.Scope) else kpis.Scope.parse(str(scope))


def _exact(value) -> Decimal | None:
    """The value as stored: exact to ``_VALUE_QUANTUM`` (10 decimal places)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if not value.is_finite():
        return None
    return value.quantize(_VALUE_QUANTUM)


def _is_figure(value) -> bool:
    return value is None or (
        isinstance(value, (Decimal, int, float)) and not isinstance(value, bool)
    )


_COLUMNS = ("as_of", "scope", "kpi_key", "value", "period", "computed_at", "data_version")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _snapshots_insert(rows: Sequence[tuple]) -> None:
    """Insert rows (tuples in ``_COLUMNS`` order): PostgreSQL's COPY where available (a
    million rows in seconds, sent as one text block), one prepared INSERT run over every
    row elsewhere (SQLite: ``bulk_create`` spent 90% of a refresh building model objects
    and per-field SQL for 100,000 rows; this writes them in about a second)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(KpiSnapshot._meta.get_field(name).column) for name in _COLUMNS)
    table = quote(KpiSnapshot._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({columns}) FROM STDIN"
        text = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(text)
        return
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
    # In the unique index's order (scope, KPI, date): each insert lands beside the last
    # one in the index rather than anywhere in it.
    ordered = sorted(rows, key=lambda row: (row[1], row[2], row[0]))
    with connection.cursor() as cursor:
        cursor.executemany(sql, _adapted(ordered))


def _adapted(rows: Sequence[tuple]) -> list[tuple]:
    """Rows with each value as the database driver takes it (what ``bulk_create`` would
    send): dates and datetimes through the backend's adapters, once per distinct value;
    decimals exact to the stored places; text and integers as they are."""
    ops = connection.ops
    decimal_field = KpiSnapshot._meta.get_field("value")
    dates: dict[dt.date, object] = {}
    times: dict[dt.datetime, object] = {}
    adapted = []
    for as_of, scope, kpi_key, value, period, computed_at, data_version in rows:
        if as_of not in dates:
            dates[as_of] = ops.adapt_datefield_value(as_of)
        if computed_at not in times:
            times[computed_at] = ops.adapt_datetimefield_value(computed_at)
        if value is not None:
            value = ops.adapt_decimalfield_value(
                value, decimal_field.max_digits, decimal_field.decimal_places
            )
        adapted.append(
            (dates[as_of], scope, kpi_key, value, period, times[computed_at], data_version)
        )
    return adapted


def _snapshots_write_batch(
    *,
    dates: Sequence[dt.date],
    scope_names: Sequence[str],
    kpi_keys: Iterable[str],
    rows: Sequence[tuple],
) -> tuple[int, int]:
    """Bring the batch's stored rows to ``rows`` in one transaction: rows whose value and
    period are unchanged are left alone, changed ones are deleted and inserted again, and
    rows no longer produced are deleted. Returns (rows inserted, rows deleted).

    Most of ten years of history is the same from one refresh to the next, so a re-run
    writes little (less table bloat and WAL than rewriting a million rows each time).
    """
    kpi_keys = sorted(kpi_keys)
    if not (dates and scope_names and kpi_keys):
        return 0, 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_ID])
        stored = (
            KpiSnapshot.objects.filter(as_of__in=dates, scope__in=scope_names)
            .filter(kpi_key__in=kpi_keys)
            .order_by()
            .values_list("as_of", "scope", "kpi_key", "id", "value", "period")
        )
        sql, params = stored.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            existing = {(r[0], r[1], r[2]): r[3:] for r in cursor.fetchall()}
        changed = []
        stale_ids = []
        for row in rows:
            old = existing.pop((row[0], row[1], row[2]), None)
            if old is not None:
                if _same_value(old[1], row[3]) and old[2] == row[4]:
                    continue
                stale_ids.append(old[0])
            changed.append(row)
        stale_ids.extend(old[0] for old in existing.values())
        for first in range(0, len(stale_ids), 5000):
            KpiSnapshot.objects.filter(id__in=stale_ids[first : first + 5000]).delete()
        _snapshots_insert(changed)
    return len(changed), len(stale_ids)


def _same_value(stored, computed: Decimal | None) -> bool:
    if stored is None or computed is None:
        return stored is None and computed is None
    if isinstance(stored, Decimal):  # PostgreSQL: already exact to the stored places
        return stored == computed
    return _exact(stored) == computed  # SQLite hands back floats


#: One refresh at a time in a process (the development refresh thread and a command or
#: the demo's own refresh would otherwise write the same rows at once; SQLite locks).
REFRESH_LOCK = threading.RLock()


def snapshots_refresh(**kwargs) -> RefreshResult:
    """``_snapshots_refresh`` (below), one at a time in this process."""
    with REFRESH_LOCK:
        return _snapshots_refresh(**kwargs)


def _snapshots_refresh(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    scopes: Sequence | None = None,
    families: Sequence[str] | None = None,
    dates_per_batch: int = DATES_PER_BATCH,
) -> RefreshResult:
    """Recompute and store the KPI snapshots from ``start`` to ``end`` (default: from the
    earliest employment start, at most ten years back, to today) for ``scopes``
    (``dashboards.kpis.Scope`` objects or their text; default: every scope), for the KPI
    ``families`` named (default: every family).

    A complete refresh (no arguments) also removes snapshots of dates and scopes that no
    longer exist (a renamed team) and marks the snapshots up to date with the data
    version it read. A failure marks the fill state failed, keeps every batch written
    before it, leaves the failed batch as it was, and re-raises.
    """
    from dashboards import kpis

    clock = time.monotonic()
    today = timezone.localdate()
    complete = start is None and end is None and scopes is None and families is None
    if end is None:
        end = today
    if start is None:
        default = _default_range(today=end)
        start = default[0] if default else end + dt.timedelta(days=1)
    scope_list = [_as_scope(s) for s in (kpis.all_scopes() if scopes is None else scopes)]
    scope_names = [str(s) for s in scope_list]
    dates = snapshot_dates(start=start, end=end, census_dates=_census_reference_dates())

    state = _fill_state()
    version = state.data_version
    KpiFillState.objects.filter(pk=state.pk).update(
        state=KpiFillState.State.RUNNING, started_at=timezone.now(), last_error=""
    )
    result = RefreshResult(
        start=start,
        end=end,
        dates=len(dates),
        scopes=len(scope_list),
        complete=complete,
        data_version=version,
        periods=dict(Counter(str(period) for period in dates.values())),
    )
    date_list = list(dates)
    keys_written: set[str] = set()
    # The keys a batch owns: a family's refresh never touches another family's rows.
    family_keys = {
        key
        for name, family in kpis.FAMILIES.items()
        if families is None or name in families
        for key in family.keys
    }
    if families is None:
        family_keys |= set(kpis.REGISTRY)
    try:
        for first in range(0, len(date_list), max(1, dates_per_batch)):
            batch = date_list[first : first + max(1, dates_per_batch)]
            lap = time.monotonic()
            figures = (
                kpis.compute_kpis_many(dates=batch, scopes=scope_list, families=families)
                if scope_list
                else {}
            )
            result.compute_seconds += time.monotonic() - lap
            lap = time.monotonic()
            computed_at = timezone.now()
            rows = []
            for as_of in batch:
                for scope, name in zip(scope_list, scope_names, strict=True):
                    try:
                        values = figures[(as_of, scope)]
                    except KeyError:
                        raise RuntimeError(
                            f"The KPI engine returned no figures for {name} on {as_of}."
                        ) from None
                    rows.extend(
                        (as_of, name, key, _exact(value), dates[as_of], computed_at, version)
                        for key, value in values.items()
                        if key not in {"as_of", "scope"} and _is_figure(value)
                    )
            batch_keys = {row[2] for row in rows} | family_keys
            keys_written |= batch_keys
            written, deleted = _snapshots_write_batch(
                dates=batch, scope_names=scope_names, kpi_keys=batch_keys, rows=rows
            )
            result.write_seconds += time.monotonic() - lap
            result.rows_computed += len(rows)
            result.rows_written += written
            result.rows_unchanged += len(rows) - written
            result.rows_deleted += deleted
            result.batches += 1
        if complete:  # what no longer exists: dates, renamed teams, retired KPIs
            leftovers = KpiSnapshot.objects.exclude(
                as_of__in=date_list, scope__in=scope_names, kpi_key__in=sorted(keys_written)
            )
            deleted, _ = leftovers.delete()
            result.rows_deleted += deleted
    except Exception as error:
        KpiFillState.objects.filter(pk=state.pk).update(
            state=KpiFillState.State.FAILED, last_error=f"{type(error).__name__}: {error}"
        )
        logger.warning("KPI snapshot refresh failed after %s batches: %s", result.batches, error)
        raise
    result.seconds = round(time.monotonic() - clock, 3)
    result.compute_seconds = round(result.compute_seconds, 3)
    result.write_seconds = round(result.write_seconds, 3)
    done = {"state": KpiFillState.State.DONE, "rows": result.rows_computed}
    if complete:
        done.update(finished_at=timezone.now(), refreshed_version=version)
    KpiFillState.objects.filter(pk=state.pk).update(**done)
    logger.info(
        "KPI snapshots refreshed: %s dates x %s scopes, %s figures (%s written) in %.1f s "
        "(computing %.1f s, writing %.1f s)",
        result.dates,
        result.scopes,
        result.rows_computed,
        result.rows_written,
        result.seconds,
        result.compute_seconds,
        result.write_seconds,
    )
    return result


def change_scopes(teams: Sequence[int] | None) -> list | None:
    """The scopes whose figures a change to ``teams`` (ids; None: any team) can move: the
    whole service, the case-holding teams and every role, plus each team and its service
    area. None: every scope."""
    from dashboards import kpis
    from workforce.models import Team

    if teams is None:
        return None
    names = Team.objects.filter(pk__in=teams).values_list("name", "service_area__name")
    wanted = {("team", name) for name, _area in names} | {("area", a) for _n, a in names}
    return [
        scope
        for scope in kpis.all_scopes()
        if scope.kind in ("all", "caseholding", "role") or (scope.kind, scope.value) in wanted
    ]


def snapshots_refresh_changes(
    *, change: dict, today: dt.date | None = None
) -> RefreshResult | None:
    """Refresh what a change can affect (``dashboards.signals`` works it out): its
    families, from its earliest date to today, over its teams' scopes - a leaver recorded
    for last month recomputes the last month, not ten years. A change that can affect
    everything (a team renamed, a model without dates), or that finds the figures stale
    from before it, is a complete refresh.

    When the snapshots were up to date with the data version before the first change
    (``base``), they are marked up to date with the version after the last (``version``):
    still stale if more changes came since, which their own refresh then marks."""
    status = snapshots_status()
    if not status.is_stale:
        return None  # a complete refresh since the change has done it
    if change.get("everything") or not change.get("since") or not change.get("families"):
        return snapshots_refresh()
    if change.get("base") is None or status.refreshed_version != change["base"]:
        # Stale before these changes (never refreshed, a failed run, changes the signals
        # did not see): only a complete refresh can make the figures up to date.
        return snapshots_refresh()
    today = today or timezone.localdate()
    since = min(dt.date.fromisoformat(change["since"]), today)
    result = snapshots_refresh(
        start=since,
        end=today,
        scopes=change_scopes(change.get("teams")),
        families=list(change["families"]),
    )
    version, base = change.get("version"), change.get("base")
    if version is not None and base is not None:
        KpiFillState.objects.filter(name=FILL_STATE_NAME, refreshed_version=base).update(
            refreshed_version=version, finished_at=timezone.now()
        )
    return result


# --- DfE benchmarks ------------------------------------------------------------------


@dataclass
class BenchmarkImportResult:
    """What an import loaded: CSV rows per geographic level, figures written, symbols."""

    rows_by_level: dict[str, int]
    figures: int
    created: int
    updated: int
    symbols: dict[str, int]
    empty_cells: int


def benchmarks_import(*, path: str | Path) -> BenchmarkImportResult:
    """Load DfE's children's social work workforce indicators CSV at ``path`` into
    ``BenchmarkFigure``: one figure per year, area and measure column. Re-importing
    updates the figures in place (no duplicates). A file that is not that CSV, or any bad
    cell, raises ``ValidationError({"file": [...]})`` and nothing is written."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            {"file": [f"Cannot read {path}: {error.strerror or error}."]}
        ) from None
    parsed = benchmarks.parse_indicators_csv(data, name=path.name)
    unique_fields = ["time_period", "geographic_level", "area_code", "measure"]
    with transaction.atomic():
        before = BenchmarkFigure.objects.count()
        rows_insert(  # 32,000 figures: several times quicker than bulk_create
            BenchmarkFigure,
            parsed.figures,
            unique_fields=unique_fields,
            update_fields=["old_la_code", "area_name", "region_name", "value", "symbol"],
        )
        created = BenchmarkFigure.objects.count() - before
    return BenchmarkImportResult(
        rows_by_level=parsed.rows_by_level,
        figures=len(parsed.figures),
        created=created,
        updated=len(parsed.figures) - created,
        symbols=parsed.symbols,
        empty_cells=parsed.empty_cells,
    )
