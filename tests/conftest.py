"""Shared fixtures: users per role, an HTTP client per role, Playwright on the system Chromium.

In CI (CI=true) a skipped test fails the run: no test may skip for a missing service.
"""

from __future__ import annotations

import gc
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright + live_server

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: Debian's headless shell of the system Chromium (package chromium-headless-shell, what
#: Playwright itself uses for headless Chromium): the same Blink and V8 as the browser
#: without the desktop browser's own work, which cost the browser tests a third more CPU
#: (axe on every page: 114 s of Chromium CPU with the browser, 77 s with the shell). The
#: full browser is used where the shell is not installed (``make browser`` installs it).
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
CHROMIUM = (
    HEADLESS_SHELL
    if os.access(HEADLESS_SHELL, os.X_OK)
    else shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # V8's baseline compiler only, not its optimising ones (Maglev, TurboFan): a test's
    # pages live for well under a second each, too short for optimised code to repay its
    # compiling (axe on every page: a quarter less CPU). What the JavaScript does is the same.
    "--js-flags=--max-opt=1",
]


def pytest_configure(config):
    """Python's cycle collector runs less often in the test processes: a test run allocates
    (and frees) millions of short-lived objects - querysets, model instances, rendered
    templates - and the default threshold (a collection every 700 net allocations) spent
    about a twentieth of the CPU walking them (eight view and API modules: 67 s of CPU
    -> 60-64 s, docs/benchmarks.md). Nothing is kept that would not be collected later."""
    gc.set_threshold(100_000, 50, 100)


def pytest_collection_finish(session):
    """What is loaded by now (Django, the project, its libraries, the collected tests) lives
    for the whole run: out of the collector's way (``gc.freeze``)."""
    gc.freeze()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which is not allowed: {report.longrepr}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (make browser installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True, scope="module")
def _seeded_faker_module(request):
    """Data built once for a module draws the same Faker names on every run."""
    from tests.factories import reseed

    reseed(request.module.__name__)


@pytest.fixture(autouse=True)
def _seeded_faker(request):
    """Each test draws the same Faker names on every run, whatever ran before it."""
    from tests.factories import reseed

    reseed(request.node.nodeid)


@pytest.fixture(autouse=True)
def _one_real_worker_test_at_a_time(request):
    """Tests marked ``celery_worker`` start real workers on the one Redis (REDIS_URL): a
    worker of one pytest-xdist process would take (or purge) the tasks another queued for
    its own test database. Whatever module each lands in, they run one at a time: each
    holds an exclusive lock on a file named after REDIS_URL (released by the system if
    the process dies), so other runs on other Redis databases are not held up."""
    if request.node.get_closest_marker("celery_worker") is None:
        yield
        return
    import fcntl
    import hashlib
    import tempfile
    from pathlib import Path

    url = os.environ.get("REDIS_URL", "")
    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"swworkforce-celery-worker-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: pages, users' group names and sessions are
    cached, and ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(role, username=None, teams=())``: an active user holding ``role``."""
    from django.contrib.auth.models import Group

    counter = {"n": 0}

    def _make(role=None, *, username: str | None = None, teams=(), password="pw-for-tests-1"):
        counter["n"] += 1
        name = username or f"user{counter['n']}-{(role or 'none').lower().replace(' ', '-')}"
        user = django_user_model.objects.create_user(username=name, password=password)
        if role is not None:
            user.groups.add(
                Group.objects.get_or_create(name=str(role))[0]
            )  # live_server tests flush the migration-made groups
        for team in teams:
            team.managers.add(user)
        return user

    return _make


@pytest.fixture
def client_as(client, make_user):
    """``client_as(role)``: the test client signed in as a new user with ``role``."""

    def _client(role=None, **kwargs):
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return _client


#: The data migrations' forward functions: what a flush removes and later tests expect
#: (the role groups, the 85% permanence target, the exit interview themes).
SEED_MIGRATIONS = (
    ("workforce.migrations.0002_create_role_groups", "create_groups"),
    ("dashboards.migrations.0002_default_permanence_target", "add_target"),
    ("exits.migrations.0002_seed_themes_and_backfill_exit_records", "forwards"),
)


def _restore_seed_rows() -> None:
    """Put back the data migrations' rows if they are missing (one count query when not)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    from core.roles import Role

    if Group.objects.filter(name__in=[str(r) for r in Role]).count() < len(Role):
        for module, function in SEED_MIGRATIONS:
            getattr(importlib.import_module(module), function)(apps, None)


def _uses_db(item) -> bool:
    from django.test import TransactionTestCase

    return (
        item.get_closest_marker("django_db") is not None
        or isinstance(getattr(item, "instance", None), TransactionTestCase)
        or any(
            name in item.fixturenames
            for name in ("db", "transactional_db", "live_server", "django_db_setup")
        )
    )


@pytest.fixture(autouse=True, scope="module")
def _seed_data_before_a_modules_data(request):
    """The data migrations' rows, before a module's own data (module-scoped fixtures,
    such as the permission matrix's world) is built: the test database is built from the
    models (``--nomigrations`` in pyproject.toml: replaying 95 migrations took each test
    process 10-15 s; ``make test`` first checks that the migrations match the models), and
    another module's transactional test may have flushed them on this worker. A module
    without database tests asks for no database (pytest-django sets one up only for a run
    with database tests, and this must never write to any other)."""
    if not any(item.module is request.module and _uses_db(item) for item in request.session.items):
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        _restore_seed_rows()


@pytest.fixture(autouse=True)
def _seed_data_survives_a_flush(request):
    """A transactional test (live server, real worker, TransactionTestCase) ends by
    flushing every table, the data migrations' rows included; tests after it on the same
    worker (pytest-xdist runs modules in any order) expect them. Before each database test,
    put them back if a flush removed them (one count query when nothing is missing)."""
    if _uses_db(request.node):
        request.getfixturevalue("django_db_setup")  # the test database, never the real one
        with request.getfixturevalue("django_db_blocker").unblock():
            _restore_seed_rows()
    yield


#: The modules that take longest (``make test PYTEST_ARGS=--durations=30``), longest first.
#: They are handed to the workers first: pytest-xdist's ``--dist loadscope`` hands out whole
#: modules, by default the ones with most tests first, which left these one-test modules of
#: a minute or more to the end, one worker busy while the other waited (a third of the run).
LONGEST_FIRST = (
    "tests/browser/test_axe_every_page.py",
    "tests/workforce/test_seed_demo.py",
    "tests/dashboards/forecast/test_demo_backtest.py",
    "tests/workforce/census/test_pay_items.py",
    "tests/pay/test_demo.py",
    "tests/dashboards/test_disclosure.py",
    "tests/workforce/census/test_import_jobs.py",
    "tests/browser/test_dashboards.py",
    "tests/workforce/census/test_hostile_files.py",
    "tests/browser/test_report_pack.py",
    "tests/workforce/census/test_export_round_trip.py",
    "tests/agency/test_demo.py",
    "tests/dashboards/test_snapshots.py",
    "tests/dashboards/reports/test_services_and_pages.py",
    "tests/dashboards/test_kpi_batch.py",
    "tests/dashboards/test_freshness.py",
)


def pytest_collection_modifyitems(config, items):
    """Longest modules first (``LONGEST_FIRST``); the rest in their usual order. With
    ``--no-loadscope-reorder`` (the Makefile) pytest-xdist keeps this order."""
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
