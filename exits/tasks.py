"""Celery tasks of the exits app: thin wrappers round services (the schedule is in
``CELERY_BEAT_SCHEDULE``, config/settings/base.py)."""

from celery import shared_task

from . import services


@shared_task
def erase_expired_exit_text() -> int:
    """Nightly: erase exit questionnaire free text older than the retention period."""
    return services.exit_text_erase_expired()


@shared_task
def backfill_exit_records() -> int:
    """Make any missing exit records (after bulk imports)."""
    return services.exit_records_backfill()
