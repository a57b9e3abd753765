"""Production setup: docker-compose.yml, .env.example and the production settings agree,
``check --deploy`` passes with the required environment, and production refuses to start
without a real secret key.

Docker is not needed: the compose file is parsed, and settings are loaded in subprocesses.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
APP_SERVICES = ("web", "worker", "beat")
# Read only by the bundled postgres container, never by the app.
POSTGRES_CONTAINER_VARIABLES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}
# "${NAME}", "${NAME:-default}", "${NAME:?message}", "$NAME" - but not "$$NAME" (escaped).
INTERPOLATION = re.compile(r"(?<!\$)\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def production_env_variables() -> set[str]:
    """config.settings.production.ENV_VARIABLES, read in a subprocess with a valid env."""
    out = _run(
        "from django.conf import settings; print(' '.join(settings.ENV_VARIABLES))",
        env=_production_env(),
    )
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def _production_env(**overrides: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL="postgres://workforce:password@127.0.0.1:5432/workforce",
        REDIS_URL="redis://127.0.0.1:6379/15",
        ALLOWED_HOSTS="workforce.example.gov.uk",
        CSRF_TRUSTED_ORIGINS="https://workforce.example.gov.uk",
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _run(code: str, *, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _variables_in(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_variables_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_variables_in(v) for v in value)) if value else set()
    if isinstance(value, str):
        return set(INTERPOLATION.findall(value))
    return set()


def env_example_variables() -> set[str]:
    names = set()
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "=" in line, f".env.example: not NAME=value: {line!r}"
            names.add(line.split("=", 1)[0].strip())
    return names


@pytest.fixture(scope="module")
def env_variables() -> set[str]:
    return production_env_variables()


# --- compose and .env.example agree with the settings -------------------------------------


def test_compose_has_the_production_services_with_healthchecks():
    services = compose()["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], f"{name} has no healthcheck"
    web = " ".join(services["web"]["command"])
    assert "migrate" in web and "collectstatic" in web and "gunicorn config.wsgi" in web
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_worker_and_beat_reuse_the_web_service_definition():
    services = compose()["services"]
    for name in ("worker", "beat"):
        for key in ("image", "build", "environment"):
            assert services[name][key] == services["web"][key], f"{name}.{key} differs from web"


def test_app_services_pass_exactly_the_variables_the_settings_read(env_variables):
    services = compose()["services"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        keys = set(environment)
        used = _variables_in(services[name]) - {"HOSTNAME"}  # HOSTNAME: set by Docker
        assert keys == env_variables, (
            f"{name}: environment keys and ENV_VARIABLES differ: "
            f"only in compose {sorted(keys - env_variables)}, "
            f"only in settings {sorted(env_variables - keys)}"
        )
        assert used <= env_variables, f"{name} uses unknown variables {sorted(used - keys)}"
        for key, value in environment.items():
            assert _variables_in(value) == {key}, f"{name}: {key} is set from {value!r}"


def test_every_compose_variable_is_known(env_variables):
    used = _variables_in(compose()) - {"HOSTNAME"}
    unknown = used - env_variables - POSTGRES_CONTAINER_VARIABLES
    assert not unknown, f"docker-compose.yml uses variables nobody declares: {sorted(unknown)}"
    assert _variables_in(compose()["services"]["postgres"]) == POSTGRES_CONTAINER_VARIABLES


def test_env_example_lists_every_variable_and_nothing_else(env_variables):
    listed = env_example_variables()
    assert listed - POSTGRES_CONTAINER_VARIABLES == env_variables, (
        f"only in .env.example {sorted(listed - POSTGRES_CONTAINER_VARIABLES - env_variables)}, "
        f"missing from .env.example {sorted(env_variables - listed)}"
    )
    assert listed >= POSTGRES_CONTAINER_VARIABLES


def test_the_env_example_database_url_matches_the_postgres_container():
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    expected = (
        f"postgres://{values['POSTGRES_USER']}:{values['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{values['POSTGRES_DB']}"
    )
    assert values["DATABASE_URL"] == expected


def test_env_example_holds_no_usable_secret():
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert "change-me" in values["SECRET_KEY"]
    refused = _run("pass", env=_production_env(SECRET_KEY=values["SECRET_KEY"]))
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr


# --- production settings -------------------------------------------------------------


def test_check_deploy_passes_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output


@pytest.mark.parametrize(
    "secret_key",
    [None, "", "short-key", "insecure-local-key-do-not-use-in-production" + "x" * 20],
    ids=["missing", "empty", "too-short", "the-local-default"],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = _run("pass", env=_production_env(SECRET_KEY=secret_key))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("variable", ["DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_required_services(variable):
    result = _run("pass", env=_production_env(**{variable: None}))
    assert result.returncode != 0
    assert variable in result.stderr
