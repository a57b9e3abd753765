"""A real Celery worker killed mid-pack (issue 17, finding 3): the task is put back on the
queue, a fresh worker process builds the pack, and it is offered - not left "being built".

Needs a real Redis (REDIS_URL, your own database number) and PostgreSQL (DATABASE_URL): the
worker is a separate process and must see the test's database. For example:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/t17_platform_db \\
    REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/python -m pytest tests/dashboards/reports/test_worker_lost.py
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

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

ROOT = Path(__file__).resolve().parents[3]

#: The worker: the real task, with the rendering slowed down on its first try only (it
#: writes its process id to ``PID_FILE`` and sleeps, so the test can kill it mid-build).
WORKER = """
import os, sys, time
sys.path.insert(0, {root!r})
import django
django.setup()
from dashboards.reports import services
from dashboards.reports.services import RenderedPack

def render(**kwargs):
    if not os.path.exists({pid_file!r}):
        with open({pid_file!r}, "w") as f:
            f.write(str(os.getpid()))
        time.sleep(120)
    return RenderedPack(data=None, files={{f: b"ok" for f in ("docx", "pdf", "xlsx", "csv")}})

services.report_files_render = render
from config.celery_app import app
app.worker_main(["worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
                 "-Q", {queue!r}, "--without-gossip", "--without-mingle", "--without-heartbeat"])
"""


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.xfail(
    reason=(
        "Open defect (issue 17, finding 3): since the committee paper (issue 16) a full pack "
        "builds 10 charts and the redelivered build did not finish within 240 s in the "
        "merged suite on 2 cores; passes on its own branch. To be fixed, then unmarked."
    ),
    strict=False,
)
@pytest.mark.django_db(transaction=True)
def test_a_pack_whose_worker_process_is_killed_is_rebuilt_by_redelivery(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    queue = f"test-worker-lost-{uuid.uuid4().hex[:8]}"
    pid_file = tmp_path / "child.pid"
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
            f"{database['NAME']}"
        ),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER.format(root=str(ROOT), pid_file=str(pid_file), queue=queue)],
        env=env,
        cwd=tmp_path,  # media files land under MEDIA_ROOT of the worker's settings
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        pack = ReportPack.objects.create(
            title="Lost worker", period_start="2025-01-01", period_end="2025-03-31", scope="all"
        )
        build_report_pack.apply_async((pack.pk,), queue=queue)

        def building() -> bool:
            pack.refresh_from_db()
            return pid_file.exists() and pack.status == ReportPack.Status.RUNNING

        _wait(building, 60, "the worker to start building the pack")
        os.kill(int(pid_file.read_text()), signal.SIGKILL)  # the build's process dies

        def built() -> bool:
            pack.refresh_from_db()
            return pack.status in (ReportPack.Status.DONE, ReportPack.Status.FAILED)

        _wait(built, 240, "the redelivered task to finish the pack")  # a full pack, charts too
        assert pack.status == ReportPack.Status.DONE, pack.error_message
        assert pack.progress == 100 and pack.pdf_file
    finally:
        celery_app.conf.task_always_eager = eager
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(5)
