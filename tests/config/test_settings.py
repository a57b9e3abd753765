"""Production setup: docker-compose.yml, .env.example and the production settings agree,
``check --deploy`` passes with the required environment, and production refuses to start
without a real secret key.

Docker is not needed: the compose file is parsed, and settings are loaded in subprocesses.
"""

from __future__ import annotations

import json
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


#: Loads the production settings afresh for each named environment (JSON on stdin) and
#: prints what happened: the error that refused it, or the variables it reads.
SETTINGS_LOADER = """
import importlib, json, os, sys

outcomes = {}
for name, env in json.load(sys.stdin).items():
    os.environ.clear()
    os.environ.update(env)
    for module in [m for m in sys.modules if m.startswith("config.settings")]:
        del sys.modules[module]
    try:
        settings = importlib.import_module(env["DJANGO_SETTINGS_MODULE"])
    except Exception as exc:
        outcomes[name] = {"error": type(exc).__name__, "message": str(exc)}
    else:
        outcomes[name] = {"error": None, "env_variables": settings.ENV_VARIABLES}
print(json.dumps(outcomes))
"""

SECRET_KEYS = {
    "missing": None,
    "empty": "",
    "too-short": "short-key",
    "the-local-default": "insecure-local-key-do-not-use-in-production" + "x" * 20,
}
REQUIRED = ["DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"]


@pytest.fixture(scope="module")
def loads() -> dict[str, dict]:
    """Each environment's outcome of loading the production settings, all in one fresh
    Python (a subprocess each, starting Python and Django every time, took 0.7 s each):
    a valid one, and each that production must refuse."""
    envs = {
        "valid": _production_env(),
        "env-example-secret": _production_env(SECRET_KEY=env_example_values()["SECRET_KEY"]),
        **{f"secret-{n}": _production_env(SECRET_KEY=k) for n, k in SECRET_KEYS.items()},
        **{f"without-{v}": _production_env(**{v: None}) for v in REQUIRED},
    }
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_LOADER],
        cwd=ROOT,
        input=json.dumps(envs),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def env_variables(loads) -> set[str]:
    """config.settings.production.ENV_VARIABLES, read with a valid environment."""
    assert loads["valid"]["error"] is None, loads["valid"]
    return set(loads["valid"]["env_variables"])


def env_example_values() -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )


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
    values = env_example_values()
    expected = (
        f"postgres://{values['POSTGRES_USER']}:{values['POSTGRES_PASSWORD']}"
        f"@postgres:5432/{values['POSTGRES_DB']}"
    )
    assert values["DATABASE_URL"] == expected


def test_env_example_holds_no_usable_secret(loads):
    assert "change-me" in env_example_values()["SECRET_KEY"]
    assert loads["env-example-secret"]["error"] == "ImproperlyConfigured"


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


@pytest.mark.parametrize("secret_key", SECRET_KEYS)
def test_production_refuses_to_start_without_a_real_secret_key(loads, secret_key):
    refused = loads[f"secret-{secret_key}"]
    assert refused["error"] == "ImproperlyConfigured", refused
    assert "SECRET_KEY" in refused["message"]


@pytest.mark.parametrize("variable", REQUIRED)
def test_production_refuses_to_start_without_required_services(loads, variable):
    refused = loads[f"without-{variable}"]
    assert refused["error"] is not None and variable in refused["message"], refused
