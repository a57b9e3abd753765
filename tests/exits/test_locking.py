"""Optimistic locking on exit records: two officers record the same offer; the second is
refused with who changed what, keeps their entries, and the first stands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from exits.models import ExitRecord
from tests.factories import employ
from tests.locking import editor, field_value, form_data, refusal

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    return employ(end=dt.date(2025, 3, 31)).exit_record


@pytest.fixture
def two_officers(make_user):
    return (
        editor(make_user, Role.HR_OFFICER, "Sam", "Patel"),
        editor(make_user, Role.HR_OFFICER, "Jo", "Brown"),
    )


def test_second_save_of_an_exit_record_is_refused_with_what_changed(record, two_officers):
    sam, jo = two_officers
    url = reverse("exits:record-edit", kwargs={"pk": record.pk})
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    assert sams["version"] == jos["version"] == "1"
    saved = sam.post(url, {**sams, "offered_on": "2025-04-01", "channel": "video"})
    assert saved.status_code == 302
    refused = jo.post(
        url, {**jos, "offered_on": "2025-04-02", "channel": "phone", "conductor": "hr"}
    )
    assert refused.status_code == 200
    who, _, what = refusal(refused)
    assert who == "Sam Patel"
    assert "Offered on: (empty) → 1 Apr 2025" in what
    record.refresh_from_db()
    assert (record.offered_on, record.channel) == (dt.date(2025, 4, 1), "video")
    assert field_value(refused, "channel") == "phone"  # Jo's entries are still there
    assert field_value(refused, "offered_on") == "2025-04-02"
    assert field_value(refused, "version") == "2"


def test_api_offer_with_a_stale_version_is_a_409(record, two_officers):
    sam, jo = two_officers
    detail = jo.get(reverse("exits-api:exit-record-detail", args=[record.pk]))
    assert detail.json()["version"] == 1 and detail["ETag"] == '"1"'
    url = reverse("exits-api:exit-record-offer", args=[record.pk])
    first = sam.post(
        url, {"offered_on": "2025-04-01", "channel": "video", "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = jo.post(
        url, {"offered_on": "2025-04-02", "channel": "phone"},
        content_type="application/json", HTTP_IF_MATCH='"1"',
    )  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["non_field_errors"][0].startswith("Sam Patel changed this record at ")
    assert ExitRecord.objects.get(pk=record.pk).channel == "video"
