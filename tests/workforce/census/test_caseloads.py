"""Caseload snapshots from the case management system's CSV."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from tests.factories import PersonFactory, TeamFactory, employ
from workforce.census.services import caseloads_import
from workforce.choices import CaseloadSource
from workforce.models import CaseloadSnapshot

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def workers():
    north = TeamFactory(name="North")
    TeamFactory(name="South")
    employ(person=PersonFactory(swe_number="SW1", staff_ref="E1"), team=north, start=D(2020, 1, 6))
    employ(
        person=PersonFactory(swe_number="SW2", staff_ref="E2"),
        team=north,
        start=D(2020, 1, 6),
        end=D(2023, 6, 1),
    )


def test_caseloads_import_by_swe_number_and_by_staff_ref(workers, tmp_path, make_user):
    path = tmp_path / "caseloads.csv"
    path.write_text("SWENo,Date,Cases\nsw1,2023-09-04,12\nSW2,2023-05-29,8\n")
    call_command("import_caseloads", str(path))
    assert sorted(
        CaseloadSnapshot.objects.values_list("employment__person__swe_number", "cases")
    ) == [
        ("SW1", 12),
        ("SW2", 8),
    ]
    snapshot = CaseloadSnapshot.objects.get(employment__person__swe_number="SW1")
    assert snapshot.team.name == "North" and snapshot.source == CaseloadSource.IMPORT
    user = make_user("HR officer")
    result = caseloads_import(data=b"StaffRef,Date,Cases,Team\nE1,11/09/2023,14,South\n", user=user)
    assert result.errors == [] and result.created == 1
    latest = CaseloadSnapshot.objects.get(date=D(2023, 9, 11))
    assert latest.cases == 14 and latest.team.name == "South"
    assert LogEntry.objects.get_for_object(latest).get().actor == user


def test_a_repeat_of_the_same_worker_and_date_replaces_the_figure(workers):
    caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-04,12\n")
    result = caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-04,13\nSW1,2023-09-04,15\n")
    assert result.errors == [] and result.updated == 1
    assert [w.where for w in result.warnings] == ["row 3"]
    assert CaseloadSnapshot.objects.get().cases == 15
    again = caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-04,15\n")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_every_bad_row_is_reported_and_nothing_is_written(workers, tmp_path, capsys):
    path = tmp_path / "caseloads.csv"
    path.write_text(
        "SWENo,Date,Cases,Team\n"
        "SW1,2023-09-04,12,\n"  # fine, but not written because of the others
        "SW9,2023-09-04,3,\n"  # unknown worker
        "SW1,04-09-2023,3,\n"  # bad date
        "SW1,2023-09-04,lots,\n"  # bad cases
        "SW2,2023-09-04,4,\n"  # left on 1 June
        "SW1,2023-09-04,4,Nowhere\n"  # unknown team
        "SW1,2999-01-01,4,\n"  # future
    )
    with pytest.raises(CommandError, match="6 error"):
        call_command("import_caseloads", str(path))
    err = capsys.readouterr().err
    for expected in (
        "row 3, SWENo = 'SW9'",
        "row 4, Date = '04-09-2023'",
        "row 5, Cases = 'lots'",
        "row 6, Date = '2023-09-04': SW2 was not in post",
        "row 7, Team = 'Nowhere'",
        "row 8, Date = '2999-01-01'",
    ):
        assert expected in err
    assert CaseloadSnapshot.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Name,Cases\nJo,3\n", "SWENo or StaffRef"),
        (b"SWENo,Cases\nSW1,3\n", "Date"),
        (b"\x00\x01\x02binary", "binary"),
        ("SWENo,Date,Cases\nSW1,2023-09-04,caf\xe9\n".encode("latin-1"), "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_caseload_csv_gets_one_message(workers, data, words):
    result = caseloads_import(data=data)
    assert len(result.errors) == 1 and words in result.errors[0].message


def test_an_import_sends_one_change_signal_and_no_duplicate_audit(workers):
    """Listeners for workforce changes (KPI snapshots going stale) hear of an import once."""
    from django.db.models.signals import post_save

    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance)

    post_save.connect(listener, sender=CaseloadSnapshot)
    try:
        caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-04,12\nSW1,2023-09-11,13\n")
    finally:
        post_save.disconnect(listener, sender=CaseloadSnapshot)
    assert len(heard) == 1
    assert LogEntry.objects.filter(content_type__model="caseloadsnapshot").count() == 2


# --- The council's caseload ceiling, as on the HR caseload form -----------------------


def test_a_figure_above_the_ceiling_needs_confirming_as_on_the_form(workers, tmp_path, capsys):
    """40 (the default ceiling) imports; 41 is an error naming the row until the figures
    above the ceiling are confirmed; more than 200 is never possible (the form's rules)."""
    data = b"SWENo,Date,Cases\nSW1,2023-09-04,40\nSW1,2023-09-11,41\nSW2,2023-05-29,55\n"
    refused = caseloads_import(data=data)
    assert [(p.where, p.item, p.value) for p in refused.errors] == [
        ("row 3", "Cases", "41"),
        ("row 4", "Cases", "55"),
    ]
    assert "Above the council's ceiling of 40" in refused.errors[0].message
    assert not CaseloadSnapshot.objects.exists()
    path = tmp_path / "caseloads.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_caseloads", str(path))
    call_command("import_caseloads", str(path), "--confirm-above-ceiling")
    assert sorted(CaseloadSnapshot.objects.values_list("cases", flat=True)) == [40, 41, 55]
    impossible = caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-18,201\n", confirmed=True)
    assert [(p.where, p.value) for p in impossible.errors] == [("row 2", "201")]
    assert "no one can hold more than 200" in impossible.errors[0].message


def test_the_ceiling_is_the_councils_setting(workers, settings):
    settings.CASELOAD_CONFIRM_ABOVE = 25
    result = caseloads_import(data=b"SWENo,Date,Cases\nSW1,2023-09-04,25\nSW1,2023-09-11,26\n")
    assert [(p.where, p.value) for p in result.errors] == [("row 3", "26")]
    assert "ceiling of 25" in result.errors[0].message


def test_the_upload_page_offers_the_confirmation_and_passes_it_on(workers, client, make_user):
    from workforce.imports import import_job_run
    from workforce.models import ImportJob

    client.force_login(make_user("HR officer"))
    page = client.get("/workforce/census/caseloads/")
    assert "I have checked the figures above 40 cases" in page.content.decode()
    data = b"SWENo,Date,Cases\nSW1,2023-09-11,41\n"
    for confirmed, expected in ((False, 0), (True, 1)):
        from django.core.files.uploadedfile import SimpleUploadedFile

        form = {"file": SimpleUploadedFile("c.csv", data, content_type="text/csv")}
        if confirmed:
            form["confirmed_above_ceiling"] = "on"
        client.post("/workforce/census/caseloads/", form)
        job = ImportJob.objects.latest("created_at")
        import_job_run(job_id=str(job.pk), stage="import")
        job.refresh_from_db()
        assert job.details == {"confirmed_above_ceiling": confirmed}
        assert CaseloadSnapshot.objects.count() == expected
