"""Degrade, do not die (issue 17, finding 2): the site keeps working when Redis fails.

These tests start a Redis server of their own on a spare port, point the production cache
(``config.cache.RedisCache`` with the production socket timeouts) and the ``cached_db``
sessions at it, then really stop it - or replace it with a server that accepts connections
and never answers - and check that people still sign in and an HR officer's save is kept.
With the database down, a plain maintenance page (503) is shown, not a traceback.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import reverse

from config import cache as config_cache
from core.roles import Role, user_roles
from tests.factories import TeamFactory
from tests.workforce.test_views import STARTER, starter_data
from workforce.models import Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]

PASSWORD = "a-long-password-for-tests-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A throwaway ``redis-server`` on a free port, stopped by ``stop()``."""

    def __init__(self):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def production_cache(url: str):
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": url,
                "OPTIONS": settings.REDIS_CACHE_OPTIONS,
            }
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    )


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated, "the sign-in failed"
    return client


def save_a_starter(client: Client, team, last_name: str) -> None:
    n = Person.objects.count()
    data = starter_data(team, last_name=last_name, swe_number=f"SW65{n:04d}", staff_ref=f"E{n}")
    response = client.post(STARTER, data, follow=True)
    assert response.status_code == 200
    assert Person.objects.filter(last_name=last_name).exists(), "the HR save was lost"


@pytest.fixture
def hr_officer(make_user):
    return make_user(Role.HR_OFFICER, username="hr.down", password=PASSWORD)


def test_with_redis_stopped_people_sign_in_and_an_hr_save_is_kept(redis_server, hr_officer, caplog):
    team = TeamFactory()
    with production_cache(redis_server.url):
        cache.clear()
        signed_in_before = sign_in("hr.down")
        save_a_starter(signed_in_before, team, "Before")
        assert cache.get(f"workforce:group-names:{hr_officer.pk}") is not None  # Redis in use

        redis_server.stop()

        save_a_starter(signed_in_before, team, "During")  # the session from the database
        assert signed_in_before.get(reverse("workforce:person-list")).status_code == 200
        fresh = sign_in("hr.down")
        save_a_starter(fresh, team, "Fresh")
    assert "Cache unavailable" in caplog.text


def test_with_redis_never_answering_a_sign_in_and_save_take_seconds_not_minutes(hr_officer, caplog):
    silent = socket.socket()  # accepts connections (the kernel's backlog), never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(50)
    team = TeamFactory()
    try:
        with production_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            started = time.monotonic()
            client = sign_in("hr.down")
            save_a_starter(client, team, "Silent")
            took = time.monotonic() - started
    finally:
        silent.close()
    assert took < 6, f"took {took:.1f}s"
    assert "Cache unavailable" in caplog.text


def test_role_lookup_falls_back_to_the_database_when_the_cache_fails(redis_server, hr_officer):
    with production_cache(redis_server.url):
        redis_server.stop()
        hr_officer.refresh_from_db()
        assert user_roles(hr_officer) == {Role.HR_OFFICER}


def test_after_a_failure_the_cache_is_skipped_for_a_while_then_tried_again(redis_server):
    backend = config_cache.RedisCache(redis_server.url, {"OPTIONS": settings.REDIS_CACHE_OPTIONS})
    backend.set("k", 1)
    redis_server.stop()
    assert backend.get("k", "fallback") == "fallback"
    assert backend.add("k", 2) is False
    with pytest.raises(ValueError):
        backend.incr("k")
    assert backend._down_until > time.monotonic()
    backend._down_until = 0  # the pause is over: Redis is asked again (and still fails)
    assert backend.get_many(["k"]) == {}


def test_a_report_pack_that_cannot_be_queued_says_so(client_as, settings):
    """Queueing fails fast with the broker gone and the pack says so (not "being built")."""
    from config.celery_app import app
    from dashboards.models import ReportPack
    from dashboards.reports.services import _queue_build

    director = client_as(Role.DIRECTOR)
    pack = ReportPack.objects.create(
        title="t", period_start="2025-01-01", period_end="2025-03-31", scope="all"
    )
    conf = app.conf
    old = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = f"redis://127.0.0.1:{_free_port()}/0", False
    app._pool, app.amqp._producer_pool = None, None
    try:
        started = time.monotonic()
        _queue_build(pack.pk)
    finally:
        conf.broker_url, conf.task_always_eager = old
        app._pool, app.amqp._producer_pool = None, None
    pack.refresh_from_db()
    assert time.monotonic() - started < 15
    assert pack.status == ReportPack.Status.FAILED
    assert "could not be queued" in pack.error_message
    assert director  # a director would see this message on the pack's page


@override_settings(DEBUG=False)
def test_with_the_database_down_a_maintenance_page_is_shown(client_as, monkeypatch):
    from django.db import connection

    client = client_as(Role.HR_OFFICER)
    client.raise_request_exception = False

    def down(*args, **kwargs):
        raise OperationalError('connection to server at "db" failed: Connection refused')

    monkeypatch.setattr(connection, "ensure_connection", down)
    monkeypatch.setattr(connection, "cursor", down)
    response = client.get(reverse("workforce:person-list"))
    assert response.status_code == 503
    body = response.content.decode()
    assert "temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
    assert response["Retry-After"]


def test_jobs_are_redelivered_when_their_worker_dies_and_never_while_they_run():
    """Finding 3: late acks rejected on a lost worker; the broker's visibility timeout is
    longer than any task may run (else a running task would be delivered twice)."""
    from config.celery_app import app
    from dashboards.tasks import REPORT_PACK_TIME_LIMIT, build_report_pack

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    visibility = conf.broker_transport_options["visibility_timeout"]
    assert visibility > conf.task_time_limit >= REPORT_PACK_TIME_LIMIT
    assert build_report_pack.acks_late and build_report_pack.reject_on_worker_lost
    assert build_report_pack.time_limit == REPORT_PACK_TIME_LIMIT
    sweep = settings.CELERY_BEAT_SCHEDULE["fail-stuck-report-packs"]["schedule"]
    assert sweep.minute == set(range(0, 60, 5))  # a lost pack is failed within 15 minutes


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL; CI sets it)",
)
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_unreachable_the_maintenance_page_is_shown(make_user):
    """The real thing: the connection goes to a port nobody listens on."""
    from django.db import connection

    make_user(Role.HR_OFFICER, username="hr.pg", password=PASSWORD)
    client = sign_in("hr.pg")
    client.raise_request_exception = False
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(_free_port())
    try:
        response = client.get(reverse("workforce:person-list"))
        login_page = Client(raise_request_exception=False).post(
            reverse("login"), {"username": "hr.pg", "password": PASSWORD}
        )
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    for answer in (response, login_page):
        assert answer.status_code == 503
        assert b"temporarily unavailable" in answer.content
        assert b"Traceback" not in answer.content
