"""Settings shared by every environment.

The environment is read once, here. Every variable the app reads is listed in
``ENV_VARIABLES`` so that ``.env.example`` and ``docker-compose.yml`` can be
checked against it (tests/config/test_settings.py).
"""

import datetime as dt
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():  # local convenience only; production passes real environment variables
    env.read_env(str(env_file))

# Every environment variable the settings read (production.py adds its own to this list).
ENV_VARIABLES = [
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "TIME_ZONE",
    "SUPPRESSION_THRESHOLD",
    "TRUSTED_PROXY_COUNT",
    "SESSION_IDLE_TIMEOUT",
    "API_TOKEN_TTL_HOURS",
]

SECRET_KEY = env("SECRET_KEY", default="insecure-local-key-do-not-use-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Applications -----------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # FORM_RENDERER=TemplatesSetting needs the built-in widget templates
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "auditlog",
    "axes",
    "csp",
    "knox",
]
LOCAL_APPS = [
    "core",
    "workforce",
    "recruitment",
    "exits",
    "recommendations",
    "agency",
    "pay",
    "dashboards",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

AUTH_USER_MODEL = "workforce.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so static files keep their own caching headers (issue 17).
    "config.middleware.NoStoreMiddleware",
    "config.middleware.RejectNulBytesMiddleware",  # PostgreSQL cannot hold a NUL in text
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.AuditlogMiddleware",  # django-auditlog's, with the trusted address
    # AxesMiddleware must be last: it turns a locked-out login into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workforce.context_processors.roles",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------
# SQLite is the embedded default; set DATABASE_URL for PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling (django-axes)
    "django.contrib.auth.backends.ModelBackend",
    "workforce.auth_backends.AdminRoleBackend",  # the Admin role's permissions in the admin
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
# Three counters, each with its own limit within the cool-off (config/lockout.py, ASVS
# 2.2.1): a username from one address (5), one address whatever the username (30: a
# council office shares one address), one username from anywhere (100, the ASVS ceiling).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
LOGIN_LOCKOUT_LIMITS = {"username+ip_address": 5, "ip_address": 30, "username": 100}
AXES_HANDLER = "config.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]

# --- Static files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Forms ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- REST API ---------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a missing or wrong token is answered 401 with a WWW-Authenticate
    # challenge (DRF takes it from the first class); browser sessions work as before.
    # Tokens are django-rest-knox's: stored hashed, expiring (REST_KNOX below).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.permissions.DenyUnlessRoleDeclared",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "workforce.api.exception_handlers.exception_handler",
}
# API tokens (django-rest-knox): only a hash is stored, each expires after API_TOKEN_TTL,
# and a user's tokens are revoked when their password changes (workforce/signals.py).
API_TOKEN_TTL = dt.timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=24 * 7))
REST_KNOX = {
    "TOKEN_TTL": API_TOKEN_TTL,
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 10,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Social work workforce API",
    "DESCRIPTION": "Workforce records, DfE KPIs and benchmarks for children's social care.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema and docs views follow the same role rules as every other endpoint.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.IsAuthenticated",
        "core.permissions.DenyUnlessRoleDeclared",
    ],
    # Every operation documents its 400/401/403/404 JSON errors (config/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.openapi.add_error_responses",
    ],
    # Choice sets shared by several fields, or with the same field name in two apps.
    "ENUM_NAME_OVERRIDES": {
        "RecruitmentChannelEnum": "recruitment.choices.Channel",
        "ExitInterviewChannelEnum": "exits.choices.Channel",
        "DeliveryStatusEnum": "recommendations.choices.DeliveryStatus",
        "YesNoUnsureEnum": "exits.choices.YesNoUnsure",
        "RecruitmentStageEnum": "recruitment.choices.Stage",
    },
}

# --- Celery -----------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No broker configured: run tasks in-process so the embedded default needs no Redis.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
# Jobs that recover (issue 17): a task whose worker process dies is put back on the queue
# at once (not acknowledged as done), and a task whose whole worker died is redelivered
# by Redis after the visibility timeout, which must be longer than the longest task may
# run (CELERY_TASK_TIME_LIMIT) or a running task would be delivered twice. Every task is
# idempotent, so a rerun is safe (docs/security.md, "V1 architecture").
CELERY_TASK_REJECT_ON_WORKER_LOST = True
BROKER_VISIBILITY_TIMEOUT_SECONDS = CELERY_TASK_TIME_LIMIT + 5 * 60
# Short socket timeouts and few publish retries: with Redis down, queueing a job fails
# within seconds and the caller says so (or leaves it to the nightly run), instead of
# holding the web request.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": BROKER_VISIBILITY_TIMEOUT_SECONDS,
    "socket_timeout": 5,
    "socket_connect_timeout": 2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks: declared here, in one place.
CELERY_BEAT_SCHEDULE = {
    "refresh-kpi-snapshots-nightly": {
        "task": "dashboards.tasks.refresh_kpi_snapshots",
        "schedule": crontab(hour=2, minute=15),
    },
    "erase-expired-exit-text-nightly": {
        "task": "exits.tasks.erase_expired_exit_text",
        "schedule": crontab(hour=2, minute=45),
    },
    "delete-expired-report-packs-nightly": {
        "task": "dashboards.tasks.delete_expired_report_packs",
        "schedule": crontab(hour=3, minute=5),
    },
    "fail-stuck-report-packs": {
        "task": "dashboards.tasks.fail_stuck_report_packs",
        "schedule": crontab(minute="*/5"),
    },
}

# --- Caches -----------------------------------------------------------------------
# Short socket timeouts: a Redis that accepts connections but never answers costs one
# second, after which config.cache answers from the database for a while (issue 17).
REDIS_CACHE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
CACHES = {
    "default": (
        {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Product settings ---------------------------------------------------------------
# Counts under this threshold are suppressed in anything a scrutiny member sees.
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)
# A worker's caseload above this is saved only once the person entering it confirms it
# (the council's own ceiling; workforce.services.MAX_CASES is the impossible limit).
CASELOAD_CONFIRM_ABOVE = env.int("CASELOAD_CONFIRM_ABOVE", default=40)
# Exit questionnaire free text is erased this many days after the leaving date.
EXIT_TEXT_RETENTION_DAYS = 730
# Committee report packs (and their files) are deleted this many days after they were
# asked for (a council sets its own period; docs/privacy.md).
REPORT_PACK_RETENTION_DAYS = env.int("REPORT_PACK_RETENTION_DAYS", default=730)
COUNCIL_NAME = "Demo Council"

# --- Agency rules (agency/, docs/agency-rules.md) -----------------------------------------
# The permanent staff's notice in weeks, if shorter than DfE's 4 (None: 4 weeks applies).
AGENCY_PERMANENT_NOTICE_WEEKS = env.int("AGENCY_PERMANENT_NOTICE_WEEKS", default=None)
# Days after a placement ends within which the council gives a practice-based reference.
AGENCY_REFERENCE_GIVEN_WITHIN_DAYS = env.int("AGENCY_REFERENCE_GIVEN_WITHIN_DAYS", default=28)
# The key the region's councils share to hash SWE numbers in the regional leavers file.
AGENCY_REGIONAL_LEAVERS_KEY = env("AGENCY_REGIONAL_LEAVERS_KEY", default="")

# --- Security (tightened further in production.py) -----------------------------------
# How many proxies in front of gunicorn append to X-Forwarded-For (the README's set-up:
# one, the TLS proxy). The client's address is taken that many entries from the right;
# 0 ignores the header (config/client_address.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# django-ratelimit (the exit-link limiter): with the cache unreachable, let requests
# through rather than refuse every leaver's questionnaire.
RATELIMIT_FAIL_OPEN = True
# Sign a browser session out after this many seconds without a request, and this many
# seconds after signing in whatever the activity (config/middleware.py, ASVS 3.3).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_ABSOLUTE_TIMEOUT = 60 * 60 * 12
# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site
# only, no inline script (charts are drawn by static/js/charts.js from JSON blocks).
# plotly.js sets inline styles on the elements it draws, hence 'unsafe-inline' for style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the
# database: one query less on every signed-in request, nobody signed out by a cache flush.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
# With no Celery worker (eager mode), refresh the KPI snapshots a change can affect in a
# thread of the web process, seconds after the commit (dashboards.signals). "runserver" in
# local development (make run: only the web server), off in tests; True: any process.
KPI_REFRESH_IN_THREAD = False
