"""core.locking on its own: the version check, what a refusal says, the If-Match header."""

from __future__ import annotations

import pytest
from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import RequestFactory

from core.locking import (
    MISSING_VERSION,
    UNCHECKED,
    StaleEdit,
    VersionMissing,
    lock_version,
    requested_version,
)
from tests.factories import PersonFactory
from workforce import services

pytestmark = pytest.mark.django_db


def test_a_save_at_the_loaded_version_moves_it_on_and_a_stale_one_is_refused(make_user):
    person = PersonFactory(last_name="Smith")
    editor = make_user()
    editor.first_name, editor.last_name = "Sam", "Patel"
    editor.save()
    with set_actor(editor):
        services.person_update(person=person, version=1, last_name="Jones")
    assert person.version == 2
    with pytest.raises(StaleEdit) as refused:
        services.person_update(person=PersonFactory._meta.model.objects.get(pk=person.pk),
                               version=1, first_name="Anne")  # fmt: skip
    assert refused.value.current_version == 2
    (message,) = refused.value.messages
    assert message.startswith("Sam Patel changed this record at ")
    assert "Last name: Smith → Jones" in message


def test_a_save_without_a_version_is_refused_and_changes_nothing():
    person = PersonFactory(last_name="Smith")
    with pytest.raises(VersionMissing) as refused:
        services.person_update(person=person, version=None, last_name="Jones")
    assert refused.value.messages == [MISSING_VERSION]
    person.refresh_from_db()
    assert (person.last_name, person.version) == ("Smith", 1)


def test_only_an_explicit_unchecked_skips_the_check_and_the_version_still_moves_on():
    person = PersonFactory()
    services.person_update(person=person, last_name="Jones", version=UNCHECKED)
    services.person_update(person=person, last_name="Brown", version=UNCHECKED)
    person.refresh_from_db()
    assert (person.last_name, person.version) == ("Brown", 3)


def test_a_deleted_record_is_said_plainly():
    person = PersonFactory()
    person_id = person.pk
    type(person).objects.filter(pk=person_id).delete()
    with pytest.raises(ValidationError, match="deleted"), transaction.atomic():
        lock_version(person, 1)


@pytest.mark.parametrize(
    ("header", "expected"), [('"3"', 3), ('W/"3"', 3), ("3", 3), ("*", None), ("", None)]
)
def test_if_match_is_read_in_its_usual_forms(header, expected):
    request = (
        RequestFactory().patch("/", HTTP_IF_MATCH=header) if header else RequestFactory().patch("/")
    )
    assert requested_version(request, {}) == expected
    assert requested_version(request, {"version": 7}) == 7  # the body wins
