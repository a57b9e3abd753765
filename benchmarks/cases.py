"""The benchmark cases. Each returns rows: the product's timing beside a hand-written SQL
floor computing the same result (or the irreducible part of it) in the same run."""

from __future__ import annotations

import datetime as dt
import io
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.db import connection, transaction

from benchmarks.measure import Timing, fmt, repeat
from core.locking import UNCHECKED


@dataclass
class Row:
    """A row of the results table. ``judged_on``: the statistic the goal names
    ("median", or "p95" for the dashboard pages)."""

    case: str
    product: Timing
    floor: Timing | None
    goal: str
    goal_seconds: float
    ok: bool = True
    judged_on: str = "median"

    def markdown(self) -> str:
        ratio = f"{self.product.median / self.floor.median:.2f}x" if self.floor else "-"
        floor = fmt(self.floor.median) if self.floor else "-"
        judged = getattr(self.product, self.judged_on)
        met = "met" if judged <= self.goal_seconds else "NOT met"
        return (
            f"| {self.case} | {fmt(self.product.median)} | {self.product.spread} "
            f"({len(self.product.seconds)} runs) | {floor} | {ratio} | {self.goal}: {met} |"
        )


def data_summary() -> str:
    with connection.cursor() as cur:
        parts = []
        for table, label in [
            ("workforce_person", "people"),
            ("workforce_employment", "employments"),
            ("workforce_assignment", "assignments"),
            ("workforce_caseloadsnapshot", "caseload rows"),
        ]:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            parts.append(f"{cur.fetchone()[0]:,} {label}")
    return ", ".join(parts)


# --- (a) one as-of KPI set for the whole council -------------------------------------

FLOOR_KPIS_SQL = """
WITH cur AS (
  SELECT e.id AS emp_id, e.contract_type, e.start_date, a.fte, a.is_asye
  FROM workforce_employment e JOIN workforce_assignment a ON a.employment_id = e.id
  WHERE e.start_date <= %(d)s AND (e.end_date IS NULL OR e.end_date > %(d)s)
    AND a.effective_from <= %(d)s AND (a.effective_to IS NULL OR a.effective_to > %(d)s)
), cl AS (
  SELECT DISTINCT ON (employment_id) employment_id, cases FROM workforce_caseloadsnapshot
  WHERE date > %(d)s::date - 7 AND date <= %(d)s ORDER BY employment_id, date DESC
)
SELECT
  SUM(fte) FILTER (WHERE contract_type <> 'agency'),
  SUM(fte) FILTER (WHERE contract_type = 'agency'),
  SUM(fte) FILTER (WHERE contract_type <> 'agency' AND is_asye),
  COUNT(*) FILTER (WHERE contract_type <> 'agency'),
  COUNT(*) FILTER (WHERE contract_type <> 'agency' AND start_date <= %(d)s::date - 730),
  SUM(fte) FILTER (WHERE cl.cases > 0),
  SUM(cl.cases),
  (SELECT SUM(a.fte) FROM workforce_employment e JOIN workforce_assignment a
     ON a.employment_id = e.id AND a.effective_from < e.end_date
    AND (a.effective_to IS NULL OR a.effective_to >= e.end_date)
   WHERE e.contract_type <> 'agency' AND e.end_date > %(d)s::date - 365 AND e.end_date <= %(d)s),
  (SELECT SUM(a.fte) FROM workforce_employment e JOIN workforce_assignment a
     ON a.employment_id = e.id AND a.effective_from = e.start_date
   WHERE e.contract_type <> 'agency' AND e.start_date > %(d)s::date - 365
     AND e.start_date <= %(d)s),
  (SELECT SUM(s.working_days_lost) FROM workforce_sicknessabsence s
   JOIN cur ON cur.emp_id = s.employment_id AND cur.contract_type <> 'agency'
   WHERE s.end_date > %(d)s::date - 365 AND s.end_date <= %(d)s),
  (SELECT SUM(fte) FROM workforce_post WHERE valid_from <= %(d)s
     AND (valid_to IS NULL OR valid_to > %(d)s))
FROM cur LEFT JOIN cl ON cl.employment_id = cur.emp_id
"""


def _floor_kpis(as_of: dt.date):
    with connection.cursor() as cur:
        cur.execute(FLOOR_KPIS_SQL, {"d": as_of})
        return cur.fetchone()


def kpis_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
    from dashboards.kpis import Scope, compute_kpis

    scope = Scope.parse("all")
    values = compute_kpis(as_of=as_of, scope=scope)
    floor_values = _floor_kpis(as_of)
    print(
        "  product: in post {inpost_fte}, agency {agency_fte}, cases {cases}; "
        "floor: in post {0}, agency {1}, cases {6}".format(*floor_values, **values)
    )
    product = repeat("kpis", lambda: compute_kpis(as_of=as_of, scope=scope), runs=runs)
    floor = repeat("floor", lambda: _floor_kpis(as_of), runs=runs)
    return [Row("(a) one as-of KPI set, whole council", product, floor, "< 50 ms", 0.050)]


# --- (b) the full snapshot refresh ---------------------------------------------------

FLOOR_REFRESH_SQL = """
CREATE TEMP TABLE floor_snapshot ON COMMIT DROP AS
WITH dates AS (
  SELECT DISTINCT d::date AS d FROM (
    SELECT (date_trunc('month', g) + interval '1 month - 1 day') AS d
    FROM generate_series(%(start)s::date, %(end)s::date, interval '1 month') AS g
  ) x WHERE d <= %(end)s::date
), stock AS (
  SELECT dates.d, a.team_id, a.org_role,
    SUM(a.fte) FILTER (WHERE e.contract_type <> 'agency') AS inpost_fte,
    SUM(a.fte) FILTER (WHERE e.contract_type = 'agency') AS agency_fte,
    COUNT(*) AS headcount
  FROM dates
  JOIN workforce_assignment a ON a.effective_from <= dates.d
    AND (a.effective_to IS NULL OR a.effective_to > dates.d)
  JOIN workforce_employment e ON e.id = a.employment_id AND e.start_date <= dates.d
    AND (e.end_date IS NULL OR e.end_date > dates.d)
  GROUP BY 1, 2, 3
), cases AS (
  SELECT dates.d, c.team_id, SUM(c.cases) AS cases, COUNT(*) AS holders
  FROM dates JOIN workforce_caseloadsnapshot c ON c.date > dates.d - 7 AND c.date <= dates.d
  GROUP BY 1, 2
)
SELECT stock.*, cases.cases, cases.holders FROM stock
LEFT JOIN cases ON cases.d = stock.d AND cases.team_id = stock.team_id
"""


def refresh_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
    from dashboards.services import snapshots_refresh

    start = as_of.replace(year=as_of.year - 10)

    def floor():
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(FLOOR_REFRESH_SQL, {"start": start, "end": as_of})

    product = repeat(
        "refresh", lambda: snapshots_refresh(start=start, end=as_of), runs=min(runs, 3), warmup=0
    )
    floor_t = repeat("floor", floor, runs=min(runs, 3), warmup=0)
    return [
        Row(
            "(b) full snapshot refresh: every month end for 10 years, every scope",
            product,
            floor_t,
            "< 30 s",
            30.0,
        )
    ]


# --- (b2) one change reflected on the dashboards --------------------------------------


def change_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
    """The complete refresh beside a single change, in the same run on the same data.

    First the complete refresh, ``manage.py refresh_kpis`` with no options (every date
    from the council's first records to today, every scope, every family; it marks the
    figures up to date). Then an HR officer records a leaver for last month; the
    after-commit hook marks the figures stale and queues the refresh of what the change
    can affect; the worker runs it after its countdown. Timed from the save to the new
    figure stored for the month end after the leaving (what the dashboards read). The
    worker's task runs in this process (the bench has no broker) after the real
    countdown."""
    import calendar
    import time

    from django.core.cache import cache
    from django.db.models import F
    from django.utils import timezone

    from dashboards import tasks
    from dashboards.models import KpiFillState, KpiSnapshot
    from dashboards.services import snapshots_refresh
    from dashboards.signals import pending_take
    from exits.models import ExitRecord
    from workforce import services as workforce_services
    from workforce.choices import ContractType, LeaverDestination, ReasonLeave
    from workforce.models import Employment

    today = timezone.localdate()
    full = _full_refresh(runs=min(runs, 3))
    # The figures are up to date before the change, as after the nightly refresh (the
    # complete refresh above marks them so).
    KpiFillState.objects.update(refreshed_version=F("data_version"))
    task = tasks.refresh_kpi_changes
    conf = task.app.conf
    eager, conf.task_always_eager = conf.task_always_eager, False
    queued: list[dict] = []
    task.apply_async = lambda *args, **kwargs: queued.append(kwargs)  # the broker
    seconds, details = [], []
    try:
        for run in range(min(runs, 3)):
            leave = today.replace(day=1) - dt.timedelta(days=5 + run)
            month_end = leave.replace(day=calendar.monthrange(leave.year, leave.month)[1])
            employment = (
                Employment.objects.filter(end_date__isnull=True, start_date__lt=leave)
                .exclude(contract_type=ContractType.AGENCY)
                .order_by("-pk")
                .first()
            )
            before = KpiSnapshot.objects.filter(
                scope="all", kpi_key="leavers_headcount", as_of=month_end
            ).first()
            queued.clear()
            started = time.perf_counter()
            workforce_services.leaver_record(
                employment=employment,
                end_date=leave,
                leaving_reason=ReasonLeave.RESIGNATION,
                leaving_destination=LeaverDestination.values[0],
                version=UNCHECKED,
            )
            time.sleep(queued[-1]["countdown"])  # the worker picks it up after its countdown
            result = task()
            after = KpiSnapshot.objects.get(
                scope="all", kpi_key="leavers_headcount", as_of=month_end
            )
            seconds.append(time.perf_counter() - started)
            details.append(((result or {}).get("dates"), before and before.value, after.value))
            # Undo (not timed): the next run records another leaver from the same state.
            ExitRecord.objects.filter(employment=employment).delete()
            Employment.objects.filter(pk=employment.pk).update(
                end_date=None, leaving_reason=None, leaving_destination=None
            )
            snapshots_refresh(start=leave, end=today)
            cache.delete(tasks.REFRESH_QUEUED_KEY)  # the undo's own queued refresh: done
            pending_take()
            KpiFillState.objects.update(refreshed_version=F("data_version"))
    finally:
        conf.task_always_eager = eager
        del task.apply_async
    print(f"  one change: dates refreshed, leavers before -> after: {details}", flush=True)
    product = Timing("change", seconds)
    return [
        full,
        Row(
            "(b2) one HR change (a leaver last month) reflected in the stored figures, with "
            "the worker's 1 s countdown",
            product,
            None,
            "< 5 s",
            5.0,
        ),
    ]


def _full_refresh(*, runs: int) -> Row:
    """``manage.py refresh_kpis`` with no options, ``runs`` times (the first may write
    every figure; later ones find them unchanged and compare only)."""
    import time

    from django.core.management import call_command

    from dashboards.services import snapshots_status

    seconds = []
    for _ in range(runs):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("refresh_kpis", stdout=out)
        seconds.append(time.perf_counter() - started)
        print(f"  complete refresh: {out.getvalue().strip()}", flush=True)
    assert not snapshots_status().is_stale, "the complete refresh left the figures stale"
    return Row(
        "(b3) the complete refresh (`manage.py refresh_kpis`: every date from the first "
        "records to today, every scope, every family), beside (b2)",
        Timing("full refresh", seconds),
        None,
        "< 30 s",
        30.0,
    )


# --- (c) importing a 5,000-worker census return ----------------------------------------


def _remove_import(year: int) -> None:
    from auditlog.models import LogEntry

    from workforce.models import CensusReturn, Employment, Person

    with transaction.atomic():
        people = Person.objects.filter(swe_number__startswith="SW9")
        employments = Employment.objects.filter(person__in=people)
        LogEntry.objects.filter(timestamp__gte=_remove_import.since).delete()
        for model in ("caseloads", "absences", "census_records"):
            getattr(Employment, model).rel.related_model.objects.filter(
                employment__in=employments
            ).delete()
        employments.delete()
        people.delete()
        CensusReturn.objects.filter(year=year).delete()


def _floor_import(path: str) -> None:
    root = ET.parse(path).getroot()
    people, employments = io.StringIO(), io.StringIO()
    null = "\\N"
    for worker in root.iter("CSWWWorker"):
        get = worker.findtext
        swe, dob, end = get("SWENo"), get("PersonBirthDate") or null, get("RoleEndDate") or null
        people.write(f"{swe}\t{dob}\n")
        employments.write(f"{swe}\t{get('RoleStartDate')}\t{end}\t{get('FTE')}\n")
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE fp (swe text, dob date) ON COMMIT DROP")
        cur.execute("CREATE TEMP TABLE fe (swe text, s date, e date, fte numeric) ON COMMIT DROP")
        raw = cur.connection.cursor()
        for table, buffer in (("fp", people), ("fe", employments)):
            buffer.seek(0)
            with raw.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(buffer.read())


def import_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
    from django.core.management import call_command
    from django.utils import timezone

    from benchmarks.census_file import census_xml

    path = os.path.join(tmp, "csww-5000.xml")
    with open(path, "wb") as fh:
        fh.write(census_xml(workers=5000, year=2024, lea="998"))
    _remove_import.since = timezone.now()
    _remove_import(2024)
    seconds = []
    import time

    for _ in range(min(runs, 3)):
        started = time.perf_counter()
        call_command("import_csww", path, stdout=io.StringIO())
        seconds.append(time.perf_counter() - started)
        _remove_import(2024)
    product = Timing("import", seconds)
    floor = repeat("floor", lambda: _floor_import(path), runs=min(runs, 3))
    return [Row("(c) import a 5,000-worker census return (XML)", product, floor, "< 5 s", 5.0)]


CASES = {
    "kpis": kpis_case,
    "refresh": refresh_case,
    "change": change_case,
    "import": import_case,
}

from benchmarks.dashboards import dashboards_case, load_case  # noqa: E402 (imports Row)

CASES["dashboards"] = dashboards_case
CASES["report"] = __import__("benchmarks.report", fromlist=["report_case"]).report_case
CASES["load"] = load_case


# --- (f) the forecast to 85% permanent --------------------------------------------------


def forecast_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
    """A 36-month forecast with 1,000 simulations from the council's whole history
    (read, fit, simulate, summarise), beside the bare read of the rows it fits to."""
    from dashboards.forecast import model
    from dashboards.forecast.services import run_forecast
    from workforce.selectors import employment_history_rows, establishment_rows

    def product():
        _, result = run_forecast(start=as_of, months=36, simulations=1000)
        return model.summarise(result, start=as_of)

    summary = product()
    print(
        f"  forecast: 85% at the median {summary['target']['median_month']}, "
        f"probability by the end {summary['target']['probability_by_end']:.2f}"
    )
    timed = repeat("forecast", product, runs=min(runs, 5))
    floor = repeat(
        "floor",
        lambda: (employment_history_rows(as_of=as_of), establishment_rows(as_of=as_of)),
        runs=min(runs, 5),
    )
    return [Row("(f) forecast 36 months x 1,000 simulations", timed, floor, "< 2 s", 2.0)]


CASES["forecast"] = forecast_case

CASES["costs"] = __import__("benchmarks.costs", fromlist=["costs_case"]).costs_case
