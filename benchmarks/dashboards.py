"""Bench case: the dashboard pages on the large synthetic council.

Each page is requested through Django's test client (the whole stack: middleware,
session, view, selectors, Plotly, templates) signed in as a scrutiny member (small-number
suppression on) and, for the overview, as a director, on the benchmark database with
the KPI snapshots refreshed first: once with the cache emptied before every request (the
first view after a refresh: figures read, charts drawn) and once as the page is usually
served (its figures cached until the data change). The floor is the page's irreducible
SQL: reading the stored snapshot rows it shows. Goal: p95 under 150 ms per page.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection

from benchmarks.measure import Timing, fmt, repeat

PAGES = ("overview", "trends", "caseloads", "leavers", "benchmarks", "recruitment")
GOAL_P95 = 0.150

FLOOR_SQL = """
SELECT as_of, kpi_key, value FROM dashboards_kpisnapshot
WHERE scope = 'all' AND kpi_key = ANY(%(keys)s) AND as_of BETWEEN %(start)s AND %(end)s
ORDER BY as_of
"""


@dataclass
class P95Row:
    """A row of the results table (as ``benchmarks.cases.Row``), judged on its 95th
    percentile as the goal says."""

    case: str
    product: Timing
    floor: Timing | None
    goal: str
    goal_seconds: float
    ok: bool = True

    def markdown(self) -> str:
        met = "met" if self.product.p95 <= self.goal_seconds else "NOT met"
        floor = fmt(self.floor.median) if self.floor else "-"
        ratio = f"{self.product.median / self.floor.median:.2f}x" if self.floor else "-"
        return (
            f"| {self.case} | {fmt(self.product.median)} | {self.product.spread} "
            f"({len(self.product.seconds)} runs) | {floor} | {ratio} | {self.goal}: {met} |"
        )


def _signed_in_client(role):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    username = f"bench-{role.value.lower().replace(' ', '-')}"
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _floor(as_of: dt.date) -> None:
    from dashboards.selectors import HEADLINE_KPIS

    with connection.cursor() as cursor:
        cursor.execute(
            FLOOR_SQL,
            {
                "keys": list(HEADLINE_KPIS),
                "start": as_of - dt.timedelta(days=3 * 366),
                "end": as_of,
            },
        )
        cursor.fetchall()


def _benchmark_data() -> None:
    """DfE's published figures and a default comparator group (the council's region's
    other councils), so the benchmarks page has its real amount of data."""
    from pathlib import Path

    from dashboards.models import BenchmarkFigure, ComparatorGroup
    from dashboards.services import benchmarks_import
    from workforce.models import Council

    if not BenchmarkFigure.objects.exists():
        path = Path(__file__).resolve().parent.parent / "data/dfe/csww_indicators_2017_to_2025.csv"
        benchmarks_import(path=path)
    council = Council.objects.first()
    if council and not ComparatorGroup.objects.filter(is_default=True).exists():
        codes = (
            BenchmarkFigure.objects.filter(
                geographic_level=BenchmarkFigure.Level.LOCAL_AUTHORITY,
                region_name=council.region_name,
                time_period=2025,
                measure="turnover_rate_fte",
            )
            .exclude(old_la_code=council.lea_code)
            .order_by("old_la_code")
            .values_list("old_la_code", flat=True)[:10]
        )
        ComparatorGroup.objects.create(
            name="Bench comparators", lea_codes=list(codes), is_default=True
        )


def dashboards_case(*, runs: int, as_of: dt.date, tmp: str) -> list[P95Row]:
    from django.urls import reverse

    from dashboards.selectors import snapshot_month_ends
    from dashboards.services import snapshots_refresh, snapshots_status
    from workforce.roles import Role

    if snapshots_status().is_stale:
        started = time.perf_counter()
        result = snapshots_refresh()
        print(
            f"  refreshed the snapshots first: {result.rows_written:,} rows in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    _benchmark_data()
    latest = (snapshot_month_ends() or [as_of])[0]
    scrutiny = _signed_in_client(Role.SCRUTINY_MEMBER)
    director = _signed_in_client(Role.DIRECTOR)
    floor = repeat("floor", lambda: _floor(latest), runs=runs)
    rows: list[P95Row] = []
    cases = [(page, "scrutiny member", scrutiny) for page in PAGES] + [
        ("overview", "director", director)
    ]
    from django.core.cache import cache

    for cached in (False, True):
        for page, who, client in cases:
            url = reverse(f"dashboards:{page}")

            def get(url=url, client=client, cached=cached) -> None:
                if not cached:  # the first view after a refresh: computed and drawn
                    cache.clear()
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")

            timing: Timing = repeat(page, get, runs=runs)
            how = "cached" if cached else "not cached"
            rows.append(
                P95Row(
                    f"(d) dashboard {page} page, {who}, {how}",
                    timing,
                    floor,
                    "p95 < 150 ms",
                    GOAL_P95,
                    ok=timing.p95 <= GOAL_P95,
                )
            )
    return rows


# --- The load test: gunicorn + PostgreSQL, 50 signed-in scrutiny members, wrk ----------

LUA = """
local cookies = {%(cookies)s}
local paths = {%(paths)s}
local counter = 0
request = function()
  counter = counter + 1
  local headers = {}
  headers["Cookie"] = "sessionid=" .. cookies[(counter %% #cookies) + 1]
  return wrk.format("GET", paths[(counter %% #paths) + 1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d p50_ms=%%.1f p95_ms=%%.1f p99_ms=%%.1f "
    .. "max_ms=%%.1f errors_connect=%%d errors_read=%%d errors_write=%%d "
    .. "errors_status=%%d errors_timeout=%%d\\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def _sessions(users: int) -> list[str]:
    """Session keys of ``users`` signed-in scrutiny members (created if missing)."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from workforce.roles import Role

    group = Group.objects.get_or_create(name=Role.SCRUTINY_MEMBER.value)[0]
    keys = []
    for number in range(users):
        user, _ = get_user_model().objects.get_or_create(username=f"load-councillor-{number}")
        user.groups.add(group)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def load_test(*, users: int = 50, seconds: int = 60, port: int = 8712, workers: int = 3) -> dict:
    """Run gunicorn on 127.0.0.1 against the bench database and wrk with ``users``
    connections, each a signed-in scrutiny member cycling through the dashboard pages."""
    import os
    import re
    import subprocess
    import tempfile
    import urllib.request

    from django.urls import reverse

    from dashboards.services import snapshots_refresh, snapshots_status

    if snapshots_status().is_stale:
        snapshots_refresh()
    cookies = _sessions(users)
    paths = [reverse(f"dashboards:{page}") for page in PAGES]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA
            % {
                "cookies": ", ".join(f'"{key}"' for key in cookies),
                "paths": ", ".join(f'"{path}"' for path in paths),
            }
        )
    env = {**os.environ, "DEBUG": "False", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    server = subprocess.Popen(
        [
            os.path.join(os.path.dirname(os.sys.executable), "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        subprocess.run(  # warm every worker up
            ["wrk", "-t", "1", "-c", str(workers), "-d", "5s", "-s", script.name, base],
            check=True,
            capture_output=True,
        )
        run = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(users),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(script.name)
    print(run.stdout, flush=True)
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT"))
    result = {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", line)}
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", run.stdout)
    result["non_2xx"] = float(non_2xx.group(1)) if non_2xx else 0.0
    return result


def main() -> int:
    """``python -m benchmarks.dashboards [users] [seconds]``: the load test on the bench
    database (BENCH_DATABASE_URL, as ``make bench``)."""
    import os
    import sys

    from benchmarks.run import DEFAULT_URL

    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    result = load_test(users=users, seconds=seconds)
    errors = sum(v for k, v in result.items() if k.startswith("errors_")) + result["non_2xx"]
    met = "met" if result["p95_ms"] < 300 and not errors else "NOT met"
    print(
        f"| load test: {users} signed-in scrutiny members, {seconds} s, gunicorn (3 workers) + "
        f"PostgreSQL | {int(result['requests']):,} requests | p50 {result['p50_ms']:.0f} ms, "
        f"p95 {result['p95_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms | errors {int(errors)} | "
        f"goal p95 < 300 ms, no errors: {met} |"
    )
    return 0 if result["p95_ms"] < 300 and not errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
