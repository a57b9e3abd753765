"""Bench case: the dashboard pages on the large synthetic council.

Each page is requested through Django's test client (the whole stack: middleware,
session, view, selectors, Plotly, templates) signed in as a scrutiny member (small-number
suppression on) and, for the overview, as a director, on the benchmark database with
the KPI snapshots refreshed first. The floor is the page's irreducible SQL: reading the
stored snapshot rows it shows. Goal: p95 under 150 ms per page.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection

from benchmarks.cases import Row
from benchmarks.measure import Timing, fmt, repeat

PAGES = ("overview", "trends", "caseloads", "leavers", "benchmarks")
GOAL_P95 = 0.150

FLOOR_SQL = """
SELECT as_of, kpi_key, value FROM dashboards_kpisnapshot
WHERE scope = 'all' AND kpi_key = ANY(%(keys)s) AND as_of BETWEEN %(start)s AND %(end)s
ORDER BY as_of
"""


class P95Row(Row):
    """A row judged on its 95th percentile, as the goal says."""

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


def dashboards_case(*, runs: int, as_of: dt.date, tmp: str) -> list[Row]:
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
    latest = (snapshot_month_ends() or [as_of])[0]
    scrutiny = _signed_in_client(Role.SCRUTINY_MEMBER)
    director = _signed_in_client(Role.DIRECTOR)
    floor = repeat("floor", lambda: _floor(latest), runs=runs)
    rows: list[Row] = []
    cases = [(page, "scrutiny member", scrutiny) for page in PAGES] + [
        ("overview", "director", director)
    ]
    for page, who, client in cases:
        url = reverse(f"dashboards:{page}")

        def get(url=url, client=client) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")

        timing: Timing = repeat(page, get, runs=runs)
        rows.append(
            P95Row(
                f"(d) dashboard {page} page, {who}",
                timing,
                floor,
                "p95 < 150 ms",
                GOAL_P95,
                ok=timing.p95 <= GOAL_P95,
            )
        )
    return rows
