"""Services and selectors behind the HR pages: a starter with their person in one
transaction, a person's position on a date, and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.locking import UNCHECKED
from tests.factories import GradeFactory, PersonFactory, PostFactory, TeamFactory, employ
from workforce import selectors, services
from workforce.choices import ChangeReason, ContractType, OrgRole
from workforce.models import Assignment, Employment, Person

pytestmark = pytest.mark.django_db

D = dt.date


def counts():
    return Person.objects.count(), Employment.objects.count(), Assignment.objects.count()


def details(**overrides):
    return {"swe_number": "sw500100", "first_name": "Dana", "last_name": "Obi", **overrides}


def terms(team, **overrides):
    return {
        "contract_type": ContractType.PERMANENT,
        "start_date": D(2023, 9, 4),
        "team": team,
        "org_role": OrgRole.CASE_HOLDER,
        "fte": Decimal("1"),
        "start_origin": 1,
        **overrides,
    }


# --- person_starter_record -----------------------------------------------------------


def test_new_starter_creates_person_and_employment_with_the_grades_dfe_role():
    team = TeamFactory()
    grade = GradeFactory(default_org_role=OrgRole.SENIOR_PRACTITIONER)
    employment = services.person_starter_record(
        person_details=details(), **terms(team, org_role=None, grade=grade)
    )
    assert employment.person.swe_number == "SW500100"
    assert employment.assignments.get().org_role == OrgRole.SENIOR_PRACTITIONER


def test_dfe_role_defaults_from_the_posts_grade_when_no_grade_is_given():
    team = TeamFactory()
    post = PostFactory(team=team, grade=GradeFactory(default_org_role=OrgRole.FIRST_LINE_MANAGER))
    employment = services.person_starter_record(
        person_details=details(), **terms(team, org_role=None, post=post)
    )
    assignment = employment.assignments.get()
    assert assignment.org_role == OrgRole.FIRST_LINE_MANAGER and assignment.grade == post.grade


def test_person_and_employment_problems_are_reported_together_and_nothing_is_written():
    PersonFactory(swe_number="SW500100")
    team = TeamFactory()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_starter_record(
            person_details=details(date_of_birth=D(2090, 1, 1)),
            **terms(team, fte=Decimal("1.2")),
        )
    errors = exc.value.message_dict
    assert "already recorded" in errors["swe_number"][0]
    assert errors["date_of_birth"] == ["Date of birth must be in the past."]
    assert "no more than 1" in errors["fte"][0]
    assert "person" not in errors
    assert counts() == before


def test_a_valid_person_is_not_saved_when_the_employment_is_refused():
    team = TeamFactory()
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_starter_record(
            person_details=details(), **terms(team, contract_type=ContractType.AGENCY)
        )
    assert exc.value.message_dict["agency"] == ["Choose the agency supplying this worker."]
    assert counts() == before


def test_missing_dfe_role_with_no_grade_is_refused_and_nothing_is_written():
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.person_starter_record(
            person_details=details(), **terms(TeamFactory(), org_role=None)
        )
    assert "Choose the DfE role" in exc.value.message_dict["org_role"][0]
    assert counts() == before


def test_returning_person_gets_a_new_employment_but_not_an_overlapping_one():
    team = TeamFactory()
    first = employ(team=team, start=D(2018, 1, 8), end=D(2021, 3, 31))
    services.person_starter_record(person=first.person, **terms(team, start_date=D(2022, 5, 3)))
    assert first.person.employments.count() == 2
    with pytest.raises(ValidationError) as exc:
        services.person_starter_record(person=first.person, **terms(team, start_date=D(2023, 1, 9)))
    assert "overlaps" in exc.value.message_dict["start_date"][0]
    assert first.person.employments.count() == 2


def test_agency_starter_drops_the_start_origin():
    from tests.factories import AgencyFactory

    employment = services.person_starter_record(
        person_details=details(),
        **terms(TeamFactory(), contract_type=ContractType.AGENCY, agency=AgencyFactory()),
    )
    assert employment.start_origin is None


@pytest.mark.parametrize("both", [True, False])
def test_either_a_person_or_new_details_must_be_given(both):
    person = PersonFactory()
    kwargs = {"person": person, "person_details": details()} if both else {}
    with pytest.raises(ValueError):
        services.person_starter_record(**kwargs, **terms(TeamFactory()))


# --- person_position / people_with_history --------------------------------------------


def _position(person, on):
    person = selectors.people_with_history(Person.objects.filter(pk=person.pk)).get()
    return selectors.person_position(person=person, as_of=on)


def test_position_on_a_date_follows_changes_leaving_and_return():
    first_team, second_team = TeamFactory(name="North"), TeamFactory(name="South")
    e = employ(team=first_team, start=D(2019, 1, 7), fte="1")
    services.assignment_change(
        employment=e,
        effective_from=D(2020, 6, 1),
        change_reason=ChangeReason.TEAM_MOVE,
        team=second_team,
        fte=Decimal("0.6"),
        version=UNCHECKED,
    )
    services.leaver_record(
        employment=e,
        end_date=D(2021, 8, 31),
        leaving_reason=1,
        leaving_destination=1,
        version=UNCHECKED,
    )
    person = e.person
    on_2019 = _position(person, D(2019, 12, 1))
    assert (on_2019["status"], on_2019["assignment"].team.name) == ("In post", "North")
    on_2021 = _position(person, D(2021, 1, 1))
    assert (on_2021["assignment"].team.name, on_2021["assignment"].fte) == ("South", Decimal("0.6"))
    after = _position(person, D(2022, 1, 1))
    assert after["status"] == "Left on 31 August 2021" and not after["in_post"]
    assert after["assignment"].team.name == "South"  # their last terms
    before = _position(person, D(2018, 1, 1))
    assert before["status"] == "Starts on 7 January 2019"
    employ(person=person, team=first_team, start=D(2023, 2, 6))
    assert _position(person, D(2023, 3, 1))["assignment"].team.name == "North"


def test_people_with_history_loads_in_a_fixed_number_of_queries():
    team = TeamFactory()
    for _ in range(12):
        employ(team=team)
    with CaptureQueriesContext(connection) as ctx:
        people = list(selectors.people_with_history(Person.objects.all()))
        [selectors.person_position(person=p, as_of=D(2024, 1, 1)) for p in people]
    assert len(ctx.captured_queries) == 3  # people, employments, assignments


# --- person_audit_trail --------------------------------------------------------------


def test_audit_trail_records_who_changed_what_before_and_after(django_user_model):
    hr = django_user_model.objects.create_user(username="hr.patel", password="x-pw-123456")
    with set_actor(hr):
        e = employ(team=TeamFactory(), start=D(2020, 1, 6))
        services.person_update(person=e.person, last_name="Newname", version=UNCHECKED)
        services.leaver_record(
            employment=e,
            end_date=D(2023, 3, 31),
            leaving_reason=1,
            leaving_destination=2,
            version=UNCHECKED,
        )
    trail = selectors.person_audit_trail(person=e.person)
    assert all(entry["who"] == hr for entry in trail)
    leaving = trail[0]
    assert (leaving["action"], leaving["what"]) == ("update", "employment")
    assert ("leaving reason", "(empty)", "Resignation") in leaving["changes"]
    rename = next(t for t in trail if t["what"] == "person" and t["action"] == "update")
    labels = [label for label, _, _ in rename["changes"]]
    assert labels == ["last name"]
    created = [t["what"] for t in trail if t["action"] == "create"]
    assert sorted(created) == ["assignment", "employment", "person"]
    assert not any(label in {"ID", "created at"} for t in trail for label, _, _ in t["changes"])


def test_audit_trail_of_one_person_does_not_show_anothers():
    mine, other = employ(team=TeamFactory()), employ(team=TeamFactory())
    trail = selectors.person_audit_trail(person=mine.person)
    assert {t["object"] for t in trail if t["what"] == "person"} == {str(mine.person)}
    assert {t["object"] for t in trail if t["what"] == "employment"} == {str(mine)}
    assert len(trail) == 3 and other.pk != mine.pk
