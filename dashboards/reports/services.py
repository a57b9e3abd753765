"""Writes of the report packs: record a director's request, and build its files.

``report_pack_create`` validates the request (all problems at once, as a ``ValidationError``
dict), saves a queued ``ReportPack`` and queues the build after the commit.
``report_pack_build`` (called by the Celery task) gathers the data once, renders the Word,
PDF, Excel and CSV files in memory and attaches them only when all of them are complete: a
failure anywhere marks the pack failed with a message naming the section or format, and no
file is offered.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dashboards.kpis import Scope
from dashboards.models import KpiFillState, KpiTarget, ReportPack
from workforce import disclosure

from . import builder

logger = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", "xlsx", "csv")
FILE_FIELDS = {"docx": "docx_file", "pdf": "pdf_file", "xlsx": "xlsx_file", "csv": "csv_zip_file"}
EXTENSIONS = {"docx": "docx", "pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}


def _data_version() -> int:
    state = KpiFillState.objects.filter(name="kpi_snapshots").first()
    return state.data_version if state else 0


def _settings_used(*, include_charts: bool) -> dict:
    return {
        "suppression_threshold": int(getattr(settings, "SUPPRESSION_THRESHOLD", 5)),
        "include_charts": include_charts,
        "kpi_targets": {
            target.kpi_key: str(target.target_value) for target in KpiTarget.objects.all()
        },
    }


def report_pack_validate(
    *, start: dt.date | None, end: dt.date | None, scope: str, sections: list[str]
) -> Scope:
    """The parsed scope, or a ``ValidationError`` naming every problem."""
    errors: dict[str, list[str]] = {}
    if start is None:
        errors.setdefault("start", []).append("Enter the first day of the period.")
    if end is None:
        errors.setdefault("end", []).append("Enter the last day of the period.")
    if start and end and start > end:
        errors.setdefault("end", []).append("The period must end on or after its first day.")
    parsed = None
    try:
        parsed = Scope.parse(scope)
    except ValueError as error:
        errors.setdefault("scope", []).append(str(error))
    if not sections:
        errors.setdefault("sections", []).append("Choose at least one section.")
    unknown = [key for key in sections if key not in builder.SECTIONS]
    if unknown:
        errors.setdefault("sections", []).append(f"Unknown section(s): {', '.join(unknown)}.")
    if errors:
        raise ValidationError(errors)
    return parsed


@transaction.atomic
def report_pack_create(
    *,
    user,
    start: dt.date,
    end: dt.date,
    scope: str = "all",
    sections: list[str] | None = None,
    title: str = "",
    meeting: str = "",
    audience: str = ReportPack.Audience.PUBLIC,
    texts: dict | None = None,
) -> ReportPack:
    """Record a pack to build and queue its build once the transaction commits.
    ``audience``: public (the councillor rule, the default) or restricted (full figures)."""
    sections = list(builder.SECTIONS) if sections is None else list(sections)
    parsed = report_pack_validate(start=start, end=end, scope=scope, sections=sections)
    texts = {
        key: str(value).strip()
        for key, value in (texts or {}).items()
        if key in builder.FRONT_SHEET or key in builder.TEXTS
    }
    pack = ReportPack(
        title=title or builder.DEFAULT_TITLE,
        meeting=meeting or texts.get("meeting", ""),
        texts=texts,
        audience=audience,
        period_start=start,
        period_end=end,
        scope=str(parsed),
        sections=[key for key in builder.SECTIONS if key in sections],
        created_by=user,
    )
    pack.full_clean()
    pack.save()

    transaction.on_commit(lambda: _queue_build(pack.pk))
    return pack


def _queue_build(pack_id: int) -> None:
    """Queue the build; if the queue cannot be reached, say so on the pack."""
    from dashboards.tasks import build_report_pack

    try:
        build_report_pack.delay(pack_id)
    except Exception:
        logger.exception("Could not queue report pack %s", pack_id)
        ReportPack.objects.filter(pk=pack_id, status=ReportPack.Status.QUEUED).update(
            status=ReportPack.Status.FAILED,
            error_message="The pack could not be queued (the background worker is not "
            "reachable). Try again in a few minutes.",
            finished_at=timezone.now(),
        )


@dataclass
class RenderedPack:
    data: builder.PackData
    files: dict[str, bytes]


def report_files_render(
    *,
    start: dt.date,
    end: dt.date,
    scope: Scope,
    sections: list[str],
    formats: tuple[str, ...] = FORMATS,
    title: str = "Social work workforce report",
    meeting: str = "",
    include_charts: bool = True,
    audience: disclosure.Audience | None = None,
    texts: dict | None = None,
    progress=None,
) -> RenderedPack:
    """Gather the pack's data once and render it in each format, in memory."""
    data = builder.pack_data_build(
        start=start,
        end=end,
        scope=scope,
        sections=sections,
        title=title,
        meeting=meeting,
        audience=audience,
        texts=texts,
        progress=(lambda done, total: progress(int(60 * done / total))) if progress else None,
    )
    if include_charts and ("docx" in formats or "pdf" in formats):
        try:
            builder.charts_render(data)
        except Exception as error:
            raise builder.SectionError(f"The charts could not be drawn: {error}") from error
        if progress:
            progress(70)
    from .docx import pack_docx
    from .pdf import pack_pdf
    from .xlsx import pack_csv_zip, pack_xlsx

    renderers = {"docx": pack_docx, "pdf": pack_pdf, "xlsx": pack_xlsx, "csv": pack_csv_zip}
    files = {}
    for index, fmt in enumerate(formats, start=1):
        try:
            files[fmt] = renderers[fmt](data)
        except Exception as error:
            raise builder.SectionError(
                f"The {fmt.upper()} file could not be written: {error}"
            ) from error
        if progress:
            progress(70 + int(29 * index / len(formats)))
    return RenderedPack(data=data, files=files)


def file_name(pack: ReportPack, fmt: str) -> str:
    """The name people recognise: ``Social work workforce report 2026-11-30 (public).docx``."""
    title = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", pack.title).strip()[:80] or "Report"
    audience = (
        "not for publication" if pack.audience == ReportPack.Audience.RESTRICTED else "public"
    )
    suffix = " tables" if fmt == "csv" else ""
    return f"{title} {pack.period_end:%Y-%m-%d}{suffix} ({audience}).{EXTENSIONS[fmt]}"


def stored_name(pack: ReportPack, fmt: str) -> str:
    """The name a pack's file is stored under (below the field's ``report-packs/``):
    deterministic and safe, ASCII letters, digits and hyphens only, whatever the title,
    and short enough for the field, so storage never truncates it or adds a random
    suffix. People never see it: the pages and downloads use ``file_name``."""
    audience = (
        "not-for-publication" if pack.audience == ReportPack.Audience.RESTRICTED else "public"
    )
    suffix = "-tables" if fmt == "csv" else ""
    return (
        f"{pack.pk}/report-pack-{pack.pk}-{pack.period_end:%Y-%m-%d}{suffix}-{audience}"
        f".{EXTENSIONS[fmt]}"
    )


def _store(pack: ReportPack, fmt: str, content: bytes) -> None:
    """Attach ``content`` as the pack's ``fmt`` file under ``stored_name``, replacing a
    file left there by an earlier build of the same pack (a rebuild keeps the name)."""
    field = getattr(pack, FILE_FIELDS[fmt])
    name = field.field.generate_filename(pack, stored_name(pack, fmt))
    if field.storage.exists(name):
        field.storage.delete(name)
    field.save(stored_name(pack, fmt), ContentFile(content), save=False)


def last_texts() -> dict:
    """The text of the director's last pack, offered again for the next one."""
    pack = ReportPack.objects.exclude(texts={}).order_by("-created_at", "-id").first()
    return dict(pack.texts) if pack else {}


def summary_for_form(*, today: dt.date) -> str:
    """The app's narrative for the form's default period, for the director to edit; empty
    if the figures cannot be worked out (the paper then writes its own)."""
    from .forms import _default_period

    start, end = _default_period(today)
    try:
        return builder.default_summary(start=start, end=end, scope=Scope.parse("all"))
    except Exception:
        logger.exception("Could not write the summary for the report pack form")
        return ""


def plan_for_form(*, today: dt.date) -> str:
    """The app's narrative of the plan to 85% for the form's default period, for the
    director to edit; empty if the forecast cannot be made (the paper then writes its
    own, or says why there is no forecast)."""
    from .forms import _default_period

    _start, end = _default_period(today)
    try:
        return builder.default_plan_text(end=end)
    except Exception:
        logger.exception("Could not write the plan to 85% for the report pack form")
        return ""


def _set_progress(pack_id: int, percent: int) -> None:
    """Record how far the build has got; each step is also the worker's heartbeat."""
    ReportPack.objects.filter(pk=pack_id).update(progress=percent, heartbeat_at=timezone.now())


def pack_audience(pack: ReportPack) -> disclosure.Audience:
    """The disclosure audience of a pack: public unless marked not for publication."""
    if pack.audience == ReportPack.Audience.RESTRICTED:
        return disclosure.Audience.named()
    return disclosure.Audience.public()


def report_pack_build(*, pack_id: int, include_charts: bool = True) -> ReportPack:
    """Build the pack's files. Never raises for a problem in the data: the pack is marked
    failed with a message a director can read, and keeps no file.

    Idempotent, so a redelivered task (its worker died) is safe: a pack already built is
    left alone, any other is built again from the start (files are attached only at the
    end, in one transaction), including one the sweeper had marked failed meanwhile."""
    pack = ReportPack.objects.get(pk=pack_id)
    if pack.status == ReportPack.Status.DONE:
        return pack  # a duplicate delivery of the task
    version = _data_version()
    ReportPack.objects.filter(pk=pack_id).update(
        status=ReportPack.Status.RUNNING,
        progress=1,
        error_message="",
        finished_at=None,
        heartbeat_at=timezone.now(),
        data_version=version,
        settings_used=_settings_used(include_charts=include_charts),
    )
    try:
        rendered = report_files_render(
            start=pack.period_start,
            end=pack.period_end,
            scope=Scope.parse(pack.scope),
            sections=pack.sections,
            title=pack.title,
            meeting=pack.meeting,
            audience=pack_audience(pack),
            texts={
                **(pack.texts or {}),
                "meeting": pack.meeting or (pack.texts or {}).get("meeting", ""),
            },
            include_charts=include_charts,
            progress=lambda percent: _set_progress(pack_id, percent),
        )
    except Exception as error:
        message = (
            str(error)
            if isinstance(error, builder.SectionError)
            else (f"The pack could not be built: {error}")
        )
        return _build_failed(pack_id, message)
    pack.refresh_from_db()
    stored: list = []
    try:
        with transaction.atomic():
            for fmt, content in rendered.files.items():
                _store(pack, fmt, content)
                stored.append(getattr(pack, FILE_FIELDS[fmt]).name)
            pack.status = ReportPack.Status.DONE
            pack.progress = 100
            pack.finished_at = timezone.now()
            pack.quoted_exit_records = rendered.data.quote_sources()
            pack.save()
    except Exception as error:
        # A failure after rendering (the files cannot be stored, the record cannot be
        # saved) must not leave the pack "being built" until the sweeper finds it, nor
        # crash the task for a redelivery to hit again: the pack fails, saying why, and
        # keeps no file.
        for name in stored:
            try:
                pack.docx_file.storage.delete(name)
            except Exception:  # pragma: no cover - best effort on a failing storage
                logger.exception("Could not delete %s of failed report pack %s", name, pack_id)
        return _build_failed(pack_id, f"The pack's files could not be stored: {error}")
    _rebuild_if_quotes_erased_meanwhile(pack)
    return pack


def _build_failed(pack_id: int, message: str) -> ReportPack:
    """Mark the pack failed with ``message`` (what a director reads) and no files."""
    logger.exception("Report pack %s failed", pack_id)
    ReportPack.objects.filter(pk=pack_id).update(
        status=ReportPack.Status.FAILED,
        error_message=message,
        finished_at=timezone.now(),
        **dict.fromkeys(FILE_FIELDS.values(), ""),
    )
    return ReportPack.objects.get(pk=pack_id)


#: A pack being built whose worker has given no sign of life (``heartbeat_at``, written at
#: every step of the build, a few seconds apart) for this long was lost: its worker stopped.
HEARTBEAT_STALE_AFTER = dt.timedelta(minutes=10)
#: A pack no worker has started this long after it was asked for was lost too (the queue
#: lost it, or no worker is running).
QUEUED_STALE_AFTER = dt.timedelta(minutes=15)
STUCK_MESSAGE = "The pack was not finished: the server building it stopped. Create the pack again."
NOT_STARTED_MESSAGE = (
    "The pack was not started: no background worker picked it up within 15 minutes. "
    "Create the pack again, or ask your system administrator to check the worker."
)


def report_packs_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """Mark lost packs failed so their pages stop saying "being built" for ever: packs
    being built with no heartbeat for ``HEARTBEAT_STALE_AFTER`` and packs queued for
    ``QUEUED_STALE_AFTER``. Returns how many. Run every 5 minutes by Celery beat
    (``dashboards.tasks.fail_stuck_report_packs``) and whenever the list or a pack's page
    is shown, so a lost pack is reported within 15 minutes even without beat. A task
    redelivered later still builds the pack (``report_pack_build`` is idempotent)."""
    now = now or timezone.now()
    running = ReportPack.objects.filter(status=ReportPack.Status.RUNNING).filter(
        Q(heartbeat_at__lt=now - HEARTBEAT_STALE_AFTER)
        | Q(heartbeat_at__isnull=True, created_at__lt=now - HEARTBEAT_STALE_AFTER)
    )
    queued = ReportPack.objects.filter(
        status=ReportPack.Status.QUEUED, created_at__lt=now - QUEUED_STALE_AFTER
    )
    failed = running.update(
        status=ReportPack.Status.FAILED, error_message=STUCK_MESSAGE, finished_at=now
    )
    return failed + queued.update(
        status=ReportPack.Status.FAILED, error_message=NOT_STARTED_MESSAGE, finished_at=now
    )


# --- Retention ---------------------------------------------------------------------------


def report_pack_retention_days() -> int:
    """How long a pack (and its files) is kept after it was asked for: the council's
    ``REPORT_PACK_RETENTION_DAYS`` (default 730, two years)."""
    return int(getattr(settings, "REPORT_PACK_RETENTION_DAYS", 730))


def report_pack_expires_on(pack: ReportPack) -> dt.date:
    """The day from which the nightly job deletes the pack (retention)."""
    created = timezone.localtime(pack.created_at).date()
    return created + dt.timedelta(days=report_pack_retention_days() + 1)


def _stored_files(pack: ReportPack) -> list:
    files = (getattr(pack, field) for field in FILE_FIELDS.values())
    return [(file.storage, file.name) for file in files if file]


def _delete_files_after_commit(files: list) -> None:
    def delete() -> None:
        for storage, name in files:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete report pack file %s", name)

    transaction.on_commit(delete)


@transaction.atomic
def report_packs_delete_expired(
    *, now: dt.datetime | None = None, retention_days: int | None = None
) -> int:
    """Delete the packs asked for more than ``retention_days`` ago
    (``REPORT_PACK_RETENTION_DAYS``), and their files. Returns how many. Run nightly by
    Celery beat (``dashboards.tasks.delete_expired_report_packs``) and by
    ``manage.py delete_expired_report_packs``."""
    now = now or timezone.now()
    days = report_pack_retention_days() if retention_days is None else retention_days
    expired = list(ReportPack.objects.filter(created_at__lt=now - dt.timedelta(days=days)))
    files = [stored for pack in expired for stored in _stored_files(pack)]
    ReportPack.objects.filter(pk__in=[pack.pk for pack in expired]).delete()
    _delete_files_after_commit(files)
    return len(expired)


@transaction.atomic
def report_packs_drop_erased_quotes(*, exit_record_ids) -> int:
    """Every pack that printed a quote of these exit records (whose free text has just been
    erased) loses its files at once and is rebuilt, now without those quotes. Returns how
    many packs. Called when exits erases free text (``exits.signals.exit_text_erased``)."""
    erased = set(exit_record_ids)
    affected = [
        pack
        for pack in ReportPack.objects.select_for_update().exclude(status=ReportPack.Status.FAILED)
        if erased & set(pack.quoted_exit_records or [])
    ]
    for pack in affected:
        _delete_files_after_commit(_stored_files(pack))
        for field in FILE_FIELDS.values():
            setattr(pack, field, "")
        pack.status = ReportPack.Status.QUEUED
        pack.progress = 0
        pack.finished_at = None
        pack.quoted_exit_records = []
        pack.error_message = ""
        pack.save()
        transaction.on_commit(lambda pk=pack.pk: _queue_build(pk))
    return len(affected)


def _rebuild_if_quotes_erased_meanwhile(pack: ReportPack) -> None:
    """A build that read a quote just before its free text was erased would keep it:
    rebuild such a pack at once (the rebuild no longer finds the erased quote)."""
    from exits.selectors import exit_records_with_text_erased

    erased = exit_records_with_text_erased(ids=pack.quoted_exit_records)
    if erased:
        report_packs_drop_erased_quotes(exit_record_ids=erased)
