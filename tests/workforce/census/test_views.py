"""The census pages as an HR officer uses them: upload, preview, confirm, result;
download; caseload upload. Errors are listed and nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PersonFactory, TeamFactory, employ
from workforce.census import views
from workforce.models import CaseloadSnapshot, CensusReturn, Council, ImportJob, Person

from .helpers import SAMPLE_CSV, SAMPLE_XML, employed, return_xml

pytestmark = pytest.mark.django_db


def upload(client, data: bytes, name: str = "return.xml", **fields):
    return client.post(
        reverse("census:upload"),
        {"file": SimpleUploadedFile(name, data), **fields},
    )


def test_upload_preview_confirm_result(client_as):
    client = client_as("HR officer")
    response = upload(client, SAMPLE_XML.read_bytes())
    assert response.status_code == 302 and response.url == reverse("census:preview")
    preview = client.get(reverse("census:preview"))
    text = preview.content.decode()
    assert "Check what the import will do" in text
    assert "SW0000000003" in text and "SW0000000004" in text  # the leaver and agency worker
    assert Person.objects.count() == 0  # the preview wrote nothing
    done = client.post(reverse("census:preview"))
    assert done.status_code == 302 and done.url == reverse("census:result")
    assert Person.objects.count() == 4
    result = client.get(reverse("census:result")).content.decode()
    assert "Census return imported" in result
    assert "the 2023 return, 4 worker records" in result
    assert LogEntry.objects.filter(actor=client.user).count() > 0
    # the upload is gone: confirming again does nothing
    again = client.get(reverse("census:preview"))
    assert "No census return to check" in again.content.decode()


def test_preview_of_a_csv_uses_the_flat_file_fields(client_as):
    client = client_as("Admin")
    upload(
        client,
        SAMPLE_CSV.read_bytes(),
        "return.csv",
        year="2023",
        lea="999",
        vacancies_fte="2.5",
        agency_cover_fte="1",
        agency_cover_headcount="1",
    )
    client.post(reverse("census:preview"))
    assert CensusReturn.objects.get().vacancies_fte == 2.5


def test_errors_are_shown_in_a_table_and_nothing_can_be_imported(client_as):
    client = client_as("HR officer")
    bad = return_xml(2023, [employed("SW1", "2020-01-06", Ethnicity="ZZZZ", OrgRole="8")])
    upload(client, bad)
    page = client.get(reverse("census:preview")).content.decode()
    assert "govuk-error-summary" in page and "2 problems found" in page
    assert "record 1" in page and "ZZZZ" in page and "OrgRole" in page
    assert "Import the return" not in page
    response = client.post(reverse("census:preview"))
    assert response.status_code == 200 and Person.objects.count() == 0


def test_a_file_that_is_not_a_return_gets_one_message_not_a_crash(client_as):
    client = client_as("HR officer")
    upload(client, b"<html><body>login</body></html>", "return.xml")
    page = client.get(reverse("census:preview")).content.decode()
    assert "1 problem found" in page and "web page (HTML)" in page


def test_the_confirm_step_imports_the_users_own_job_only(client_as, make_user):
    client = client_as("HR officer")
    upload(client, SAMPLE_XML.read_bytes())
    job = ImportJob.objects.get()
    assert job.created_by == client.user and bytes(job.data) == SAMPLE_XML.read_bytes()
    someone_else = make_user("HR officer")
    ImportJob.objects.filter(pk=job.pk).update(created_by=someone_else)
    page = client.post(reverse("census:preview")).content.decode()
    assert "No census return to check" in page and Person.objects.count() == 0
    session = client.session
    session[views.SESSION_UPLOAD] = {"job": "../../etc/passwd"}
    session.save()
    page = client.post(reverse("census:preview")).content.decode()
    assert "No census return to check" in page and Person.objects.count() == 0


@pytest.mark.parametrize("role", ["Service manager", "Director", "Scrutiny member", "Lead member"])
def test_only_hr_and_admins_may_import(client_as, role):
    client = client_as(role)
    assert upload(client, SAMPLE_XML.read_bytes()).status_code == 403
    assert client.post(reverse("census:preview")).status_code == 403
    assert client.post(reverse("census:caseloads-upload"), {}).status_code == 403
    assert Person.objects.count() == 0


def test_director_downloads_the_return(client_as):
    Council.objects.create(name="Sample", lea_code="999")
    from workforce.census.services import census_import

    census_import(data=SAMPLE_XML.read_bytes())
    client = client_as("Director")
    response = client.get(reverse("census:export"), {"year": 2023, "format": "xml"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="csww-2023.xml"'
    assert b"<SWENo>SW0000000002</SWENo>" in response.content
    csv = client.get(reverse("census:export"), {"year": 2023, "format": "csv"})
    assert csv.content.startswith(b"AgencyWorker,SWENo,FTE")


def test_download_refused_with_the_problems_listed(client_as):
    employ(person=PersonFactory(swe_number="SW1", date_of_birth=None), start=dt.date(2020, 1, 6))
    client = client_as("HR officer")
    page = client.get(reverse("census:export"), {"year": 2023, "format": "xml"})
    text = page.content.decode()
    assert page.status_code == 200 and "cannot be produced" in text
    assert "No council LEA code" in text and "PersonBirthDate" in text
    bad_year = client.get(reverse("census:export"), {"year": "twenty", "format": "xml"})
    assert "Enter a year" in bad_year.content.decode()


def test_caseload_upload_page(client_as):
    team = TeamFactory(name="North")
    employ(person=PersonFactory(swe_number="SW1"), team=team, start=dt.date(2020, 1, 6))
    client = client_as("HR officer")
    ok = client.post(
        reverse("census:caseloads-upload"),
        {"file": SimpleUploadedFile("c.csv", b"SWENo,Date,Cases\nSW1,2023-09-04,12\n")},
    )
    job = ImportJob.objects.get()
    assert ok.status_code == 302 and ok.url == reverse("census:caseloads-job", args=[job.pk])
    assert "1 caseload added" in client.get(ok.url).content.decode()
    assert CaseloadSnapshot.objects.get().cases == 12
    bad = client.post(
        reverse("census:caseloads-upload"),
        {
            "file": SimpleUploadedFile(
                "c.csv", b"SWENo,Date,Cases\nSW1,2023-09-11,x\nSW7,2023-09-11,1\n"
            )
        },
        follow=True,
    )
    text = bad.content.decode()
    assert "2 problems found" in text and "row 2" in text and "row 3" in text
    assert CaseloadSnapshot.objects.count() == 1
