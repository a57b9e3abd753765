"""Imports as background jobs: an uploaded census return or caseload file is checked and
imported by a Celery worker, never inside the web request.

The web request only stores the file (``import_job_create``) and queues the work; the
page the user is sent to polls the job's status (``ImportJob``) with a small page refresh
until the check or the import is done. So a 100,000-row caseload file imports through the
browser, and no web worker ever holds a file's parse or runs into the server's timeout.

A census return has two stages, as before: ``check`` (a dry run: what the import would
do, every problem found) and, once the user confirms, ``import``. A caseload file has one:
``import`` (all or nothing, every problem listed). Either way nothing is written when
anything is wrong.

Each stage is safe to run twice (a redelivered task after a worker died): a stage starts
only from the status it expects, and the import writes its records and marks the job done
in one transaction, so a rerun finds it done and does nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from .models import ImportJob

logger = logging.getLogger(__name__)

CHECK, IMPORT = "check", "import"
#: Jobs (and the files they hold) are deleted this long after they were created.
JOB_KEPT = dt.timedelta(days=1)
#: A job still running after this long has lost its worker (the task limit is 30 minutes).
STUCK_AFTER = dt.timedelta(minutes=40)
#: At most this many errors and warnings are kept for the page; the total is kept too.
MAX_PROBLEMS_KEPT = 1_000
QUEUE_DOWN_MESSAGE = (
    "The background job service is not available, so the file could not be checked. "
    "Nothing has been saved: upload the file again in a few minutes."
)
STUCK_MESSAGE = (
    "The job stopped before it finished (the worker running it was restarted). Nothing "
    "has been saved: upload the file again."
)
FAILED_MESSAGE = (
    "The file could not be processed because of a fault in the service. Nothing has been "
    "saved; the fault has been logged. Try again, and tell the service desk if it recurs."
)

Status = ImportJob.Status


def import_job_create(
    *, kind: str, user, file_name: str, data: bytes, details: dict | None = None
) -> ImportJob:
    """Store an uploaded file as a job and queue its first stage. Call it outside a
    transaction (as a view does), so a worker can read the job at once."""
    ImportJob.objects.filter(created_at__lt=timezone.now() - JOB_KEPT).delete()
    job = ImportJob.objects.create(
        kind=kind,
        created_by=user,
        file_name=file_name[:200],
        data=data,
        details=details or {},
    )
    _queue(job, CHECK if kind == ImportJob.Kind.CENSUS else IMPORT)
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """The user confirmed a checked census return: queue the import (once, however many
    times they press the button)."""
    if ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
        status=Status.IMPORTING, updated_at=timezone.now()
    ):
        _queue(job, IMPORT)
    job.refresh_from_db()
    return job


def import_job_notice_stuck(*, job: ImportJob) -> ImportJob:
    """Mark a job that has run far longer than any task may as failed, so its page stops
    waiting."""
    if job.running and job.updated_at < timezone.now() - STUCK_AFTER:
        ImportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=Status.FAILED, message=STUCK_MESSAGE, data=b""
        )
        job.refresh_from_db()
    return job


def _queue(job: ImportJob, stage: str) -> None:
    from .tasks import run_import_job

    try:
        run_import_job.delay(str(job.pk), stage)
    except Exception:  # broker unreachable: say so rather than leave the page waiting
        logger.exception("Could not queue import job %s (%s)", job.pk, stage)
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, message=QUEUE_DOWN_MESSAGE, data=b""
        )


def import_job_run(*, job_id: str, stage: str) -> str:
    """Run ``stage`` of job ``job_id`` (the Celery task's body); returns the job's status.
    Does nothing when the job is gone or the stage has already run."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    if stage == CHECK:
        return _check(job)
    return _import(job)


def import_job_fail(*, job_id: str) -> None:
    """A fault (a bug, not a problem in the file) stopped the job: say so on its page."""
    ImportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, message=FAILED_MESSAGE, data=b""
    )


def _check(job: ImportJob) -> str:
    if job.status not in (Status.QUEUED, Status.CHECKING):
        return job.status  # already checked: a duplicate delivery
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING)
    result = _process(job, dry_run=True)
    status = Status.FAILED if result["errors"] else Status.CHECKED
    ImportJob.objects.filter(pk=job.pk, status=Status.CHECKING).update(
        status=status, result=result, updated_at=timezone.now()
    )
    return status


def _import(job: ImportJob) -> str:
    starts_from = (Status.IMPORTING,)
    if job.kind == ImportJob.Kind.CASELOADS:
        starts_from = (Status.QUEUED, Status.IMPORTING)
        ImportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.IMPORTING, updated_at=timezone.now()
        )
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in starts_from:
            return locked.status  # done (or failed) already: a duplicate delivery
        result = _process(locked, dry_run=False)
        locked.result = result
        if result["errors"]:
            locked.status = Status.FAILED
        else:
            locked.status, locked.data = Status.DONE, b""
        locked.save(update_fields=["status", "result", "data", "updated_at"])
        return locked.status


def _process(job: ImportJob, *, dry_run: bool) -> dict:
    from .census.parse import FlatFileDetails
    from .census.services import caseloads_import, census_import

    data = bytes(job.data)
    if job.kind == ImportJob.Kind.CENSUS:
        result = census_import(
            data=data,
            flat=FlatFileDetails(**job.details),
            user=job.created_by,
            source_name=job.file_name,
            dry_run=dry_run,
        ).as_dict()
    else:
        outcome = caseloads_import(
            data=data,
            user=job.created_by,
            dry_run=dry_run,
            confirmed=bool(job.details.get("confirmed_above_ceiling")),
        )
        result = {
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "dry_run": dry_run,
            "errors": [dataclasses.asdict(p) for p in outcome.errors],
            "warnings": [dataclasses.asdict(p) for p in outcome.warnings],
        }
    result["name"] = job.file_name
    for key in ("errors", "warnings"):
        result[f"{key}_total"] = len(result[key])
        result[key] = result[key][:MAX_PROBLEMS_KEPT]
    return result
