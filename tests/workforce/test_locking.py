"""Optimistic locking on people and employments (their leavings and changes of terms):
two HR officers open the same form, both save; the second is refused with who changed
what and when, their entries are still in the form, and the first save stands."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import PersonFactory, TeamFactory, employ
from tests.locking import editor, field_value, form_data, refusal
from workforce.models import Assignment, Employment, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_officers(make_user):
    return (
        editor(make_user, Role.HR_OFFICER, "Sam", "Patel"),
        editor(make_user, Role.HR_OFFICER, "Jo", "Brown"),
    )


def test_second_save_of_a_person_is_refused_with_what_changed(two_officers):
    sam, jo = two_officers
    person = PersonFactory(first_name="Ann", last_name="Smith")
    url = reverse("workforce:person-edit", args=[person.pk])
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    assert sams["version"] == jos["version"] == "1"

    assert sam.post(url, {**sams, "last_name": "Jones"}).status_code == 302
    refused = jo.post(url, {**jos, "first_name": "Anne"})

    assert refused.status_code == 200
    who, _, what = refusal(refused)
    assert who == "Sam Patel"
    assert "Last name: Smith → Jones" in what
    assert "Nothing you entered was saved" in what
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Ann", "Jones")  # nothing reverted
    assert field_value(refused, "first_name") == "Anne"  # Jo's entry is still there
    assert field_value(refused, "last_name") == "Smith"
    assert field_value(refused, "version") == "2"

    again = jo.post(url, {**form_data(refused), "last_name": "Jones"})  # having seen it
    assert again.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.version) == ("Anne", "Jones", 3)


def test_second_leaving_is_refused_not_overwritten(two_officers):
    sam, jo = two_officers
    e = employ(start=dt.date(2020, 1, 6))
    url = reverse("workforce:leaver-create", args=[e.pk])
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    leaving = {"leaving_reason": "1", "leaving_destination": "1"}
    assert sam.post(url, {**sams, **leaving, "end_date": "2024-03-31"}).status_code == 302
    refused = jo.post(url, {**jos, **leaving, "end_date": "2024-05-31"})
    who, _, what = refusal(refused)
    assert who == "Sam Patel" and "End date: (empty) → 31 Mar 2024" in what
    e.refresh_from_db()
    assert e.end_date == dt.date(2024, 3, 31)
    boxes = [field_value(refused, f"end_date_{i}") for i in range(3)]
    assert boxes == ["31", "5", "2024"] or field_value(refused, "end_date") == "2024-05-31", boxes


def test_second_change_of_terms_is_refused_and_the_first_kept(two_officers):
    sam, jo = two_officers
    e = employ(start=dt.date(2020, 1, 6), fte="1")
    new_team = TeamFactory(name="Leaving Care East")
    url = reverse("workforce:change-create", args=[e.pk])
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    moved = sam.post(
        url,
        {**sams, "change_reason": "team_move", "effective_from": "2024-02-01",
         "team": new_team.pk},
    )  # fmt: skip
    assert moved.status_code == 302
    refused = jo.post(
        url, {**jos, "change_reason": "fte_change", "effective_from": "2024-03-01", "fte": "0.5"}
    )
    who, _, what = refusal(refused)
    assert who == "Sam Patel"
    assert "Leaving Care East" in what  # the new assignment's team
    assignments = Assignment.objects.filter(employment=e).order_by("effective_from")
    assert [(a.team_id, a.fte) for a in assignments][-1] == (new_team.pk, Decimal("1.00"))
    assert assignments.count() == 2
    assert field_value(refused, "fte") == "0.5"


# --- API --------------------------------------------------------------------------------


def test_api_person_update_with_a_stale_version_is_a_409_saying_who(two_officers):
    sam, jo = two_officers
    person = PersonFactory(first_name="Ann", last_name="Smith")
    url = reverse("workforce-api:person-detail", args=[person.pk])
    read = jo.get(url)
    assert read.json()["version"] == 1 and read["ETag"] == '"1"'
    ok = sam.patch(url, {"last_name": "Jones", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert ok["ETag"] == '"2"'
    stale = jo.patch(
        url, {"first_name": "Anne"}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 409
    message = stale.json()["non_field_errors"][0]
    assert message.startswith("Sam Patel changed this record at ")
    assert "Last name: Smith → Jones" in message
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Ann", "Jones")
    fresh = jo.patch(url, {"first_name": "Anne", "version": 2}, content_type="application/json")
    assert fresh.status_code == 200
    assert Person.objects.get(pk=person.pk).first_name == "Anne"


def test_api_leaving_and_change_check_the_employment_version(two_officers):
    sam, jo = two_officers
    e = employ(start=dt.date(2020, 1, 6))
    change = reverse("workforce-api:employment-changes", args=[e.pk])
    leave = reverse("workforce-api:employment-leave", args=[e.pk])
    assert (
        sam.post(
            change,
            {"effective_from": "2024-02-01", "change_reason": "fte_change", "fte": "0.8",
             "version": 1},
            content_type="application/json",
        ).status_code == 201
    )  # fmt: skip
    stale = jo.post(
        leave,
        {"end_date": "2024-05-31", "leaving_reason": 1, "leaving_destination": 1, "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert "Sam Patel changed this record" in stale.json()["non_field_errors"][0]
    assert Employment.objects.get(pk=e.pk).end_date is None
    ok = jo.post(
        leave,
        {"end_date": "2024-05-31", "leaving_reason": 1, "leaving_destination": 1},
        content_type="application/json",
        HTTP_IF_MATCH='W/"2"',
    )
    assert ok.status_code == 200 and ok.json()["version"] == 3
