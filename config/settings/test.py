"""Fast, isolated settings for the test suite (`make test`).

Uses SQLite unless DATABASE_URL is set (CI sets PostgreSQL). Celery runs eagerly
in-process except in tests marked ``celery_worker``, which start a real worker
against REDIS_URL.
"""

from .base import *  # noqa: F403
from .base import REDIS_URL

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
AGENCY_REGIONAL_LEAVERS_KEY = "test-only-regional-key"

# A test database is thrown away: on PostgreSQL a commit need not wait for the disk
# (transactional and live-server tests commit and flush thousands of times).
# Its tables are unlogged and a flush deletes rows rather than truncating tables
# (config/test_postgresql, measured in docs/benchmarks.md).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["ENGINE"] = "config.test_postgresql"  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
