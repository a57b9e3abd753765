"""Report pack retention (issue 17 finding 5): packs expire after the council's period
(default two years) and go with their files; when an exit record's free text is erased
on schedule, a pack that printed its quote is rebuilt without it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from config.settings import base
from core.roles import Role
from dashboards.models import ReportPack
from dashboards.reports import services
from exits import services as exit_services
from exits.models import ExitTheme
from tests.factories import TeamFactory, employ

pytestmark = pytest.mark.django_db

QUOTE = "The caseloads were too high to do the work well."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _pack_with_file(*, days_old: int) -> ReportPack:
    pack = ReportPack.objects.create(
        title="Old pack", period_start=dt.date(2023, 4, 1), period_end=dt.date(2024, 3, 31),
        status=ReportPack.Status.DONE,
    )  # fmt: skip
    pack.xlsx_file.save(f"pack-{pack.pk}.xlsx", ContentFile(b"PK"), save=True)
    ReportPack.objects.filter(pk=pack.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_old)
    )
    return pack


def test_the_default_period_is_two_years_and_runs_nightly():
    assert base.REPORT_PACK_RETENTION_DAYS == 730
    schedule = {entry["task"] for entry in base.CELERY_BEAT_SCHEDULE.values()}
    assert "dashboards.tasks.delete_expired_report_packs" in schedule


def test_expired_packs_and_their_files_are_deleted_by_the_command(
    settings, capsys, django_capture_on_commit_callbacks
):
    settings.REPORT_PACK_RETENTION_DAYS = 365
    old, recent = _pack_with_file(days_old=400), _pack_with_file(days_old=300)
    old_file = Path(old.xlsx_file.path)
    assert old_file.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("delete_expired_report_packs")
    assert "Deleted 1 report pack asked for more than 365 days ago." in capsys.readouterr().out
    assert list(ReportPack.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old_file.exists()
    assert Path(recent.xlsx_file.path).exists()


def test_the_nightly_task_uses_the_setting(settings, django_capture_on_commit_callbacks):
    from dashboards.tasks import delete_expired_report_packs

    _pack_with_file(days_old=800)
    kept = _pack_with_file(days_old=700)
    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_report_packs() == 1
    assert list(ReportPack.objects.values_list("pk", flat=True)) == [kept.pk]


def _leaver_with_quote(end: dt.date):
    record = employ(team=TeamFactory(), start=dt.date(2019, 1, 7), end=end).exit_record
    questionnaire = exit_services.questionnaire_submit(
        exit_record=record, answers={"free_text": "Too many cases."}
    )
    exit_services.questionnaire_code(
        questionnaire=questionnaire,
        themes=ExitTheme.objects.filter(name="Workload and caseload"),
        quote=QUOTE,
        quote_approved=True,
    )
    return record


def _text(pack: ReportPack) -> str:
    return "\n".join(p.text for p in Document(pack.docx_file.path).paragraphs)


def test_a_pack_quoting_erased_text_is_rebuilt_without_it(django_capture_on_commit_callbacks):
    from exits.services import exit_themes_ensure_defaults

    exit_themes_ensure_defaults()
    record = _leaver_with_quote(dt.date(2023, 9, 29))
    with django_capture_on_commit_callbacks(execute=True):
        quoting = services.report_pack_create(
            user=None, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31),
            sections=["exit_themes"],
        )  # fmt: skip
        other = services.report_pack_create(
            user=None, start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31),
            sections=["exit_themes"],
        )  # fmt: skip
    quoting.refresh_from_db()
    other.refresh_from_db()
    assert quoting.status == ReportPack.Status.DONE
    assert quoting.quoted_exit_records == [record.pk]
    assert QUOTE in _text(quoting)
    other_file = other.docx_file.name

    with django_capture_on_commit_callbacks(execute=True):
        erased = exit_services.exit_text_erase_expired(
            today=dt.date(2026, 1, 1), retention_days=730
        )
    assert erased == 1
    quoting.refresh_from_db()
    assert quoting.status == ReportPack.Status.DONE  # rebuilt (eager worker)
    assert quoting.quoted_exit_records == []
    assert QUOTE not in _text(quoting)
    # no old copy is left beside the rebuilt files
    stored = {p.name for p in Path(quoting.docx_file.path).parent.iterdir()}
    current = {  # each pack's files in a folder of its own
        Path(getattr(quoting, field).name).name for field in services.FILE_FIELDS.values()
    }
    assert stored == current
    other.refresh_from_db()
    assert other.docx_file.name == other_file  # a pack that did not quote it is untouched


def test_a_build_that_read_a_quote_just_before_it_was_erased_is_rebuilt(
    monkeypatch, django_capture_on_commit_callbacks
):
    from exits import selectors as exit_selectors
    from exits.services import exit_themes_ensure_defaults

    exit_themes_ensure_defaults()
    record = _leaver_with_quote(dt.date(2023, 9, 29))
    real = exit_selectors.approved_quotes_by_record
    calls = []

    def read_then_erased(**kwargs):
        """The first build reads the quote; the erasure lands before the build ends."""
        rows = real(**kwargs)
        if not calls:
            exit_services.exit_text_erase_expired(today=dt.date(2026, 1, 1), retention_days=730)
        calls.append(rows)
        return rows

    monkeypatch.setattr(exit_selectors, "approved_quotes_by_record", read_then_erased)
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.report_pack_create(
            user=None, start=dt.date(2023, 4, 1), end=dt.date(2024, 3, 31),
            sections=["exit_themes"],
        )  # fmt: skip
    pack.refresh_from_db()
    assert calls[0] == [(record.pk, QUOTE)] and len(calls) == 2  # built, then rebuilt
    assert pack.status == ReportPack.Status.DONE
    assert pack.quoted_exit_records == []
    assert QUOTE not in _text(pack)


def test_the_pack_page_says_when_it_will_be_deleted(client_as, settings):
    settings.REPORT_PACK_RETENTION_DAYS = 365
    pack = _pack_with_file(days_old=10)
    page = client_as(Role.DIRECTOR).get(reverse("dashboards:report-detail", args=[pack.pk]))
    created = timezone.localtime(ReportPack.objects.get(pk=pack.pk).created_at).date()
    deleted_on = created + dt.timedelta(days=366)
    text = " ".join(page.content.decode().split())
    assert f"{deleted_on.day} {deleted_on:%B %Y}, with its files" in text
    assert "the council keeps packs for 1 year" in text
