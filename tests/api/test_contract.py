"""The API keeps its published contract (issue 17, finding 10): schemathesis generates
requests from the OpenAPI schema for every operation and runs them against the WSGI app,
signed in with an admin's token, on a bounded budget (a few examples per operation,
about a minute in all). No server error, and every response matches the schema: status
codes documented, JSON bodies as described (nullable fields included), JSON errors.

Not checked: that every request the schema allows is accepted (schemathesis's
``positive_data_acceptance``): business rules the schema cannot express (a date range
1990 to 10 years ahead, the period's end after its start, a right password) refuse some
schema-valid requests with a documented 400, which is correct."""

from __future__ import annotations

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from core.roles import Role
from tests.factories import employ

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 4


@pytest.fixture
def api_schema(db):
    from django.core.wsgi import get_wsgi_application

    raw = SchemaGenerator().get_schema(request=None, public=True)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    # As Django's test client does: a request must not close the test's connection (on
    # PostgreSQL that would end the test's transaction and fail every later request).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield loaded
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(make_user):
    from knox.models import AuthToken

    employ()
    admin = make_user(Role.ADMIN, username="contract.admin")
    return AuthToken.objects.create(user=admin)[1]


def test_the_api_keeps_its_contract(api_schema, token):
    headers = {"Authorization": f"Token {token}"}
    problems = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
        )
        def run(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        try:
            run()
        except BaseException as error:  # noqa: BLE001 - every operation's problem is reported
            problems.append(f"{operation.label}: {error}")
    assert not problems, "\n\n".join(problems)


def test_api_errors_are_json_even_for_urls_that_do_not_exist(client_as):
    hr = client_as(Role.HR_OFFICER)
    for path in ("/api/no-such-thing/", "/api/people/-5/", "/api/people/999999/"):
        response = hr.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert response.json() == {"detail": "Not found."} or "detail" in response.json()


def test_the_schema_documents_nullable_fields_and_error_responses():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    employment = raw["components"]["schemas"]["EmploymentOutput"]["properties"]
    assert employment["agency_name"].get("nullable") is True
    people = raw["paths"]["/api/people/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(people)
    assert people["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
