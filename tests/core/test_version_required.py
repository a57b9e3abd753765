"""Every edit of a lockable record must say which version it was based on (issue 17,
finding 4): an edit page whose form comes back without its hidden version is refused with
a clear message and saves nothing; an API update without ``version`` or ``If-Match`` is a
428 saying what to send, and saves nothing. One case per model: people, employments
(leaving and change of terms), vacancies, applications, exit records, recommendations
(executive response and evidencing KPI)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from core.locking import MISSING_VERSION, VERSION_REQUIRED
from core.roles import Role
from recruitment.models import Application, Vacancy
from tests.factories import PersonFactory, employ
from tests.locking import editor, error_summary, form_data
from tests.recommendations.factories import ExecutiveResponseFactory, RecommendationFactory
from tests.recruitment.helpers import apply, open_vacancy
from workforce.models import Employment, Person

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    role: str
    make: Callable[[], object]  # the record
    page: Callable[[object], str]  # the edit page
    post: Callable[[object], str] | None  # where its form posts (default: the page)
    changes: dict  # what the user enters
    state: Callable[[object], tuple]  # what must not change, read back from the database


def _reload(obj):
    return type(obj).objects.get(pk=obj.pk)


PAGES = {
    "person": Case(
        Role.HR_OFFICER,
        lambda: PersonFactory(last_name="Smith"),
        lambda p: reverse("workforce:person-edit", args=[p.pk]),
        None,
        {"last_name": "Jones"},
        lambda p: (_reload(p).last_name, _reload(p).version),
    ),
    "employment (leaving)": Case(
        Role.HR_OFFICER,
        lambda: employ(start=dt.date(2020, 1, 6)),
        lambda e: reverse("workforce:leaver-create", args=[e.pk]),
        None,
        {"end_date": "2024-03-31", "leaving_reason": "1", "leaving_destination": "1"},
        lambda e: (_reload(e).end_date, _reload(e).version),
    ),
    "employment (change of terms)": Case(
        Role.HR_OFFICER,
        lambda: employ(start=dt.date(2020, 1, 6), fte="1"),
        lambda e: reverse("workforce:change-create", args=[e.pk]),
        None,
        {"change_reason": "fte_change", "effective_from": "2024-03-01", "fte": "0.5"},
        lambda e: (_reload(e).assignments.count(), _reload(e).version),
    ),
    "vacancy": Case(
        Role.HR_OFFICER,
        lambda: open_vacancy(notes="Advertised in January."),
        lambda v: reverse("recruitment:vacancy-update", kwargs={"pk": v.pk}),
        None,
        {"status": "on_hold"},
        lambda v: (Vacancy.objects.get(pk=v.pk).status, Vacancy.objects.get(pk=v.pk).version),
    ),
    "application": Case(
        Role.HR_OFFICER,
        lambda: apply(open_vacancy(), first_name="Kofi", last_name="Mensah"),
        lambda a: reverse("recruitment:application-detail", kwargs={"pk": a.pk}),
        lambda a: reverse("recruitment:application-stage", kwargs={"pk": a.pk}),
        {"action": "shortlisted", "date": "2024-02-05"},
        lambda a: (
            Application.objects.get(pk=a.pk).stage,
            Application.objects.get(pk=a.pk).version,
        ),
    ),
    "exit record": Case(
        Role.HR_OFFICER,
        lambda: employ(end=dt.date(2025, 3, 31)).exit_record,
        lambda r: reverse("exits:record-edit", kwargs={"pk": r.pk}),
        None,
        {"offered_on": "2025-04-01", "channel": "video"},
        lambda r: (_reload(r).offered_on, _reload(r).version),
    ),
    "recommendation (executive response)": Case(
        Role.DIRECTOR,
        lambda: ExecutiveResponseFactory(officer_responsible="Head of HR").recommendation,
        lambda r: reverse("recommendations:response", kwargs={"pk": r.pk}),
        None,
        {"officer_responsible": "Director of Children's Services"},
        lambda r: (_reload(r).response.officer_responsible, _reload(r).version),
    ),
    "recommendation (evidencing KPI)": Case(
        Role.DIRECTOR,
        lambda: RecommendationFactory(),
        lambda r: reverse("recommendations:evidence", kwargs={"pk": r.pk}),
        None,
        {"kpi_key": "first in the catalogue"},
        lambda r: (_reload(r).kpi_key, _reload(r).version),
    ),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_an_edit_page_sent_without_its_version_is_refused_and_saves_nothing(name, make_user):
    case = PAGES[name]
    client = editor(make_user, case.role, "Sam", "Patel")
    record = case.make()
    before = case.state(record)
    page = case.page(record)
    target = case.post(record) if case.post else page
    data = form_data(client.get(page), action=target if case.post else None)
    assert data["version"] == str(record.version)  # the page always carries it
    del data["version"]  # a stale page, a hand-made request

    changes = dict(case.changes)
    if changes.get("kpi_key") == "first in the catalogue":
        from recommendations.evidence import kpi_catalogue

        changes["kpi_key"] = next(iter(dict(kpi_catalogue())))
    refused = client.post(target, {**data, **changes})

    assert refused.status_code == 200
    assert MISSING_VERSION in html.unescape(error_summary(refused))
    assert case.state(record) == before  # nothing saved


@dataclass
class ApiCase:
    role: str
    make: Callable[[], object]
    url: Callable[[object], str]
    method: str
    body: dict
    state: Callable[[object], tuple]


APIS = {
    "person": ApiCase(
        Role.HR_OFFICER,
        lambda: PersonFactory(last_name="Smith"),
        lambda p: reverse("workforce-api:person-detail", args=[p.pk]),
        "patch",
        {"last_name": "Jones"},
        lambda p: (Person.objects.get(pk=p.pk).last_name, Person.objects.get(pk=p.pk).version),
    ),
    "employment (leaving)": ApiCase(
        Role.HR_OFFICER,
        lambda: employ(start=dt.date(2020, 1, 6)),
        lambda e: reverse("workforce-api:employment-leave", args=[e.pk]),
        "post",
        {"end_date": "2024-05-31", "leaving_reason": 1, "leaving_destination": 1},
        lambda e: (Employment.objects.get(pk=e.pk).end_date,),
    ),
    "employment (change of terms)": ApiCase(
        Role.HR_OFFICER,
        lambda: employ(start=dt.date(2020, 1, 6)),
        lambda e: reverse("workforce-api:employment-changes", args=[e.pk]),
        "post",
        {"effective_from": "2024-02-01", "change_reason": "fte_change", "fte": "0.8"},
        lambda e: (Employment.objects.get(pk=e.pk).assignments.count(),),
    ),
    "application": ApiCase(
        Role.HR_OFFICER,
        lambda: apply(open_vacancy()),
        lambda a: reverse("recruitment-api:application-stage-change", kwargs={"pk": a.pk}),
        "post",
        {"date": "2024-02-10", "action": "shortlisted"},
        lambda a: (Application.objects.get(pk=a.pk).stage,),
    ),
    "exit record": ApiCase(
        Role.HR_OFFICER,
        lambda: employ(end=dt.date(2025, 3, 31)).exit_record,
        lambda r: reverse("exits-api:exit-record-offer", args=[r.pk]),
        "post",
        {"offered_on": "2025-04-01", "channel": "video"},
        lambda r: (_reload(r).offered_on, _reload(r).version),
    ),
    "recommendation": ApiCase(
        Role.DIRECTOR,
        lambda: RecommendationFactory(),
        lambda r: reverse("recommendations-api:response-record", args=[r.pk]),
        "post",
        {"decision": "accepted", "response_text": "Agreed.", "response_date": "2023-01-20"},
        lambda r: (_reload(r).version,),
    ),
}


@pytest.mark.parametrize("name", list(APIS))
def test_an_api_update_without_a_version_is_a_428_saying_what_to_send(name, make_user):
    case = APIS[name]
    client = editor(make_user, case.role, "Sam", "Patel")
    record = case.make()
    before = case.state(record)
    send = getattr(client, case.method)

    refused = send(case.url(record), case.body, content_type="application/json")

    assert refused.status_code == 428
    assert refused["Content-Type"].startswith("application/json")
    assert refused.json() == {"version": [VERSION_REQUIRED]}
    assert "If-Match" in VERSION_REQUIRED and "`version`" in VERSION_REQUIRED
    assert case.state(record) == before  # nothing saved
    # With the version (here as If-Match) the same update goes through.
    version = type(record).objects.get(pk=record.pk).version
    ok = send(case.url(record), case.body, content_type="application/json",
              HTTP_IF_MATCH=f'"{version}"')  # fmt: skip
    assert ok.status_code in (200, 201), ok.content
    assert case.state(record) != before


def test_the_openapi_schema_documents_the_428_and_if_match():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    updates = [
        ("/api/people/{id}/", "patch"),
        ("/api/employments/{id}/leave/", "post"),
        ("/api/employments/{id}/changes/", "post"),
    ]
    for path, method in updates:
        operation = schema["paths"][path][method]
        assert "428" in operation["responses"], path
        assert any(p["name"] == "If-Match" for p in operation.get("parameters", [])), path
    documented = [
        (path, method)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "428" in operation.get("responses", {})
    ]
    assert len(documented) == len(APIS)
