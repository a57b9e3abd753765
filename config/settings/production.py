"""Production: gunicorn behind a TLS-terminating proxy, PostgreSQL, Redis.

Refuses to start without a real SECRET_KEY, DATABASE_URL and REDIS_URL.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ENV_VARIABLES, env

ENV_VARIABLES = [*ENV_VARIABLES, "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT"]

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure") or "change-me" in SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
for _required in ("DATABASE_URL", "REDIS_URL"):
    if not env(_required, default=""):
        raise ImproperlyConfigured(f"{_required} must be set in production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Keep each gunicorn worker's database connection between requests (opening one per
# request halved the dashboards' throughput in the load test, docs/benchmarks.md).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_ABSOLUTE_TIMEOUT = SESSION_COOKIE_AGE  # signed out 8 hours after signing in
