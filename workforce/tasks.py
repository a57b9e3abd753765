"""Celery tasks of the workforce app: thin wrappers that call ``workforce.imports``.

``run_import_job`` checks or imports an uploaded file. It is acknowledged late and
rejected when its worker is lost, so a job whose worker dies is redelivered; each stage
is idempotent (``workforce.imports``), so a rerun is safe. A database outage is retried;
any other fault marks the job failed, with a message on its page, and is logged.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import imports

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="workforce.tasks.run_import_job",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=3,
)
def run_import_job(self, job_id: str, stage: str) -> str:
    """Run ``stage`` (``check`` or ``import``) of import job ``job_id``."""
    try:
        return imports.import_job_run(job_id=job_id, stage=stage)
    except (OperationalError, InterfaceError) as error:
        if self.request.called_directly or self.request.is_eager:
            imports.import_job_fail(job_id=job_id)
            logger.exception("Import job %s (%s) failed on a database error", job_id, stage)
            return "failed"
        if self.request.retries >= self.max_retries:
            imports.import_job_fail(job_id=job_id)
            logger.exception("Import job %s (%s) failed after retries", job_id, stage)
            return "failed"
        raise self.retry(exc=error, countdown=10 * (self.request.retries + 1)) from error
    except Exception:
        logger.exception("Import job %s (%s) failed", job_id, stage)
        imports.import_job_fail(job_id=job_id)
        return "failed"
