"""core.audit: models are audited by the fields stored in their tables
(``audit_register``), and the audit trail of a bulk build (``audit_in_bulk``) is the one
auditlog writes, written together at the end of the block."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.audit import audit_in_bulk
from core.locking import UNCHECKED
from tests.factories import PersonFactory, TeamFactory
from workforce import services
from workforce.choices import ContractType, OrgRole
from workforce.models import Employment, Person

pytestmark = pytest.mark.django_db

HOUSEKEEPING = {"created_at", "updated_at"}  # their values differ from run to run


def _trail(obj) -> list[tuple]:
    return [
        (e.action, {k: v for k, v in e.changes.items() if k not in HOUSEKEEPING}, e.object_repr)
        for e in LogEntry.objects.get_for_object(obj).order_by("pk")
    ]


def _history(last_name: str, number: str) -> Employment:
    """A person, a change to them, a starter and a leaving, through the services."""
    person = services.person_create(swe_number=number, last_name=last_name)
    services.person_update(person=person, version=UNCHECKED, first_name="Ann")
    employment = services.starter_record(
        person=person, contract_type=ContractType.PERMANENT, start_date=dt.date(2024, 1, 8),
        team=TeamFactory(), org_role=OrgRole.CASE_HOLDER, fte="1", start_origin=1,
    )  # fmt: skip
    return services.leaver_record(
        employment=employment, end_date=dt.date(2024, 6, 28), leaving_reason=1,
        leaving_destination=1, version=UNCHECKED,
    )  # fmt: skip


def test_updates_are_audited_as_auditlog_audits_them_and_creations_by_stored_field():
    usual = _history("Usual", "SW100")
    with audit_in_bulk():
        bulk = _history("Bulk", "SW200")
    usual_trail, bulk_trail = _trail(usual), _trail(bulk)
    assert [action for action, *_ in bulk_trail] == [action for action, *_ in usual_trail]
    # the leaving: the same changes (end date, reason, destination, version)
    assert bulk_trail[1][1] == usual_trail[1][1]
    assert bulk_trail[1][1]["end_date"] == ["None", "2024-06-28"]
    # the start: every stored field, and nothing else, either way
    created = bulk_trail[0][1]
    assert created["start_date"] == ["None", "2024-01-08"]
    different = ("id", "person")
    assert {k: v for k, v in created.items() if k not in different} == {
        k: v for k, v in usual_trail[0][1].items() if k not in different
    }
    person_trail = _trail(Person.objects.get(last_name="Bulk"))
    assert person_trail[1][1]["first_name"] == ["", "Ann"]
    assert person_trail[1][2] == "Ann Bulk"


def test_entries_are_written_when_the_block_ends_naming_the_actor(make_user):
    editor = make_user()
    before = LogEntry.objects.count()
    with set_actor(editor), audit_in_bulk():
        person = services.person_create(swe_number="SW123", last_name="Quiet")
        assert LogEntry.objects.count() == before
    (entry,) = LogEntry.objects.get_for_object(person)
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == editor
    assert entry.changes["last_name"] == ["None", "Quiet"]


def test_a_record_stored_before_the_block_is_diffed_against_the_database():
    person = PersonFactory(last_name="Smith")
    with audit_in_bulk():
        services.person_update(person=Person.objects.get(pk=person.pk), version=UNCHECKED,
                               last_name="Jones")  # fmt: skip
    update = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.UPDATE)
    assert update.changes["last_name"] == ["Smith", "Jones"]
    assert update.changes["version"] == ["1", "2"]


def test_every_audited_model_is_audited_by_its_stored_fields_only():
    for model in auditlog.get_models():
        audited = set(auditlog.get_model_fields(model)["include_fields"])
        columns = {field.name for field in model._meta.concrete_fields}
        assert audited and audited <= columns, model


def test_a_new_employment_is_audited_without_its_empty_reverse_relations():
    person, team = PersonFactory(), TeamFactory()
    with CaptureQueriesContext(connection) as queries:
        employment = services.starter_record(
            person=person, contract_type=ContractType.PERMANENT, start_date=dt.date(2024, 1, 8),
            team=team, org_role=OrgRole.CASE_HOLDER, fte="1", start_origin=1,
        )  # fmt: skip
    (entry,) = LogEntry.objects.get_for_object(employment)
    assert set(entry.changes) <= {field.name for field in Employment._meta.concrete_fields}
    assert entry.changes["start_date"] == ["None", "2024-01-08"]
    assert not any(new.endswith(".None") for _, new in entry.changes.values())
    # nothing is read back to find there is no exit record, placement or application yet
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if '"exits_exitrecord"' in sql.split("WHERE")[0]]
