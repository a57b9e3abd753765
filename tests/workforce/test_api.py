"""The workforce REST API: what a client of /api/ sees and can do.

Reads for each permitted role, token sign-in, every write with a good and a bad input
(400 naming the field, nothing saved), the role rules, the OpenAPI schema and the docs
page, and list endpoints whose query count does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.locking import UNCHECKED
from core.roles import Role
from tests.factories import (
    AgencyFactory,
    GradeFactory,
    PersonFactory,
    PostFactory,
    ServiceAreaFactory,
    TeamFactory,
    employ,
)
from workforce import services
from workforce.choices import ChangeReason
from workforce.models import Assignment, CaseloadSnapshot, Employment, Person

pytestmark = pytest.mark.django_db

D = dt.date


def url(name: str, **kwargs) -> str:
    return reverse(f"workforce-api:{name}", kwargs=kwargs or None)


def post_json(client, path, data):
    return client.post(path, data, content_type="application/json")


def patch_json(client, path, data):
    return client.patch(path, data, content_type="application/json")


@pytest.fixture
def world():
    area = ServiceAreaFactory(name="Safeguarding")
    team_a = TeamFactory(name="Assessment North", service_area=area)
    team_b = TeamFactory(name="Children in Care South", service_area=area)
    grade = GradeFactory(name="Level 2")
    agency = AgencyFactory(name="Reed")
    post = PostFactory(reference="AN-001", team=team_a, grade=grade)
    alice = employ(
        person=PersonFactory(first_name="Alice", last_name="Akers"),
        team=team_a,
        start=D(2020, 1, 6),
        fte="0.8",
        grade=grade,
    )
    bob = employ(
        person=PersonFactory(first_name="Bob", last_name="Brown"),
        team=team_b,
        start=D(2021, 3, 1),
    )
    services.caseload_record(employment=alice, date=D(2024, 5, 6), cases=17)
    services.caseload_record(employment=bob, date=D(2024, 5, 6), cases=12)
    return SimpleNamespace(
        area=area,
        team_a=team_a,
        team_b=team_b,
        grade=grade,
        agency=agency,
        post=post,
        alice=alice,
        bob=bob,
    )


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- Reads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, field, expected",
    [
        ("service-area-list", "name", "Safeguarding"),
        ("team-list", "name", "Assessment North"),
        ("grade-list", "name", "Level 2"),
        ("agency-list", "name", "Reed"),
        ("post-list", "reference", "AN-001"),
        ("person-list", "last_name", "Akers"),
        ("employment-list", "person_name", "Alice Akers"),
        ("caseload-list", "cases", 17),
    ],
)
@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN])
def test_each_list_endpoint_shows_its_records_to_a_permitted_role(
    client_as, world, role, name, field, expected
):
    client = client_as(role)
    assert expected in [row[field] for row in results(client.get(url(name)))]


def test_people_list_uses_the_shared_filterset_and_summarises_where_each_person_is(
    client_as, world
):
    client = client_as(Role.HR_OFFICER)
    rows = results(client.get(url("person-list"), {"team": world.team_a.pk}))
    assert [r["last_name"] for r in rows] == ["Akers"]
    current = rows[0]["current"]
    assert current["team_name"] == "Assessment North"
    assert current["service_area_name"] == "Safeguarding"
    assert Decimal(current["fte"]) == Decimal("0.8")
    assert current["org_role_label"] == "Case holder"
    assert current["grade_name"] == "Level 2"

    # In post on a date before Bob started: only Alice.
    rows = results(client.get(url("person-list"), {"in_post_on": "2020-06-01"}))
    assert [r["last_name"] for r in rows] == ["Akers"]
    # Search box.
    rows = results(client.get(url("person-list"), {"q": "brown"}))
    assert [r["last_name"] for r in rows] == ["Brown"]


def test_a_leaver_has_no_current_assignment(client_as, world):
    services.leaver_record(
        employment=world.bob,
        end_date=D(2024, 6, 30),
        leaving_reason=1,
        leaving_destination=1,
        version=UNCHECKED,
    )
    rows = results(client_as(Role.HR_OFFICER).get(url("person-list"), {"q": "Brown"}))
    assert rows[0]["current"] is None


def test_bad_filter_value_is_a_400_naming_the_filter(client_as, world):
    response = client_as(Role.HR_OFFICER).get(url("person-list"), {"in_post_on": "31/02/2024"})
    assert response.status_code == 400
    assert "in_post_on" in response.json()


def test_person_detail_is_the_whole_timeline_across_employments(client_as, world):
    person = world.alice.person
    services.leaver_record(
        employment=world.alice,
        end_date=D(2022, 3, 31),
        leaving_reason=1,
        leaving_destination=1,
        version=UNCHECKED,
    )
    returned = employ(person=person, team=world.team_b, start=D(2023, 9, 4))
    services.assignment_change(
        employment=returned,
        effective_from=D(2024, 1, 1),
        change_reason=ChangeReason.FTE_CHANGE,
        fte=Decimal("0.6"),
        version=UNCHECKED,
    )
    response = client_as(Role.DIRECTOR).get(url("person-detail", pk=person.pk))
    assert response.status_code == 200
    body = response.json()
    assert [e["start_date"] for e in body["employments"]] == ["2020-01-06", "2023-09-04"]
    assert body["employments"][0]["end_date"] == "2022-03-31"
    terms = body["employments"][1]["assignments"]
    assert [(t["effective_from"], t["effective_to"]) for t in terms] == [
        ("2023-09-04", "2024-01-01"),
        ("2024-01-01", None),
    ]
    assert [Decimal(t["fte"]) for t in terms] == [Decimal("1"), Decimal("0.6")]
    kinds = [(e["date"], e["kind"]) for e in body["timeline"]]
    assert kinds == [
        ("2020-01-06", "start"),
        ("2022-03-31", "leave"),
        ("2023-09-04", "start"),
        ("2024-01-01", "fte_change"),
    ]


def test_unknown_person_is_404(client_as, world):
    assert client_as(Role.HR_OFFICER).get(url("person-detail", pk=999999)).status_code == 404


# --- Token authentication ------------------------------------------------------------


def test_token_sign_in_then_token_requests_work(client, make_user, world):
    make_user(Role.DIRECTOR, username="dcs", password="a-long-pass-1")
    response = post_json(client, url("token"), {"username": "dcs", "password": "a-long-pass-1"})
    assert response.status_code == 200
    token = response.json()["token"]

    people = client.get(url("person-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert people.status_code == 200
    assert {r["last_name"] for r in people.json()["results"]} == {"Akers", "Brown"}
    # Each request issues a new token, valid until its expiry; the first still works.
    again = post_json(client, url("token"), {"username": "dcs", "password": "a-long-pass-1"})
    assert again.json()["token"] != token and again.json()["expiry"]
    assert client.get(url("person-list"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_tokens_are_stored_hashed_and_expire(client, make_user, world, settings):
    from knox.models import AuthToken

    make_user(Role.DIRECTOR, username="dcs", password="a-long-pass-1")
    token = post_json(
        client, url("token"), {"username": "dcs", "password": "a-long-pass-1"}
    ).json()["token"]
    stored = AuthToken.objects.get()
    assert token not in {stored.digest, stored.token_key} and stored.token_key == token[:15]
    assert str(token) not in str(AuthToken.objects.values().get())
    assert stored.expiry - stored.created <= settings.API_TOKEN_TTL + dt.timedelta(seconds=5)
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(url("person-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Token"


def test_a_password_change_revokes_the_users_tokens_and_creation_is_audited(
    client, make_user, world
):
    from auditlog.models import LogEntry
    from knox.models import AuthToken

    user = make_user(Role.DIRECTOR, username="dcs", password="a-long-pass-1")
    token = post_json(
        client, url("token"), {"username": "dcs", "password": "a-long-pass-1"}
    ).json()["token"]
    created = LogEntry.objects.get_for_model(AuthToken).get()
    assert created.action == LogEntry.Action.CREATE and created.actor == user
    user.set_password("another-long-password-2")
    user.save()
    assert not AuthToken.objects.exists()
    revoked = client.get(url("person-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert revoked.status_code == 401
    assert LogEntry.objects.get_for_model(AuthToken).filter(action=LogEntry.Action.DELETE).exists()


def test_token_requests_are_refused_without_a_valid_token(client, world):
    missing = client.get(url("person-list"))
    assert missing.status_code == 401 and missing["WWW-Authenticate"] == "Token"
    bad = client.get(url("person-list"), HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.status_code == 401 and bad["WWW-Authenticate"] == "Token"
    assert bad.json() == {"detail": "Invalid token."}


def test_a_signed_in_browser_still_uses_the_api_with_its_session(client_as, world):
    response = client_as(Role.HR_OFFICER).get(url("person-list"))
    assert response.status_code == 200


def test_token_refused_for_wrong_password_and_for_a_user_with_no_role(client, make_user):
    make_user(Role.HR_OFFICER, username="hr", password="a-long-pass-1")
    wrong = post_json(client, url("token"), {"username": "hr", "password": "nope"})
    assert wrong.status_code == 400
    assert "token" not in wrong.json()

    make_user(None, username="nobody", password="a-long-pass-1")
    no_role = post_json(client, url("token"), {"username": "nobody", "password": "a-long-pass-1"})
    assert no_role.status_code == 403


def test_token_of_a_scrutiny_member_still_cannot_read_people(client, make_user, world):
    make_user(Role.SCRUTINY_MEMBER, username="cllr", password="a-long-pass-1")
    token = post_json(
        client, url("token"), {"username": "cllr", "password": "a-long-pass-1"}
    ).json()["token"]
    response = client.get(url("person-list"), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 403


# --- Writes: people ------------------------------------------------------------------

NEW_PERSON = {
    "swe_number": "sw 654321",
    "staff_ref": "E9001",
    "first_name": "Chidi",
    "last_name": "Okafor",
    "date_of_birth": "1990-02-03",
    "gender": 1,
    "ethnicity": "BAFR",
    "qualification_route": "frontline",
}


def test_hr_officer_adds_a_person(client_as):
    response = post_json(client_as(Role.HR_OFFICER), url("person-list"), NEW_PERSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["swe_number"] == "SW654321"
    assert body["qualification_route_label"] == "Frontline"
    assert body["employments"] == []
    assert Person.objects.get(swe_number="SW654321").last_name == "Okafor"


def test_adding_a_person_with_a_duplicate_number_or_unknown_codes_saves_nothing(client_as, world):
    client = client_as(Role.HR_OFFICER)
    duplicate = post_json(
        client, url("person-list"), {**NEW_PERSON, "swe_number": world.alice.person.swe_number}
    )
    assert duplicate.status_code == 400
    assert "already recorded" in duplicate.json()["swe_number"][0]

    codes = post_json(client, url("person-list"), {**NEW_PERSON, "gender": 7, "ethnicity": "XX"})
    assert codes.status_code == 400
    assert set(codes.json()) == {"gender", "ethnicity"}

    bad_number = post_json(client, url("person-list"), {**NEW_PERSON, "swe_number": "123"})
    assert bad_number.status_code == 400
    assert "Social Work England number" in bad_number.json()["swe_number"][0]
    assert Person.objects.count() == 2


def test_hr_officer_corrects_a_persons_name_only(client_as, world):
    person = world.alice.person
    response = patch_json(
        client_as(Role.HR_OFFICER),
        url("person-detail", pk=person.pk),
        {"last_name": "Aker", "version": person.version},
    )
    assert response.status_code == 200, response.content
    assert response.json()["last_name"] == "Aker"
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Alice", "Aker")


def test_correcting_a_person_with_bad_input_changes_nothing(client_as, world):
    person = world.alice.person
    response = patch_json(
        client_as(Role.HR_OFFICER),
        url("person-detail", pk=person.pk),
        {"last_name": "Changed", "date_of_birth": "2099-01-01", "version": person.version},
    )
    assert response.status_code == 400
    assert response.json() == {"date_of_birth": ["Date of birth must be in the past."]}
    person.refresh_from_db()
    assert person.last_name == "Akers"


# --- Writes: employments -------------------------------------------------------------


def starter(world, person, **changes):
    return {
        "person": person.pk,
        "contract_type": "permanent",
        "start_date": "2024-09-02",
        "start_origin": 1,
        "team": world.team_a.pk,
        "post": world.post.pk,
        "org_role": 5,
        "fte": "1",
        "is_asye": True,
        **changes,
    }


def test_hr_officer_records_a_starter(client_as, world):
    person = PersonFactory(last_name="Newton")
    response = post_json(client_as(Role.HR_OFFICER), url("employment-list"), starter(world, person))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"] == person.pk
    assert body["assignments"][0]["team_name"] == "Assessment North"
    assert body["assignments"][0]["grade_name"] == "Level 2"  # from the post
    assert body["assignments"][0]["is_asye"] is True
    assert person.employments.get().start_date == D(2024, 9, 2)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"fte": "1.5"}, "fte"),
        ({"org_role": 9}, "org_role"),
        ({"contract_type": "agency"}, "agency"),
        ({"contract_type": "zero_hours"}, "contract_type"),
        ({"team": 999999}, "team"),
    ],
)
def test_a_bad_starter_is_refused_with_the_field_named_and_nothing_saved(
    client_as, world, changes, field
):
    person = PersonFactory()
    response = post_json(
        client_as(Role.HR_OFFICER), url("employment-list"), starter(world, person, **changes)
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not person.employments.exists()
    assert not Assignment.objects.filter(employment__person=person).exists()


def test_fte_out_of_range_message_says_what_is_allowed(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-list"),
        starter(world, PersonFactory(), fte="1.5"),
    )
    assert response.json()["fte"] == [
        "FTE must be more than 0 and no more than 1 (you entered 1.5)."
    ]


def test_overlapping_start_for_the_same_person_is_refused(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-list"),
        starter(world, world.alice.person, start_date="2023-01-02", is_asye=False),
    )
    assert response.status_code == 400
    assert "overlaps" in response.json()["start_date"][0]
    assert world.alice.person.employments.count() == 1


def test_hr_officer_records_a_leaver(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-leave", pk=world.alice.pk),
        {"end_date": "2024-09-30", "leaving_reason": 1, "leaving_destination": 3, "version": 1},
    )
    assert response.status_code == 200, response.content
    assert response.json()["end_date"] == "2024-09-30"
    world.alice.refresh_from_db()
    assert (world.alice.end_date, world.alice.leaving_destination) == (D(2024, 9, 30), 3)


def test_a_leaving_before_the_start_or_without_reason_is_refused(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-leave", pk=world.alice.pk),
        {"end_date": "2019-12-31", "version": 1},
    )
    assert response.status_code == 400
    errors = response.json()
    assert "cannot be before the start date" in errors["end_date"][0]
    assert set(errors) == {"end_date", "leaving_reason", "leaving_destination"}
    world.alice.refresh_from_db()
    assert world.alice.end_date is None

    unknown = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-leave", pk=world.alice.pk),
        {"end_date": "2024-09-30", "leaving_reason": 42, "leaving_destination": 1, "version": 1},
    )
    assert unknown.status_code == 400
    assert "leaving_reason" in unknown.json()


def test_hr_officer_records_a_team_move_keeping_history(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-changes", pk=world.alice.pk),
        {
            "effective_from": "2024-04-01",
            "change_reason": "team_move",
            "team": world.team_b.pk,
            "version": 1,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["team_name"] == "Children in Care South"
    assert Decimal(response.json()["fte"]) == Decimal("0.8")  # carried over
    terms = list(world.alice.assignments.order_by("effective_from"))
    assert [(t.team, t.effective_to) for t in terms] == [
        (world.team_a, D(2024, 4, 1)),
        (world.team_b, None),
    ]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"effective_from": "2024-04-01", "change_reason": "fte_change", "fte": "0"}, "fte"),
        (
            {"effective_from": "2019-04-01", "change_reason": "fte_change", "fte": "0.5"},
            "effective_from",
        ),
        ({"effective_from": "2024-04-01", "change_reason": "fte_change"}, "non_field_errors"),
        ({"effective_from": "2024-04-01", "change_reason": "start", "fte": "0.5"}, "change_reason"),
    ],
)
def test_a_bad_change_is_refused_and_nothing_changes(client_as, world, body, field):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("employment-changes", pk=world.alice.pk),
        {**body, "version": world.alice.version},
    )
    assert response.status_code == 400
    assert field in response.json()
    only = world.alice.assignments.get()
    assert (only.effective_to, only.fte) == (None, Decimal("0.8"))


# --- Writes: caseloads ---------------------------------------------------------------


def test_hr_officer_records_one_caseload_and_a_list(client_as, world):
    client = client_as(Role.HR_OFFICER)
    one = post_json(
        client,
        url("caseload-list"),
        {"employment": world.alice.pk, "date": "2024-05-13", "cases": 18},
    )
    assert one.status_code == 201, one.content
    assert one.json()["team_name"] == "Assessment North"

    many = post_json(
        client,
        url("caseload-list"),
        [
            {"employment": world.alice.pk, "date": "2024-05-20", "cases": 19},
            {"employment": world.bob.pk, "date": "2024-05-20", "cases": 11},
        ],
    )
    assert many.status_code == 201, many.content
    assert sorted(c["cases"] for c in many.json()) == [11, 19]
    assert CaseloadSnapshot.objects.filter(date=D(2024, 5, 20)).count() == 2


def test_a_caseload_list_with_one_bad_entry_saves_none(client_as, world):
    response = post_json(
        client_as(Role.HR_OFFICER),
        url("caseload-list"),
        [
            {"employment": world.alice.pk, "date": "2024-05-20", "cases": 19},
            {"employment": world.bob.pk, "date": "2019-05-20", "cases": 11},  # before start
        ],
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors[0] == {}
    assert "was not in post" in errors[1]["date"][0]
    assert not CaseloadSnapshot.objects.filter(date=D(2024, 5, 20)).exists()


def test_negative_cases_and_empty_lists_are_refused(client_as, world):
    client = client_as(Role.HR_OFFICER)
    negative = post_json(
        client,
        url("caseload-list"),
        {"employment": world.alice.pk, "date": "2024-05-13", "cases": -1},
    )
    assert negative.status_code == 400
    assert "cases" in negative.json()
    too_many = post_json(
        client,
        url("caseload-list"),
        {"employment": world.alice.pk, "date": "2024-05-13", "cases": 10**12},
    )
    assert too_many.status_code == 400
    assert "cases" in too_many.json()
    empty = post_json(client, url("caseload-list"), [])
    assert empty.status_code == 400
    assert CaseloadSnapshot.objects.count() == 2


# --- Role rules ----------------------------------------------------------------------


def test_director_reads_but_cannot_write(client_as, world):
    client = client_as(Role.DIRECTOR)
    assert client.get(url("person-list")).status_code == 200
    writes = [
        post_json(client, url("person-list"), NEW_PERSON),
        patch_json(client, url("person-detail", pk=world.alice.person.pk), {"last_name": "X"}),
        post_json(client, url("employment-list"), starter(world, PersonFactory())),
        post_json(client, url("employment-leave", pk=world.alice.pk), {"end_date": "2024-09-30"}),
        post_json(
            client,
            url("employment-changes", pk=world.alice.pk),
            {"effective_from": "2024-04-01", "change_reason": "fte_change", "fte": "0.5"},
        ),
        post_json(
            client,
            url("caseload-list"),
            {"employment": world.alice.pk, "date": "2024-05-13", "cases": 3},
        ),
    ]
    assert [r.status_code for r in writes] == [403] * 6
    assert Person.objects.count() == 3  # the factory person above, nobody added
    assert Employment.objects.filter(end_date__isnull=False).count() == 0
    assert world.alice.person.last_name == "Akers"


def test_service_manager_sees_only_their_own_teams(client_as, world):
    client = client_as(Role.SERVICE_MANAGER, teams=[world.team_a])
    people = results(client.get(url("person-list")))
    assert [p["last_name"] for p in people] == ["Akers"]
    employments = results(client.get(url("employment-list")))
    assert [e["person_name"] for e in employments] == ["Alice Akers"]
    caseloads = results(client.get(url("caseload-list")))
    assert [c["cases"] for c in caseloads] == [17]
    assert client.get(url("person-detail", pk=world.bob.person.pk)).status_code == 404
    assert client.get(url("person-detail", pk=world.alice.person.pk)).status_code == 200
    # Filtering by another team does not reveal its people.
    assert results(client.get(url("person-list"), {"team": world.team_b.pk})) == []


def test_service_manager_cannot_write(client_as, world):
    client = client_as(Role.SERVICE_MANAGER, teams=[world.team_a])
    response = post_json(
        client,
        url("caseload-list"),
        {"employment": world.alice.pk, "date": "2024-05-13", "cases": 3},
    )
    assert response.status_code == 403


READ_NAMES = [
    "service-area-list",
    "team-list",
    "grade-list",
    "agency-list",
    "post-list",
    "person-list",
    "employment-list",
    "caseload-list",
]


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.LEAD_MEMBER, None])
def test_councillors_and_users_without_a_role_get_403_everywhere(client_as, world, role):
    client = client_as(role)
    statuses = {name: client.get(url(name)).status_code for name in READ_NAMES}
    statuses["person-detail"] = client.get(
        url("person-detail", pk=world.alice.person.pk)
    ).status_code
    assert set(statuses.values()) == {403}, statuses
    assert "Akers" not in client.get(url("person-list")).content.decode()


# --- Schema and docs -----------------------------------------------------------------


def test_openapi_schema_validates_with_no_warnings(tmp_path):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yml"
    # --fail-on-warn raises (fails this test) on any warning or error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in ["/api/people/{id}/", "/api/employments/{id}/leave/", "/api/caseloads/"]:
        assert f"  {path}:" in schema


def test_schema_and_docs_pages_are_served_with_local_assets_only(client_as):
    client = client_as(Role.HR_OFFICER)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/employments/{id}/changes/" in schema.content

    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    found = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    # The start-up script is served by the docs page itself (no inline script: CSP).
    assert "/api/docs/?script=" in found, found
    assets = [a for a in found if a != "/api/docs/?script="]
    assert any("swagger-ui" in a for a in assets), assets
    assert all(a.startswith("/static/") for a in assets), assets
    missing = [a for a in assets if not finders.find(a.removeprefix("/static/"))]
    assert not missing, f"not in the static files: {missing}"
    assert "cdn" not in html.lower() and "https://" not in html


# --- Query counts --------------------------------------------------------------------


def _grow(world, n: int) -> None:
    """Adds people in team A, each with a change of terms and a caseload, and more
    reference data (service areas, teams, grades, agencies, posts)."""
    for _ in range(n):
        employment = employ(team=world.team_a, start=D(2022, 1, 3), grade=world.grade)
        services.assignment_change(
            employment=employment,
            effective_from=D(2023, 1, 2),
            change_reason=ChangeReason.FTE_CHANGE,
            fte=Decimal("0.5"),
            version=UNCHECKED,
        )
        services.caseload_record(employment=employment, date=D(2024, 5, 6), cases=10)
        PostFactory(team=world.team_a, grade=world.grade)
        TeamFactory(service_area=ServiceAreaFactory())
        GradeFactory()
        AgencyFactory()


def _queries(client, path) -> tuple[int, int]:
    """(queries run, rows listed) for one GET of a list endpoint."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return len(ctx.captured_queries), response.json()["count"]


def test_list_query_count_does_not_grow_with_the_data(make_user, world):
    """Every list, for HR and for a service manager, runs as many queries for 20 people
    as for 3 (a query per row would add 17). The data is grown once for all the lists:
    building it for each list and role took a second each."""
    clients = {}
    for role in (Role.HR_OFFICER, Role.SERVICE_MANAGER):
        clients[role] = Client()
        clients[role].force_login(make_user(role, teams=[world.team_a, world.team_b]))
    lists = [(name, role) for name in READ_NAMES for role in clients]
    _grow(world, 1)  # 3 people in all
    for name, role in lists:
        clients[role].get(url(name))  # the user's groups read once and cached, as on any visit
    few = {(name, role): _queries(clients[role], url(name)) for name, role in lists}
    _grow(world, 17)  # 20 people
    many = {(name, role): _queries(clients[role], url(name)) for name, role in lists}
    grew = {
        f"{name} as {role}": f"{few[name, role]} -> {many[name, role]} (queries, rows)"
        for name, role in lists
        if many[name, role][0] != few[name, role][0] or many[name, role][1] <= few[name, role][1]
    }
    assert not grew, grew


# --- The permission-matrix entries agree with the endpoints ---------------------------


def test_every_api_url_has_a_permission_matrix_entry_and_it_holds(client, make_user, world):
    from django.urls import get_resolver

    from tests.workforce.permissions_api import EXPECTED, build_world

    names = {
        f"workforce-api:{name}"
        for name in get_resolver().namespace_dict["workforce-api"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(EXPECTED)

    matrix_world = SimpleNamespace(team=world.team_a, person=world.alice.person)
    build_world(matrix_world)
    for role in [*Role, None]:
        user = make_user(role, teams=[world.team_a] if role == Role.SERVICE_MANAGER else ())
        client.force_login(user)
        for name, access in EXPECTED.items():
            kwargs = access.kwargs(matrix_world) if access.kwargs else {}
            status = client.get(reverse(name, kwargs=kwargs or None)).status_code
            expected = access.ok_status if role in access.roles or role == Role.ADMIN else 403
            assert status == expected, (name, role, status)
    client.logout()
    for name, access in EXPECTED.items():
        kwargs = access.kwargs(matrix_world) if access.kwargs else {}
        assert client.get(reverse(name, kwargs=kwargs or None)).status_code in (401, 403)


# --- Audit trail ---------------------------------------------------------------------


def test_changes_made_with_a_token_are_audited_with_who_made_them(client, make_user, world):
    from auditlog.models import LogEntry

    hr = make_user(Role.HR_OFFICER, username="hr-api", password="a-long-pass-1")
    token = post_json(
        client, url("token"), {"username": "hr-api", "password": "a-long-pass-1"}
    ).json()["token"]
    person = world.alice.person
    response = client.patch(
        url("person-detail", pk=person.pk),
        {"last_name": "Akers-Smith", "version": person.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert entry.changes_dict["last_name"] == ["Akers", "Akers-Smith"]
    assert entry.actor == hr

    left = client.post(
        url("employment-leave", pk=world.alice.pk),
        {"end_date": "2024-09-30", "leaving_reason": 1, "leaving_destination": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_IF_MATCH=f'"{world.alice.version}"',
    )
    assert left.status_code == 200
    entry = LogEntry.objects.get_for_object(world.alice).latest("timestamp")
    assert entry.actor == hr


def test_token_endpoint_locks_out_after_repeated_wrong_passwords(client, make_user):
    make_user(Role.HR_OFFICER, username="hr-locked", password="a-long-pass-1")
    for _ in range(5):
        wrong = post_json(client, url("token"), {"username": "hr-locked", "password": "guess"})
        assert wrong.status_code in (400, 403)
    right = post_json(client, url("token"), {"username": "hr-locked", "password": "a-long-pass-1"})
    assert right.status_code in (400, 403)
    assert "token" not in right.json()


def test_impossible_and_unconfirmed_high_caseloads_are_refused(client_as, world):
    """Issue 18: the API took 500 cases for one worker; above the ceiling needs a confirm."""
    client = client_as(Role.HR_OFFICER)
    entry = {"employment": world.alice.pk, "date": "2024-05-13"}
    impossible = post_json(client, url("caseload-list"), {**entry, "cases": 500, "confirmed": True})
    assert impossible.status_code == 400
    assert "not possible" in impossible.json()["cases"][0]
    fraction = post_json(client, url("caseload-list"), {**entry, "cases": 12.5})
    assert fraction.status_code == 400 and "cases" in fraction.json()
    high = post_json(client, url("caseload-list"), {**entry, "cases": 45})
    assert high.status_code == 400
    assert "above the council's ceiling of 40" in high.json()["cases"][0]
    assert not CaseloadSnapshot.objects.filter(date=D(2024, 5, 13)).exists()
    confirmed = post_json(client, url("caseload-list"), {**entry, "cases": 45, "confirmed": True})
    assert confirmed.status_code == 201, confirmed.content
    assert confirmed.json()["cases"] == 45
