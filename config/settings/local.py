"""Local development: `make run`. DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The demo councils' shared regional key (production reads it from the environment).
AGENCY_REGIONAL_LEAVERS_KEY = env("AGENCY_REGIONAL_LEAVERS_KEY", default="demo-region-key")
# No worker under make run: the web server refreshes the figures a change can affect
# (dashboards.signals); management commands do not.
KPI_REFRESH_IN_THREAD = "runserver"

# SQLite (the `make run` default, a file): a write-ahead log synced at checkpoints rather
# than on every commit, and a 64 MB page cache. Building the demo's KPI snapshots wrote
# 800,000 rows in 7 minutes with SQLite's defaults (a 2 MB cache spilling to a journal
# synced to disk over and over); with these it writes them in seconds. A crash can lose
# the last commits, never corrupt the file: right for a development database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536"
    )
