"""The exits API: filters shared with the list page, the offer write with clear 400s,
and the summary's suppression for councillors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.locking import UNCHECKED
from core.roles import Role
from exits import services
from exits.models import ExitTheme
from tests.factories import employ

pytestmark = pytest.mark.django_db


def test_hr_lists_records_filtered_by_status_and_contract(client_as):
    employed = employ(end=dt.date(2024, 3, 31))
    agency = employ(agency=True, end=dt.date(2024, 4, 30))
    services.exit_record_update(
        exit_record=agency.exit_record,
        offered_on=dt.date(2024, 4, 20),
        channel="phone",
        version=UNCHECKED,
    )
    api = client_as(Role.HR_OFFICER)
    url = reverse("exits-api:exit-record-list")
    rows = api.get(url, {"status": "not_offered"}).json()["results"]
    assert [row["employment"] for row in rows] == [employed.pk]
    rows = api.get(url, {"contract_type": "agency"}).json()["results"]
    assert [(row["employment"], row["status"]) for row in rows] == [
        (agency.pk, "Offered, not completed")
    ]


def test_offer_through_the_api_reports_each_field(client_as):
    record = employ(end=dt.date(2024, 3, 31)).exit_record
    api = client_as(Role.HR_OFFICER)
    url = reverse("exits-api:exit-record-offer", kwargs={"pk": record.pk})
    bad = api.post(
        url,
        {"offered_on": "2024-04-02", "completed_on": "2024-04-01", "version": record.version},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert {"channel", "completed_on"} <= set(str(bad.content).replace('"', " ").split())
    good = api.post(
        url,
        {
            "offered_on": "2024-04-02",
            "channel": "face_to_face",
            "conductor": "leavers_choice",
            "version": record.version,
        },
        content_type="application/json",
    )
    assert good.status_code == 200 and good.json()["status"] == "Offered, not completed"


def test_summary_is_suppressed_for_scrutiny_members(client_as):
    for i in range(7):
        employment = employ(end=dt.date(2024, 3, 1) + dt.timedelta(days=i))
        services.questionnaire_submit(
            exit_record=employment.exit_record,
            answers={},
            reasons=ExitTheme.objects.filter(name="Pay" if i < 2 else "Culture"),
        )
    query = {"start": "2024-01-01", "end": "2024-12-31"}
    councillor = client_as(Role.SCRUTINY_MEMBER).get(reverse("exits-api:summary"), query).json()
    themes = {row["theme"]: row["leavers"] for row in councillor["themes"]}
    assert councillor["suppressed"] and themes["Pay"] is None and themes["Culture"] == 5
    director = client_as(Role.DIRECTOR).get(reverse("exits-api:summary"), query).json()
    assert {row["theme"]: row["leavers"] for row in director["themes"]}["Pay"] == 2


def test_councillors_cannot_read_records(client_as):
    employ(end=dt.date(2024, 3, 31))
    assert client_as(Role.LEAD_MEMBER).get(reverse("exits-api:exit-record-list")).status_code == 403
