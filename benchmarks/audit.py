"""Issue 17's audit, replayed over HTTP against the production set-up (``make audit``).

Starts what production runs - gunicorn with ``config.settings.production`` (3 workers,
120 s timeout, as ``docker-compose.yml``), a Celery worker, PostgreSQL and a Redis of its
own - on a copy of the demo council, and replays the issue's findings 1-10 as a client
behind the TLS proxy would (``X-Forwarded-Proto: https``, ``X-Forwarded-For``), then
requests every URL as every kind of user. Prints a table: finding, checks run, passed,
failed; and the peak memory of the web and Celery workers during the hostile imports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> make audit

``<db>`` is migrated and seeded with the demo council if empty (the first run takes
minutes; ``AUDIT_SEED_ARGS="--scale 0.2 --years 2"`` seeds a smaller one), then copied
to ``<db>_audit`` (``createdb -T``, seconds) for each run, so every run starts from the
same data and the demo database is never changed. The audit's Redis is a
``redis-server`` it starts on ``AUDIT_REDIS_PORT`` (6391) and stops (finding 2);
gunicorn listens on ``AUDIT_PORT`` (8011). Not part of ``make test``: it is an audit.
Exit status 1 if any check failed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = int(os.environ.get("AUDIT_PORT", "8011"))
REDIS_PORT = int(os.environ.get("AUDIT_REDIS_PORT", "6391"))
HOST = f"127.0.0.1:{PORT}"
BASE = f"http://{HOST}"
ORIGIN = f"https://{HOST}"  # what the browser sees, behind the TLS proxy
PASSWORD = "audit-" + secrets.token_urlsafe(12)
FINDINGS = {
    1: "Imports: bombs, huge numbers, 100k rows",
    2: "Redis down: sign-in and save",
    3: "Worker killed mid-pack",
    4: "Lost update",
    5: "Erased exit text in packs",
    6: "Client address (X-Forwarded-For)",
    7: "Audit gaps and API tokens",
    8: "Formulas in census items",
    9: "Extreme dates",
    10: "Headers, passwords, API errors",
    11: "Every URL x every role",
}
RESULTS: dict[int, list[tuple[str, bool, str]]] = defaultdict(list)
NOT_REPLAYED = {
    5: "the erasure is a nightly task on data older than the retention period; its effect "
    "on packs is tested in tests/dashboards/reports (test_retention*), not replayed here",
}


def check(finding: int, name: str, ok: bool, detail: str = "") -> bool:
    RESULTS[finding].append((name, bool(ok), detail))
    mark = "ok  " if ok else "FAIL"
    print(f"  [{mark}] {finding}. {name}{': ' + detail if detail and not ok else ''}", flush=True)
    return ok


def guarded(finding: int, name: str):
    """Run a group of checks; an unexpected error is one failed check, not the end."""

    def wrap(function):
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:  # report and carry on with the other findings
                check(finding, f"{name} (error)", False, f"{type(error).__name__}: {error}")

        return run

    return wrap


# --- Processes ------------------------------------------------------------------------


def database_urls() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("The audit needs PostgreSQL: set DATABASE_URL=postgres://.../<db>.")
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    audit = f"{name}_audit"
    return url, parsed._replace(path=f"/{audit}").geturl(), audit


def pg_args(url: str) -> list[str]:
    parsed = urlparse(url)
    return [
        "-h",
        parsed.hostname or "127.0.0.1",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
    ]


def prepare_database(url: str, audit_url: str, audit_name: str) -> None:
    """Migrate and seed the demo database (if empty), then copy it for this run."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    env.pop("REDIS_URL", None)  # seeding runs its jobs in-process
    started = time.monotonic()
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    seed = os.environ.get("AUDIT_SEED_ARGS", "").split()  # e.g. "--scale 0.2 --years 2"
    subprocess.run(
        [PY, "manage.py", "seed_demo", "--if-empty", *seed], cwd=ROOT, env=env, check=True
    )
    name = urlparse(url).path.lstrip("/")
    subprocess.run(["dropdb", *pg_args(url), "--if-exists", audit_name], check=True)
    subprocess.run(["createdb", *pg_args(url), "-T", name, audit_name], check=True)
    print(
        f"database {audit_name}: a copy of the demo council in {name} "
        f"({time.monotonic() - started:.0f} s)",
        flush=True,
    )


def wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.3)
    raise RuntimeError(f"nothing listening on port {port} after {timeout:.0f} s")


def app_env(audit_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": audit_url,
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXY_COUNT": "1",  # the audit client is the TLS proxy
    }


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def peak_rss_mb(pids: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among ``pids``, in MB."""
    peak = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak / 1024


class Services:
    """redis-server, gunicorn and a Celery worker, started and stopped by the audit."""

    def __init__(self, env: dict):
        self.env, self.logs = env, ROOT / "benchmarks" / "audit-logs"
        self.logs.mkdir(exist_ok=True)
        self.redis = self.web = self.worker = None

    def _start(self, args, name):
        log = (self.logs / f"{name}.log").open("w")
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start(self) -> None:
        self.redis = self._start(
            ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"], "redis"
        )
        wait_port(REDIS_PORT, 20)
        subprocess.run(
            [PY, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        gunicorn = str(Path(PY).with_name("gunicorn"))
        self.web = self._start(
            [gunicorn, "config.wsgi", "--bind", HOST, "--workers", "3", "--timeout", "120"],
            "gunicorn",
        )
        celery = str(Path(PY).with_name("celery"))
        self.worker = self._start(
            [
                celery,
                "-A",
                "config",
                "worker",
                "--loglevel",
                "info",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
            ],
            "celery",
        )
        wait_port(PORT, 180)

    def web_workers(self) -> list[int]:
        return children(self.web.pid) if self.web else []

    def celery_children(self) -> list[int]:
        return children(self.worker.pid) if self.worker else []

    def stop(self) -> None:
        for process in (self.web, self.worker, self.redis):
            if process and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGCONT)
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


# --- A browser behind the proxy -------------------------------------------------------


class Browser:
    """A client behind the TLS proxy: HTTPS as far as Django knows (so cookies are Secure
    and kept here by hand), its address in ``X-Forwarded-For``."""

    def __init__(self, address: str = "198.51.100.10"):
        import requests

        self.http = requests.Session()
        self.http.trust_env = False
        self.cookies: dict[str, str] = {}
        self.address = address

    def request(
        self,
        method: str,
        path: str,
        *,
        spoof: str | None = None,
        headers=None,
        timeout: float = 150,
        **kwargs,
    ):
        sent = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": f"{spoof}, {self.address}" if spoof else self.address,
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            sent.update({"Origin": ORIGIN, "Referer": ORIGIN + path})
            if "csrftoken" in self.cookies:
                sent["X-CSRFToken"] = self.cookies["csrftoken"]
        sent.update(headers or {})
        response = self.http.request(
            method, BASE + path, headers=sent, allow_redirects=False, timeout=timeout, **kwargs
        )
        for cookie in response.cookies:
            if cookie.value and not (cookie.expires and cookie.expires < time.time()):
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        self.http.cookies.clear()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        data = dict(data or {})
        if "csrftoken" in self.cookies and "json" not in kwargs:
            data.setdefault("csrfmiddlewaretoken", self.cookies["csrftoken"])
        return self.request("POST", path, data=data, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD, **kwargs):
        from django.urls import reverse

        self.get(reverse("login"), **kwargs)
        return self.post(reverse("login"), {"username": username, "password": password}, **kwargs)


def signed_in(response) -> bool:
    return response.status_code == 302 and urlparse(response.headers["Location"]).path == "/"


def follow_job(browser: Browser, path: str, timeout: float = 240):
    """Reload a job's page (as its own refresh does) until it stops saying it is working."""
    deadline = time.monotonic() + timeout
    while True:
        page = browser.get(path)
        if page.status_code == 302:
            path = urlparse(page.headers["Location"]).path
            continue
        if page.status_code >= 500 or "data-job-progress" not in page.text:
            return page
        if time.monotonic() > deadline:
            return page
        time.sleep(1)


# --- The data the audit needs -----------------------------------------------------------


def make_users() -> dict[str, str]:
    """One user per role (``audit-<role>``), the service manager managing a demo team."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import Role
    from workforce.models import Team

    users = {}
    model = get_user_model()
    for kind in ["no-role", *(role.value for role in Role)]:
        username = f"audit-{kind.lower().replace(' ', '-')}"
        user, _ = model.objects.get_or_create(username=username)
        user.set_password(PASSWORD)
        user.first_name, user.last_name = "Audit", kind.title()
        user.save()
        if kind != "no-role":
            user.groups.add(Group.objects.get(name=kind))
        users[kind] = username
    manager = model.objects.get(username=users[Role.SERVICE_MANAGER.value])
    Team.objects.order_by("pk").first().managers.add(manager)
    return users


# --- The findings -----------------------------------------------------------------------


@guarded(10, "headers")
def finding_10(users):
    from django.urls import reverse

    from core.roles import Role
    from workforce.models import Person

    hr = Browser()
    check(10, "HR officer signs in", signed_in(hr.sign_in(users[Role.HR_OFFICER.value])))
    person = Person.objects.order_by("pk").first()
    for path in (
        reverse("workforce:person-detail", args=[person.pk]),
        reverse("workforce-api:person-detail", args=[person.pk]),
    ):
        response = hr.get(path)
        policy = response.headers.get("Content-Security-Policy", "")
        script = re.search(r"script-src ([^;]*)", policy)
        check(
            10,
            f"CSP without inline script on {path}",
            response.status_code == 200
            and script is not None
            and "unsafe-inline" not in script.group(1),
            policy,
        )
        check(
            10,
            f"Cache-Control no-store on {path}",
            "no-store" in response.headers.get("Cache-Control", ""),
        )
    for path in ("/api/people/999999999/", "/api/no-such-endpoint/"):
        response = hr.get(path)
        check(
            10,
            f"API 404 is JSON ({path})",
            response.status_code == 404
            and response.headers.get("Content-Type", "").startswith("application/json"),
            f"{response.status_code} {response.headers.get('Content-Type')}",
        )
    lead = Browser("198.51.100.11")
    lead.sign_in(users[Role.LEAD_MEMBER.value])
    form = lead.get(reverse("password_change"))
    refused = lead.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Lead1234", "new_password2": "Lead1234"},
    )
    check(
        10,
        "8-character password 'Lead1234' refused",
        form.status_code == 200
        and refused.status_code == 200
        and "at least 12 characters" in refused.text,
    )
    check(10, "HSTS sent", "max-age=31536000" in form.headers.get("Strict-Transport-Security", ""))


@guarded(9, "dates")
def finding_9(users):
    from core.roles import Role

    councillor = Browser("198.51.100.12")
    check(
        9,
        "scrutiny member signs in",
        signed_in(councillor.sign_in(users[Role.SCRUTINY_MEMBER.value])),
    )
    for path in (
        "/api/caseload-report/?from=2026-01-01&to=9999-12-31",
        "/api/kpis/?as_of=0001-01-01",
        "/exits/analysis/?end=0001-01-01",
        "/api/exit-summary/?end=0001-01-01",
    ):
        response = councillor.get(path)
        page = not path.startswith("/api/")  # a page shows its filter form with the error
        refused = response.status_code == 400 or (
            page and response.status_code == 200 and "govuk-error-summary" in response.text
        )
        check(
            9,
            f"{path} is refused (400, or the page's error summary) naming the date",
            refused and ("1990" in response.text or "date" in response.text.lower()),
            str(response.status_code),
        )


@guarded(4, "lost update")
def finding_4(users):
    from django.urls import reverse

    from core.roles import Role
    from tests.locking import form_data
    from workforce.models import Person

    sam, jo = Browser("198.51.100.21"), Browser("198.51.100.22")
    sam.sign_in(users[Role.HR_OFFICER.value])
    jo.sign_in(users[Role.ADMIN.value])
    person = Person.objects.order_by("-pk").first()
    first, last = person.first_name, person.last_name
    url = reverse("workforce:person-edit", args=[person.pk])
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    saved = sam.post(url, {**sams, "last_name": last + "-Audit"})
    check(4, "first save goes through", saved.status_code == 302, str(saved.status_code))
    refused = jo.post(url, {**jos, "first_name": first + "-Audit"})
    check(
        4,
        "second save refused with who changed what",
        refused.status_code == 200 and "changed this record at" in refused.text,
    )
    person.refresh_from_db()
    check(
        4,
        "nothing reverted, nothing lost",
        (person.first_name, person.last_name) == (first, last + "-Audit"),
    )
    without = dict(form_data(jo.get(url)))
    without.pop("version")
    missing = jo.post(url, {**without, "first_name": first + "-Audit"})
    check(
        4,
        "a form without its version is refused",
        missing.status_code == 200 and "did not say which version" in missing.text,
    )
    api = jo.request(
        "PATCH",
        reverse("workforce-api:person-detail", args=[person.pk]),
        json={"first_name": first + "-Audit"},
    )
    check(
        4,
        "API PATCH without version or If-Match is a 428",
        api.status_code == 428 and "If-Match" in api.text,
        str(api.status_code),
    )


@guarded(6, "client address")
def finding_6(users):
    from auditlog.models import LogEntry
    from django.urls import reverse

    from core.roles import Role
    from exits import services as exit_services
    from exits.models import ExitRecord
    from tests.locking import form_data
    from workforce.models import Person

    hr = Browser("198.51.100.31")
    hr.sign_in(users[Role.HR_OFFICER.value])
    person = Person.objects.order_by("pk")[1]
    url = reverse("workforce:person-edit", args=[person.pk])
    data = form_data(hr.get(url))
    hr.post(url, {**data, "last_name": person.last_name + "-Addr"}, spoof="6.6.6.6")
    entry = LogEntry.objects.filter(object_pk=str(person.pk)).latest("timestamp")
    check(
        6,
        "audit log records the address through the proxy, not 6.6.6.6",
        entry.remote_addr == "198.51.100.31",
        str(entry.remote_addr),
    )
    director = users[Role.DIRECTOR.value]
    attacker = Browser("203.0.113.66")
    for _ in range(5):
        attacker.sign_in(director, "wrong-password-x", spoof="6.6.6.6")
    locked = Browser("203.0.113.66").sign_in(director)
    check(
        6, "the guessing address is locked out", locked.status_code == 429, str(locked.status_code)
    )
    check(
        6,
        "the director still signs in from their own address",
        signed_in(Browser("198.51.100.32").sign_in(director, spoof="203.0.113.66")),
    )
    record = ExitRecord.objects.filter(questionnaire__isnull=True).order_by("-pk").first()
    _, token = exit_services.questionnaire_link_create(exit_record=record)
    guesser = Browser("203.0.113.67")
    statuses = [
        guesser.get(reverse("exits:questionnaire", kwargs={"token": f"guess{n}x"})).status_code
        for n in range(26)
    ]
    check(
        6, "26 bad exit links from one client are limited", statuses[-1] == 429, str(statuses[-3:])
    )
    leaver = Browser("198.51.100.33").get(
        reverse("exits:questionnaire", kwargs={"token": token}), spoof="203.0.113.67"
    )
    check(
        6, "another leaver's link still opens", leaver.status_code == 200, str(leaver.status_code)
    )


@guarded(7, "audit and tokens")
def finding_7(users):
    from auditlog.models import LogEntry
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from knox.models import AuthToken

    from core.roles import Role

    model = get_user_model()
    user = model.objects.get(username=users[Role.HR_OFFICER.value])
    before = LogEntry.objects.count()
    user.groups.add(Group.objects.get(name=Role.DIRECTOR.value))
    grant = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk=str(user.pk)
        )
        .order_by("-timestamp")
        .first()
    )
    check(7, "granting a role is audited", LogEntry.objects.count() > before and grant is not None)
    user.groups.remove(Group.objects.get(name=Role.DIRECTOR.value))
    client = Browser("198.51.100.41")
    issued = client.request(
        "POST",
        reverse("workforce-api:token"),
        json={"username": user.username, "password": PASSWORD},
    )
    token = issued.json().get("token", "") if issued.status_code == 200 else ""
    check(7, "a token is issued", bool(token), str(issued.status_code))
    stored = AuthToken.objects.filter(user=user)
    check(
        7,
        "the token is stored hashed, not in plain text",
        stored.exists() and not any(token in (t.digest, t.token_key) for t in stored),
    )
    check(7, "tokens expire", all(t.expiry is not None for t in stored))
    api = {"Authorization": f"Token {token}"}
    check(7, "the token works", client.get("/api/people/", headers=api).status_code == 200)
    browser = Browser("198.51.100.42")
    browser.sign_in(user.username)
    new = "audit-" + secrets.token_urlsafe(16)
    changed = browser.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    check(7, "password changed", changed.status_code == 302, str(changed.status_code))
    check(
        7,
        "the token stops working after the password change",
        client.get("/api/people/", headers=api).status_code == 401,
    )
    user.set_password(PASSWORD)
    user.save()


@guarded(8, "formulas")
def finding_8(users):
    from django.urls import reverse

    from core.roles import Role
    from workforce.models import Person

    hr = Browser("198.51.100.51")
    hr.sign_in(users[Role.HR_OFFICER.value])
    person = Person.objects.order_by("pk")[2]
    for value in ("=cmd|' /C calc'!A0", "+SUM(A1)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")'):
        response = hr.request(
            "PATCH",
            reverse("workforce-api:person-detail", args=[person.pk]),
            json={"qualification_institution": value, "version": person.version},
        )
        check(
            8,
            f"census item {value!r} refused with a reason",
            response.status_code == 400 and "formula" in response.text,
            str(response.status_code),
        )


@guarded(1, "imports")
def finding_1(users, services):
    from django.urls import reverse

    from benchmarks.hostile_imports import dimension_bomb, inflation_bomb
    from core.roles import Role
    from tests.workforce.census.helpers import employed, return_xml

    hr = Browser("198.51.100.61")
    hr.sign_in(users[Role.HR_OFFICER.value])

    def census(name: str, data: bytes, filename: str, expect: str):
        started = time.monotonic()
        response = hr.post(reverse("census:upload"), files={"file": (filename, data)})
        if response.status_code == 302:  # stored; the worker checks it
            page = follow_job(hr, urlparse(response.headers["Location"]).path)
        else:  # refused on upload (size)
            page = response
        seconds = time.monotonic() - started
        refused = expect in page.text or "govuk-error-summary" in page.text
        return check(
            1,
            f"{name}: refused with a message in {seconds:.0f} s",
            page.status_code == 200 and refused,
            f"{page.status_code}: {page.text[:200]!r}",
        )

    declared = dimension_bomb()
    census(
        f"XLSX declaring A1:XFD1048576 ({len(declared)} B)",
        declared,
        "bomb.xlsx",
        "cannot be imported",
    )
    bomb = inflation_bomb()
    census(
        f"XLSX inflating to 198 MB ({len(bomb) >> 10} KB)", bomb, "zip.xlsx", "cannot be imported"
    )
    for item, value in [
        ("Cases30", "1E+10000000"),
        ("GenderCurrent", "\u00b2"),
        ("WorkingDaysLost", "9999999999999999999.5"),
        ("Cases30", "99999999999"),
        ("Cases30", "2147483648"),
        ("Cases30", "9" * 5000),
        ("Cases30", "\u0661\u0662"),
    ]:
        data = return_xml(2023, [employed("SW1", "2020-01-06", **{item: value})])
        census(f"<{item}>{value[:16]}</{item}>", data, "return.xml", "cannot be imported")
    for value in ("\u00b2", "2147483648", "\u0661\u0662"):
        response = hr.post(
            reverse("census:caseloads-upload"),
            files={"file": ("c.csv", f"SWENo,Date,Cases\nSW1,2023-09-04,{value}\n")},
        )
        page = follow_job(hr, urlparse(response.headers.get("Location", "/")).path)
        check(
            1,
            f"caseload {value!r} refused with a message",
            page.status_code == 200 and "The caseloads cannot be imported" in page.text,
            str(page.status_code),
        )
    rows, data = caseload_file()
    started = time.monotonic()
    response = hr.post(reverse("census:caseloads-upload"), files={"file": ("big.csv", data)})
    page = follow_job(hr, urlparse(response.headers.get("Location", "/")).path, timeout=400)
    seconds = time.monotonic() - started
    check(
        1,
        f"{rows:,}-row caseload CSV ({len(data) >> 20} MB) imported through the browser "
        f"in {seconds:.0f} s",
        f"{rows} rows imported" in page.text,
        page.text[:300],
    )


def caseload_file() -> tuple[int, bytes]:
    """100,000 caseload rows: 1,000 workers (added to the copy) over 100 weeks."""
    import datetime as dt
    from decimal import Decimal

    from workforce.choices import ChangeReason, ContractType
    from workforce.models import Assignment, Employment, Person, Team

    team = Team.objects.order_by("pk").first()
    people = Person.objects.bulk_create(
        Person(swe_number=f"SWAUDIT{n}", first_name="Audit", last_name=f"W{n}") for n in range(1000)
    )
    employments = Employment.objects.bulk_create(
        Employment(person=p, contract_type=ContractType.PERMANENT, start_date=dt.date(2020, 1, 6))
        for p in people
    )
    Assignment.objects.bulk_create(
        Assignment(
            employment=e,
            effective_from=dt.date(2020, 1, 6),
            team=team,
            org_role=5,
            fte=Decimal(1),
            change_reason=ChangeReason.START,
        )
        for e in employments
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["SWENo", "Date", "Cases", "Team"])
    for week in range(100):
        monday = dt.date(2022, 1, 3) + dt.timedelta(weeks=week)
        for n, person in enumerate(people):
            writer.writerow([person.swe_number, monday.isoformat(), n % 30, team.name])
    return 100_000, out.getvalue().encode()


@guarded(3, "worker lost")
def finding_3(users, services):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from core.roles import Role
    from dashboards.models import ReportPack
    from dashboards.reports.services import report_pack_create

    director = get_user_model().objects.get(username=users[Role.DIRECTOR.value])
    today = dt.date.today()
    pack = report_pack_create(
        user=director,
        start=today - dt.timedelta(days=365),
        end=today,
        scope="all",
        sections=["summary", "leavers", "appendix"],
    )
    # (queued at once: outside a transaction, on_commit runs immediately)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if pack.status == ReportPack.Status.RUNNING and pack.progress > 1:
            break
        time.sleep(0.2)
    pool = services.celery_children()
    check(
        3,
        "the pack is being built by the worker",
        pack.status == "running" and bool(pool),
        pack.status,
    )
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    while time.monotonic() - killed < 300:
        pack.refresh_from_db()
        if pack.status in (ReportPack.Status.DONE, ReportPack.Status.FAILED):
            break
        time.sleep(1)
    seconds = time.monotonic() - killed
    check(
        3,
        f"after the kill, redelivered and finished in {seconds:.0f} s",
        pack.status == ReportPack.Status.DONE,
        f"{pack.status} {pack.error_message}",
    )


@guarded(2, "redis down")
def finding_2(users, services):
    from django.urls import reverse

    from core.roles import Role
    from tests.locking import form_data
    from workforce.models import Person

    person = Person.objects.order_by("pk")[3]
    url = reverse("workforce:person-edit", args=[person.pk])
    for state, sig in (("never answering", signal.SIGSTOP), ("down", signal.SIGKILL)):
        if sig == signal.SIGKILL:
            os.kill(services.redis.pid, signal.SIGCONT)
        os.kill(services.redis.pid, sig)
        hr = Browser("198.51.100.71")
        started = time.monotonic()
        response = hr.sign_in(users[Role.HR_OFFICER.value])
        seconds = time.monotonic() - started
        check(
            2,
            f"Redis {state}: HR officer signs in ({seconds:.1f} s)",
            signed_in(response) and seconds < 10,
            str(response.status_code),
        )
        person.refresh_from_db()
        new = f"{person.last_name.split('-')[0]}-{state.split()[0]}"
        page = hr.get(url)
        started = time.monotonic()
        saved = hr.post(url, {**form_data(page), "last_name": new})
        seconds = time.monotonic() - started
        person.refresh_from_db()
        check(
            2,
            f"Redis {state}: the HR save is kept ({seconds:.1f} s)",
            saved.status_code == 302 and person.last_name == new,
            str(saved.status_code),
        )


@guarded(11, "matrix")
def url_matrix(users):
    """Every URL of the project as every kind of user (tests/test_permission_matrix.py's
    expectations, over HTTP): anonymous, signed in with no role, and each role."""
    from django.conf import settings
    from django.shortcuts import resolve_url
    from django.urls import reverse

    from core.roles import Role
    from tests import test_permission_matrix as matrix

    world = matrix.build_world()
    world.team.managers.add(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username=users[Role.SERVICE_MANAGER.value])
    )
    browsers = {"anonymous": Browser("198.51.100.90")}
    for n, kind in enumerate(["no-role", *(role.value for role in Role)]):
        browsers[kind] = Browser(f"198.51.100.{100 + n}")
        browsers[kind].sign_in(users[kind])
    kinds = ["anonymous", "no-role", *(role.value for role in Role)]
    names = [n for n in sorted(matrix.URLS) if n in matrix.EXPECTED]
    paths = {}
    for name in names:
        access = matrix.EXPECTED[name]
        kwargs = access.kwargs(world) if access.kwargs else {}
        paths[name] = reverse(name, kwargs=kwargs) + access.query
    login = resolve_url(settings.LOGIN_URL)

    def as_kind(kind: str) -> list[str]:
        """Every URL as one kind of user (one browser, in one thread)."""
        wrong = []
        for name in names:
            expected = matrix._expected_status(matrix.EXPECTED[name], kind)
            response = browsers[kind].get(paths[name])
            status = response.status_code
            if expected == "redirect to sign-in":
                location = urlparse(response.headers.get("Location", "")).path
                ok = status == 302 and location == login
            elif expected == "401/403":
                ok = status in (401, 403)
            elif expected == 404 and status == 200 and not str(kind).startswith(("anon", "no-")):
                # a role that may open it: the tests' empty world has no data (404), the
                # demo council has (200) - access is what is checked here
                ok = Role(kind) in matrix.EXPECTED[name].roles
            else:
                ok = status == expected
            if not ok:
                wrong.append(f"{name} as {kind}: {status} (expected {expected})")
        return wrong

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:  # gunicorn's 3 workers
        unexpected = [line for wrong in pool.map(as_kind, kinds) for line in wrong]
    count = len(names) * len(kinds)
    check(
        11,
        f"{count} URL x role requests, {len(unexpected)} unexpected",
        not unexpected,
        "; ".join(unexpected[:10]),
    )


# --- Main -------------------------------------------------------------------------------


def table(peaks: dict[str, float], seconds: float) -> str:
    lines = [f"{'finding':44s} {'checks':>6s} {'passed':>6s} {'failed':>6s}"]
    for number, title in FINDINGS.items():
        results = RESULTS.get(number, [])
        passed = sum(ok for _, ok, _ in results)
        if number in NOT_REPLAYED and not results:
            lines.append(f"{number:2d}. {title:40s} {'-':>6s} {'-':>6s} {'-':>6s}  not replayed")
            continue
        lines.append(
            f"{number:2d}. {title:40s} {len(results):6d} {passed:6d} {len(results) - passed:6d}"
        )
    total = [ok for results in RESULTS.values() for _, ok, _ in results]
    lines.append(f"{'total':44s} {len(total):6d} {sum(total):6d} {len(total) - sum(total):6d}")
    for label, mb in peaks.items():
        lines.append(f"peak RSS, {label}: {mb:.0f} MB")
    lines.append(f"audit time: {seconds:.0f} s")
    for number, why in NOT_REPLAYED.items():
        lines.append(f"finding {number} not replayed: {why}")
    return "\n".join(lines)


def main() -> int:
    for tool in ("redis-server", "createdb", "dropdb"):
        if not shutil.which(tool):
            sys.exit(f"The audit needs {tool} on PATH.")
    url, audit_url, audit_name = database_urls()
    prepare_database(url, audit_url, audit_name)
    env = app_env(audit_url)
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "SECRET_KEY",
                "DATABASE_URL",
                "REDIS_URL",
                "ALLOWED_HOSTS",
                "TRUSTED_PROXY_COUNT",
            )
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    started = time.monotonic()
    services = Services(env)
    peaks: dict[str, float] = {}
    try:
        services.start()
        print(
            f"gunicorn on {BASE} (production settings), Celery worker, Redis on {REDIS_PORT}",
            flush=True,
        )
        users = make_users()
        finding_10(users)
        finding_9(users)
        finding_4(users)
        finding_6(users)
        finding_7(users)
        finding_8(users)
        url_matrix(users)
        before = peak_rss_mb(services.web_workers()), peak_rss_mb(services.celery_children())
        finding_1(users, services)
        peaks = {
            "web workers (gunicorn) before the imports": before[0],
            "web workers (gunicorn) after the imports": peak_rss_mb(services.web_workers()),
            "Celery worker before the imports": before[1],
            "Celery worker after the imports": peak_rss_mb(services.celery_children()),
        }
        finding_3(users, services)
        finding_2(users, services)
    finally:
        services.stop()
    print()
    print(table(peaks, time.monotonic() - started))
    return 0 if all(ok for results in RESULTS.values() for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
