"""Optimistic locking on vacancies and applications (``core.locking``, the mechanism the
other apps share): two officers open the same page, both save; the second is refused with
who changed what, their entries stay in the form, and the first save stands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from recruitment.choices import Stage
from recruitment.models import Application, Vacancy
from tests.locking import editor, field_value, form_data, refusal

from .helpers import apply, open_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_officers(make_user):
    return (
        editor(make_user, Role.HR_OFFICER, "Sam", "Patel"),
        editor(make_user, Role.HR_OFFICER, "Jo", "Brown"),
    )


def test_second_save_of_a_vacancy_is_refused_with_what_changed(two_officers):
    sam, jo = two_officers
    vacancy = open_vacancy(notes="Advertised in January.")
    url = reverse("recruitment:vacancy-update", kwargs={"pk": vacancy.pk})
    sams, jos = form_data(sam.get(url)), form_data(jo.get(url))
    assert sam.post(url, {**sams, "status": "on_hold"}).status_code == 302
    refused = jo.post(url, {**jos, "notes": "Interviews on 3 March."})
    assert refused.status_code == 200
    who, _, what = refusal(refused)
    assert who == "Sam Patel" and "Status: Open → On hold" in what
    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    assert (vacancy.status, vacancy.notes) == ("on_hold", "Advertised in January.")
    assert field_value(refused, "notes").strip() == "Interviews on 3 March."
    assert field_value(refused, "version") == str(vacancy.version)


def test_second_stage_change_of_an_application_is_refused(two_officers):
    sam, jo = two_officers
    application = apply(open_vacancy(), first_name="Kofi", last_name="Mensah")
    page = reverse("recruitment:application-detail", kwargs={"pk": application.pk})
    url = reverse("recruitment:application-stage", kwargs={"pk": application.pk})
    sams = form_data(sam.get(page), action=url)
    jos = form_data(jo.get(page), action=url)
    moved = sam.post(url, {**sams, "action": "shortlisted", "date": "2024-02-05"})
    assert moved.status_code == 302
    refused = jo.post(url, {**jos, "action": "rejected", "date": "2024-02-06",
                            "close_reason": "not_shortlisted"})  # fmt: skip
    who, _, what = refusal(refused)
    assert who == "Sam Patel" and "Stage: Applied → Shortlisted" in what
    application = Application.objects.get(pk=application.pk)
    assert (application.stage, application.outcome) == (Stage.SHORTLISTED, "in_progress")


def test_api_stage_change_by_two_clients_refuses_the_second_with_409(two_officers):
    sam, jo = two_officers
    application = apply(open_vacancy())
    url = reverse("recruitment-api:application-stage-change", kwargs={"pk": application.pk})
    body = {"date": "2024-02-10", "version": application.version}
    ok = sam.post(url, {**body, "action": "shortlisted"}, content_type="application/json")
    assert ok.status_code == 200
    stale = jo.post(
        url, {**body, "action": "rejected", "close_reason": "not_shortlisted"},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    message = stale.json()["non_field_errors"][0]
    assert message.startswith("Sam Patel changed this record at ")
    assert Application.objects.get(pk=application.pk).stage == Stage.SHORTLISTED


def test_personal_data_never_reaches_the_audit_log():
    from auditlog.models import LogEntry

    application = apply(open_vacancy(), first_name="Private", last_name="Person")
    entries = LogEntry.objects.get_for_object(application)
    assert entries.exists()
    assert not any("Private" in str(e.changes) or "Person" in str(e.changes) for e in entries)
