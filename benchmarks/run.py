"""`make bench`: time the product's hot paths on a large synthetic council.

    make bench                      # build the council (once) and run every case
    .venv/bin/python -m benchmarks.run --rebuild --runs 30

Uses PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/swworkforce_bench;
the database is created, and dropped first with --rebuild). Each case is timed against a
hand-written SQL floor in the same run and the ratio printed; the markdown printed at the
end is what docs/benchmarks.md records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import sys
import tempfile
import time
from urllib.parse import urlparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/swworkforce_bench"
END = dt.date(2025, 9, 30)


def _prepare_database(url: str, rebuild: bool) -> bool:
    """Create the benchmark database if needed; True if it is new (empty)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the council")
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each fast case")
    parser.add_argument(
        "--only",
        nargs="*",
        default=None,
        help=(
            "cases to run: kpis refresh change import dashboards load forecast costs "
            "(the default: all of these) report"
        ),
    )
    args = parser.parse_args(argv)

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DEBUG"] = "False"
    os.environ.pop("REDIS_URL", None)  # snapshots are timed in-process, not through a broker
    # The load test's server runs the production settings, which refuse a weak key; it
    # shares this process's key, which signs the test users' sessions.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)
    fresh = _prepare_database(url, args.rebuild)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import cases
    from benchmarks.synthetic import build_large_council

    call_command("migrate", verbosity=0)
    if fresh:
        print("Building the synthetic council (about a million caseload rows)...", flush=True)
        started = time.perf_counter()
        counts = build_large_council(end=END)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"  built in {time.perf_counter() - started:.1f} s: {counts}", flush=True)

    results = []
    wanted = set(
        args.only
        or ["kpis", "refresh", "change", "import", "dashboards", "load", "forecast", "costs"]
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name, case in cases.CASES.items():
            if name in wanted:
                print(f"Running {name}...", flush=True)
                results.extend(case(runs=args.runs, as_of=END, tmp=tmp))

    print()
    python = platform.python_version()
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {python}")
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        print(f"PostgreSQL {cur.fetchone()[0]}; data: {cases.data_summary()}")
    print()
    print("| case | product (median) | spread | hand-written SQL floor (median) | ratio | goal |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in results:
        print(row.markdown())
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
