"""A real Celery worker killed mid-pack (issue 17, finding 3): the task is put back on the
queue at once, a fresh worker process builds the pack, and it is offered - not left
"being built".

Needs a real Redis (REDIS_URL, your own database number) and PostgreSQL (DATABASE_URL): the
worker is a separate process and must see the test's database. For example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/t17_platform_db \\
    REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python -m pytest -n 0 tests/dashboards/reports/test_worker_lost.py

How long it takes, and why (measured on the shared 2-core machine, under load): the worker
is this test process forked, so it starts in a few seconds instead of importing Django and
every app again in a new interpreter (55 s under load); the redelivered build renders the
real Word, PDF, Excel and CSV files without the charts (a full pack's charts take 20 s or
more and have their own tests) in a few seconds. A redelivery itself takes about 2 s: the
killed task is rejected and requeued at once (``reject_on_worker_lost``), not left for the
broker's visibility timeout.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import uuid

import pytest
from django.db import connections

from config.celery_app import app as celery_app
from dashboards.models import ReportPack
from dashboards.tasks import build_report_pack

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL")
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs REDIS_URL and a PostgreSQL DATABASE_URL (CI sets both)",
    ),
]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _run_worker(queue: str, pid_file, log) -> None:
    """In the forked child: a real prefork worker (one pool process) on ``queue``. The
    build's first try writes its process id to ``pid_file`` and sleeps, so the test can
    kill it mid-build; the redelivered try builds the real files (without the charts)."""
    try:
        os.setsid()  # its own process group, stopped as one
        with open(log, "w") as out:
            os.dup2(out.fileno(), 1)
            os.dup2(out.fileno(), 2)
        sys.stdout = sys.__stdout__ = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = sys.__stderr__ = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
        from dashboards.reports import services

        real_render = services.report_files_render

        def render(**kwargs):
            if not pid_file.exists():
                pid_file.write_text(str(os.getpid()))
                time.sleep(120)
            return real_render(**{**kwargs, "include_charts": False})

        services.report_files_render = render
        celery_app.worker_main(
            ["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO", "-Q", queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat"]
        )  # fmt: skip
    except BaseException as error:  # report it in the log, and never return into pytest
        print(f"worker stopped: {error!r}", file=sys.stderr)
    finally:
        os._exit(0)


@pytest.mark.django_db(transaction=True)
def test_a_pack_whose_worker_process_is_killed_is_rebuilt_by_redelivery(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"test-worker-lost-{uuid.uuid4().hex[:8]}"
    pid_file = tmp_path / "child.pid"
    log = tmp_path / "worker.log"
    # What the build renders with, loaded once here so the forked worker has it at once.
    from dashboards.reports import docx, pdf, xlsx  # noqa: F401

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    connections.close_all()  # the child opens its own connection to the test database
    # Forked (multiprocessing runs the libraries' after-fork clean-ups in the child).
    worker = multiprocessing.get_context("fork").Process(
        target=_run_worker, args=(queue, pid_file, log), daemon=False
    )
    started = time.monotonic()
    worker.start()
    try:
        pack = ReportPack.objects.create(
            title="Lost worker", period_start="2025-01-01", period_end="2025-03-31", scope="all"
        )
        build_report_pack.apply_async((pack.pk,), queue=queue)

        def building() -> bool:
            pack.refresh_from_db()
            return pid_file.exists() and pack.status == ReportPack.Status.RUNNING

        _wait(building, 90, "the worker to start building the pack")
        os.kill(int(pid_file.read_text()), signal.SIGKILL)  # the build's process dies
        killed = time.monotonic()
        print(f"worker started and building after {killed - started:.1f} s")

        def built() -> bool:
            pack.refresh_from_db()
            return pack.status in (ReportPack.Status.DONE, ReportPack.Status.FAILED)

        _wait(built, 90, "the redelivered task to finish the pack")  # seconds, normally
        assert pack.status == ReportPack.Status.DONE, pack.error_message
        assert pack.progress == 100
        assert pack.pdf_file.open("rb").read(5) == b"%PDF-"  # the real files, from the rerun
        assert time.monotonic() - killed < 60  # redelivered at once, not after a timeout
        print(f"redelivered and built {time.monotonic() - killed:.1f} s after the kill")
    except AssertionError as failure:
        shown = log.read_text()[-4000:] if log.exists() else "(none)"
        raise AssertionError(f"{failure}\n--- the worker's log:\n{shown}") from None
    finally:
        celery_app.conf.task_always_eager = eager
        _stop(worker)


def _stop(worker) -> None:
    """Stop the worker and its pool process (its process group): warm shutdown, then kill."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
        try:
            os.killpg(worker.pid, sig)
        except ProcessLookupError:  # gone already (or not yet its own group)
            worker.terminate()
        worker.join(wait)
        if not worker.is_alive():
            return
