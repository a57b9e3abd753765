"""Asking for a pack: the service, the background build (eager here), a failing section,
the pages a director uses and the export_report command."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from core.roles import Role
from dashboards.kpis import REGISTRY, Scope, compute_kpis
from dashboards.models import ReportPack
from dashboards.reports import builder, services
from tests.factories import TeamFactory, employ

pytestmark = pytest.mark.django_db

START, END = dt.date(2023, 4, 1), dt.date(2024, 3, 31)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def council():
    team = TeamFactory(name="North")
    for _ in range(6):
        employ(team=team, start=dt.date(2020, 1, 6))
    employ(team=team, start=dt.date(2020, 1, 6), end=dt.date(2023, 9, 29))


def _create(user=None, **overrides):
    kwargs = {
        "user": user,
        "start": START,
        "end": END,
        "scope": "all",
        "sections": ["summary", "leavers", "appendix"],
        **overrides,
    }
    return services.report_pack_create(**kwargs)


def test_a_pack_is_built_with_every_file_and_records_what_produced_it(
    council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = _create()
    pack.refresh_from_db()
    assert pack.status == ReportPack.Status.DONE and pack.progress == 100
    assert pack.data_version is not None
    assert pack.settings_used["suppression_threshold"] == 5
    assert all(f.name.startswith("report-packs/") for f in (pack.docx_file, pack.pdf_file))
    workbook = load_workbook(pack.xlsx_file.path)
    assert workbook.sheetnames[:2] == ["About", "Headline figures"]
    assert pack.csv_zip_file.size > 0


def test_every_problem_with_the_request_is_reported_at_once():
    with pytest.raises(ValidationError) as caught:
        _create(start=END, end=START, scope="area:Nowhere", sections=["gossip"])
    assert set(caught.value.message_dict) == {"end", "scope", "sections"}
    assert ReportPack.objects.count() == 0


def test_a_failing_section_fails_the_pack_with_a_clear_message_and_no_file(
    council, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(pack):
        raise RuntimeError("the leavers query timed out")

    monkeypatch.setattr(builder, "_leavers", broken)
    with django_capture_on_commit_callbacks(execute=True):
        pack = _create()
    pack.refresh_from_db()
    assert pack.status == ReportPack.Status.FAILED
    assert pack.error_message == (
        "The section 'Leavers and why they leave' could not be built: the leavers query timed out"
    )
    assert not pack.docx_file and not pack.pdf_file and not pack.xlsx_file
    assert not pack.csv_zip_file


def test_without_chromium_a_pack_fails_at_once_and_says_what_to_install(
    council, monkeypatch, django_capture_on_commit_callbacks
):
    """kaleido, finding no browser, would try to download one and wait for ever."""
    from choreographer.browsers.chromium import Chromium

    monkeypatch.setattr(Chromium, "find_browser", classmethod(lambda cls, **kwargs: None))
    with django_capture_on_commit_callbacks(execute=True):
        pack = _create(sections=["summary", "leavers"], audience="restricted")  # with a chart
    pack.refresh_from_db()
    assert pack.status == ReportPack.Status.FAILED
    assert pack.error_message == f"The charts could not be drawn: {builder.CHROMIUM_MISSING}"
    assert "apt-get install chromium" in pack.error_message
    assert not pack.docx_file and not pack.pdf_file


def test_a_pack_whose_worker_stopped_is_marked_failed_by_the_sweeper(client_as):
    from django.utils import timezone

    from dashboards.tasks import fail_stuck_report_packs

    lost = _create()
    fresh = _create()
    ReportPack.objects.filter(pk=lost.pk).update(
        status=ReportPack.Status.RUNNING, created_at=timezone.now() - dt.timedelta(hours=3)
    )
    assert fail_stuck_report_packs() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ReportPack.Status.FAILED
    assert fresh.status == ReportPack.Status.QUEUED
    page = client_as(Role.DIRECTOR).get(reverse("dashboards:report-detail", args=[lost.pk]))
    assert "the server building it stopped" in page.content.decode()


def test_a_pack_that_cannot_be_queued_says_so(monkeypatch, django_capture_on_commit_callbacks):
    from dashboards import tasks

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.build_report_pack, "delay", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        pack = _create()
    pack.refresh_from_db()
    assert pack.status == ReportPack.Status.FAILED
    assert "could not be queued" in pack.error_message


def test_a_director_asks_for_a_pack_and_sees_it_ready_in_the_list(
    council, client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.DIRECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dashboards:report-create"),
            {
                "title": "Workforce update",
                "meeting": "Children's Scrutiny Panel",
                "period": "custom",
                "start": "2023-04-01",
                "end": "2024-03-31",
                "scope": "all",
                "sections": ["summary", "workforce"],
                "audience": "restricted",  # not for publication: the figures as they are
            },
        )
    pack = ReportPack.objects.get()
    assert pack.audience == ReportPack.Audience.RESTRICTED
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:report-detail", args=[pack.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "Ready" in detail and 'http-equiv="refresh"' not in detail
    download = client.get(reverse("dashboards:report-download", args=[pack.pk, "docx"]))
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    table = document.tables[1]  # after the meeting details
    label = REGISTRY["permanence_rate"].label
    row = next(r for r in table.rows if r.cells[0].text == label)
    expected = compute_kpis(as_of=END, scope=Scope("all"))["permanence_rate"]
    assert row.cells[1].text == REGISTRY["permanence_rate"].display(expected)
    listing = client.get(reverse("dashboards:report-list")).content.decode()
    assert "Workforce update" in listing and "1 Apr 2023 to 31 Mar 2024" in listing


def test_a_pack_is_for_publication_unless_chosen_otherwise(
    council, client_as, django_capture_on_commit_callbacks
):
    """The council's small numbers (1 leaver) never reach a paper for publication: the
    Word table says why instead."""
    client = client_as(Role.DIRECTOR)
    form = client.get(reverse("dashboards:report-create")).content.decode()
    assert "Not for publication: figures as they are" in form
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dashboards:report-create"),
            {
                "title": "Workforce update",
                "period": "custom",
                "start": "2023-04-01",
                "end": "2024-03-31",
                "scope": "all",
                "sections": ["workforce"],
            },
        )
    pack = ReportPack.objects.get()
    assert pack.audience == ReportPack.Audience.PUBLIC
    download = client.get(reverse("dashboards:report-download", args=[pack.pk, "docx"]))
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    values = compute_kpis(as_of=END, scope=Scope("all"))
    rows = {r.cells[0].text: r.cells[1].text for t in document.tables for r in t.rows}
    leavers, turnover = REGISTRY["leavers_fte"], REGISTRY["turnover_rate"]
    assert values["leavers_headcount"] == 1
    assert rows[leavers.label] == rows[turnover.label] == "fewer than 5"
    assert rows[REGISTRY["inpost_headcount"].label] == "6"  # 6: shown


def test_the_form_names_each_wrong_field(client_as):
    client = client_as(Role.DIRECTOR)
    response = client.post(
        reverse("dashboards:report-create"),
        {
            "title": "x",
            "period": "custom",
            "start": "2024-03-31",
            "end": "2023-04-01",
            "scope": "all",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one section." in page
    assert "The period must end on or after its first day." in page
    assert ReportPack.objects.count() == 0


def test_a_preset_period_is_worked_out_from_today(
    client_as, monkeypatch, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2024, 5, 14))
    with django_capture_on_commit_callbacks(execute=False):
        response = client_as(Role.DIRECTOR).post(
            reverse("dashboards:report-create"),
            {"title": "Q1", "period": "last_quarter", "scope": "all", "sections": ["summary"]},
        )
    assert response.status_code == 302
    pack = ReportPack.objects.get()
    assert (pack.period_start, pack.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


def test_custom_dates_must_be_given(client_as):
    response = client_as(Role.DIRECTOR).post(
        reverse("dashboards:report-create"),
        {"title": "x", "period": "custom", "scope": "all", "sections": ["summary"]},
    )
    page = response.content.decode()
    assert "Enter the first day of the period." in page
    assert "Enter the last day of the period." in page
    assert ReportPack.objects.count() == 0


def test_a_pack_still_being_built_refreshes_its_page(client_as):
    pack = ReportPack.objects.create(
        title="T",
        period_start=START,
        period_end=END,
        sections=["summary"],
        status=ReportPack.Status.RUNNING,
        progress=40,
    )
    page = client_as(Role.DIRECTOR).get(reverse("dashboards:report-detail", args=[pack.pk]))
    text = page.content.decode()
    assert 'http-equiv="refresh"' in text and "40% done" in text
    missing = client_as(Role.DIRECTOR).get(
        reverse("dashboards:report-download", args=[pack.pk, "docx"])
    )
    assert missing.status_code == 404


def test_export_report_writes_the_chosen_format(council, tmp_path):
    output = tmp_path / "pack.xlsx"
    out = io.StringIO()
    call_command(
        "export_report",
        "--from",
        "2023-04-01",
        "--to",
        "2024-03-31",
        "--format",
        "xlsx",
        "--output",
        str(output),
        stdout=out,
    )
    workbook = load_workbook(output)
    values = {r[0].value: r[1].value for r in workbook["Definitions"].iter_rows(min_row=2)}
    assert values[REGISTRY["inpost_headcount"].label] == 6
    assert "Wrote" in out.getvalue()


def test_export_report_explains_bad_input(tmp_path):
    with pytest.raises(CommandError, match="not a date"):
        call_command(
            "export_report",
            "--from",
            "1/4/2023",
            "--to",
            "2024-03-31",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "a.docx"),
        )
    with pytest.raises(CommandError, match="no service area called"):
        call_command(
            "export_report",
            "--from",
            "2023-04-01",
            "--to",
            "2024-03-31",
            "--scope",
            "area:Nowhere",
            "--format",
            "docx",
            "--output",
            str(tmp_path / "a.docx"),
        )
    assert not list(tmp_path.iterdir())


def test_a_pack_whose_worker_fell_silent_shows_failed_on_its_page_within_15_minutes(client_as):
    """Issue 17, finding 3: no beat needed, and minutes rather than hours."""
    from django.utils import timezone

    now = timezone.now()
    silent = _create()
    alive = _create()
    never_started = _create()
    ReportPack.objects.filter(pk=silent.pk).update(
        status=ReportPack.Status.RUNNING, heartbeat_at=now - dt.timedelta(minutes=11)
    )
    ReportPack.objects.filter(pk=alive.pk).update(
        status=ReportPack.Status.RUNNING,
        created_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - dt.timedelta(seconds=20),
    )
    ReportPack.objects.filter(pk=never_started.pk).update(created_at=now - dt.timedelta(minutes=16))
    director = client_as(Role.DIRECTOR)
    page = director.get(reverse("dashboards:report-detail", args=[silent.pk]))
    assert "the server building it stopped" in page.content.decode()
    listing = director.get(reverse("dashboards:report-list")).content.decode()
    assert "Failed" in listing
    for pack in (silent, alive, never_started):
        pack.refresh_from_db()
    assert silent.status == ReportPack.Status.FAILED
    assert alive.status == ReportPack.Status.RUNNING
    assert never_started.status == ReportPack.Status.FAILED
    assert "not started" in never_started.error_message


def test_a_redelivered_build_is_safe_and_finishes_the_pack(monkeypatch):
    """The task is idempotent: a rerun of a pack left "being built" (or marked failed by
    the sweeper meanwhile) builds it; a rerun of a built pack changes nothing."""
    from dashboards.reports.services import report_pack_build

    monkeypatch.setattr(services, "report_files_render", lambda **kwargs: _fake_rendered())
    pack = _create()
    ReportPack.objects.filter(pk=pack.pk).update(
        status=ReportPack.Status.FAILED, error_message="The pack was not finished: ..."
    )
    built = report_pack_build(pack_id=pack.pk)
    assert built.status == ReportPack.Status.DONE and built.error_message == ""
    first_file = built.pdf_file.name
    again = report_pack_build(pack_id=pack.pk)
    assert again.status == ReportPack.Status.DONE and again.pdf_file.name == first_file


def test_a_build_whose_files_cannot_be_stored_fails_clearly_and_keeps_no_file(
    monkeypatch, tmp_path
):
    """A failure after the rendering (here the storage refuses the third file) fails the
    pack with a message, instead of crashing the task and leaving it "being built"."""
    from django.core.files.storage import FileSystemStorage

    from dashboards.reports.services import report_pack_build

    monkeypatch.setattr(services, "report_files_render", lambda **kwargs: _fake_rendered())
    saved = []
    real_save = FileSystemStorage.save

    def full_disk(self, name, content, max_length=None):
        if len(saved) == 2:
            raise OSError("No space left on device")
        saved.append(real_save(self, name, content, max_length=max_length))
        return saved[-1]

    monkeypatch.setattr(FileSystemStorage, "save", full_disk)
    pack = _create()
    built = report_pack_build(pack_id=pack.pk)
    assert built.status == ReportPack.Status.FAILED
    assert built.error_message == ("The pack's files could not be stored: No space left on device")
    assert not built.pdf_file and not built.docx_file
    storage = FileSystemStorage()
    assert saved and not any(storage.exists(name) for name in saved)  # none left behind


def _fake_rendered():
    from types import SimpleNamespace

    from dashboards.reports.services import RenderedPack

    return RenderedPack(
        data=SimpleNamespace(quote_sources=list),  # quotes no exit record
        files=dict.fromkeys(("docx", "pdf", "xlsx", "csv"), b"x"),
    )


def test_stored_names_are_deterministic_and_safe_and_people_see_the_human_name(
    monkeypatch, client_as
):
    """Whatever the title (long, with quotes, slashes and curly apostrophes), the file is
    stored under a short ASCII name that a rebuild reuses (no random suffix, no
    truncation); the pack's page and the download give the name people recognise."""
    from dashboards.reports.services import report_pack_build

    monkeypatch.setattr(services, "report_files_render", lambda **kwargs: _fake_rendered())
    title = 'Children\u2019s social work: workforce / "retention" report ' + "x" * 120
    pack = _create(title=title, audience=ReportPack.Audience.RESTRICTED)
    built = report_pack_build(pack_id=pack.pk)
    stem = f"report-packs/{pack.pk}/report-pack-{pack.pk}-2024-03-31"
    expected = {
        "docx_file": f"{stem}-not-for-publication.docx",
        "pdf_file": f"{stem}-not-for-publication.pdf",
        "xlsx_file": f"{stem}-not-for-publication.xlsx",
        "csv_zip_file": f"{stem}-tables-not-for-publication.zip",
    }
    assert {field: getattr(built, field).name for field in expected} == expected
    # a rebuild (quotes erased, a redelivered task) writes the same names, leaving no copy
    ReportPack.objects.filter(pk=pack.pk).update(status=ReportPack.Status.RUNNING)
    rebuilt = report_pack_build(pack_id=pack.pk)
    assert {field: getattr(rebuilt, field).name for field in expected} == expected
    folder = Path(rebuilt.docx_file.path).parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        n.rsplit("/", 1)[1] for n in expected.values()
    )

    human = services.file_name(rebuilt, "docx")
    assert human.startswith("Children\u2019s social work  workforce")
    assert human.endswith(" 2024-03-31 (not for publication).docx")
    director = client_as(Role.DIRECTOR)
    page = director.get(reverse("dashboards:report-detail", args=[pack.pk])).content.decode()
    assert "report-pack-" not in page  # the stored name is never shown
    assert " 2024-03-31 (not for publication).docx" in page
    download = director.get(reverse("dashboards:report-download", args=[pack.pk, "docx"]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "report-pack-" not in disposition
    assert "2024-03-31%20%28not%20for%20publication%29.docx" in disposition  # RFC 5987
