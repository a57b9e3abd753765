# The two front-door commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The system Python (pyenv shims confuse uv, so resolve the real interpreter).
PYTHON ?= $(shell command -v python3.11 >/dev/null 2>&1 && python3.11 -c 'import sys;print(sys.executable)' || python3 -c 'import sys;print(sys.executable)')
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Python keeps each module's compiled bytecode (__pycache__) even where the environment
# says not to (PYTHONDONTWRITEBYTECODE, set in some containers and CI images): otherwise
# every command and every test worker compiles Django, SciPy and the project from source
# again (measured: `manage.py check` 15.1 s of CPU without the cache, 5.5 s with it).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help venv run test test-fast test-tools lint format browser office bench migrate seed clean assets audit

help:
	@echo "make run    - set up everything and serve the demo council at http://$(HOST):$(PORT)"
	@echo "make test   - set up everything and run all tests"
	@echo "make bench  - build a large synthetic council on PostgreSQL and print benchmark figures"
	@echo "make lint   - ruff check and format check"

# uv: use the one on PATH, or install it into .tools from PyPI.
$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

# The project's virtualenv, installed exactly from the committed lock file.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

venv: $(VENV)/.synced

migrate: venv
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo --if-empty

run: seed
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

# What the tests need from the system, from Debian's packages: Chromium for the browser
# tests (Playwright's own download cannot run here) and pdftoppm (poppler-utils), which
# renders the report pack's PDF. Installed when run as root; otherwise a message says how.
define apt_need
	@if ! command -v $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing $(2) ($(1), $(3))..." && \
	    apt-get update -qq && apt-get install -y -qq $(2) >/dev/null; \
	  else echo "$(1) is missing: install it (sudo apt-get install $(2)) - $(3)."; fi; \
	fi
endef

# Chromium draws the report packs' charts (kaleido); its headless shell, the same engine
# without the desktop browser around it, drives the browser tests (a third less CPU).
browser:
	$(call apt_need,chromium,chromium,for the report packs' charts)
	$(call apt_need,/usr/lib/chromium/chromium-headless-shell,chromium-headless-shell,for the browser tests)

# LibreOffice converts the report pack's Word file in a test.
office:
	$(call apt_need,soffice,libreoffice-writer-nogui,for the report pack's Word conversion test)

test-tools: browser office
	$(call apt_need,pdftoppm,poppler-utils,for the report pack's PDF test)

# Tests run on every core (pytest-xdist; TEST_WORKERS=0 runs them in one process), each
# module (or class) on one worker: data a module builds once is built once. The real-worker
# tests (marker celery_worker), which share one Redis, never run two at once whatever
# workers their modules land on: each holds a lock (tests/conftest.py).
TEST_WORKERS ?= auto
test: venv test-tools
	$(MANAGE) makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder -m "not browser and not celery_worker" $(PYTEST_ARGS)

# Issue 17's audit replayed over HTTP against gunicorn (production settings), a Celery worker,
# PostgreSQL (DATABASE_URL, copied for the run) and a Redis of its own (docs/security.md).
# Not part of `make test`: it is an audit, not a test.
audit: venv
	$(PY) -m benchmarks.audit

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The load test (benchmarks/dashboards.py) drives gunicorn with wrk.
bench: venv
	@if ! command -v wrk >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: install it (sudo apt-get install wrk) for the load test."; fi; \
	fi
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .tools staticfiles

# GOV.UK Frontend: rebuild the committed static/govuk/ from the npm registry (not needed by
# run or test). Works in a temporary directory; node_modules is never committed.
GOVUK_FRONTEND_VERSION := 6.6.0
SASS_VERSION := 1.108.2
assets:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  cd "$$tmp" && npm init -y >/dev/null && \
	  npm install --no-audit --no-fund --silent govuk-frontend@$(GOVUK_FRONTEND_VERSION) sass@$(SASS_VERSION) && \
	  cp "$(CURDIR)/static/govuk/app.scss" app.scss && \
	  npx sass --pkg-importer=node --style=compressed --no-source-map \
	    app.scss "$(CURDIR)/static/govuk/govuk-frontend.min.css" && \
	  cd "$(CURDIR)" && dist="$$tmp/node_modules/govuk-frontend/dist/govuk" && \
	  cp "$$dist/govuk-frontend.min.js" "$$dist/govuk-frontend.min.js.map" static/govuk/ && \
	  rm -rf static/govuk/assets && mkdir -p static/govuk/assets && \
	  cp -r "$$dist/assets/images" static/govuk/assets/ && \
	  echo "$(GOVUK_FRONTEND_VERSION)" > static/govuk/VERSION && \
	  echo "static/govuk/ rebuilt from govuk-frontend $(GOVUK_FRONTEND_VERSION)"
