"""The Celery application.

Tasks live in each app's ``tasks.py`` and only call services. Periodic tasks are
declared once, in ``CELERY_BEAT_SCHEDULE`` in ``config/settings/base.py``.
With no ``REDIS_URL`` the settings make tasks run in-process (eager), so the
embedded SQLite default needs no broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("swworkforce")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
