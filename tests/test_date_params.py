"""Every date parameter of every page and API endpoint is limited to 1 January 1990 .. today
plus ten years (issue 17, finding 9: year 1 and year 9999 were 500s reachable by a
councillor). The API answers 400 in JSON naming the parameter; a page shows a form error
naming the field. The limit lives in ``workforce.dates``; the last test makes sure no
FilterSet or parameter form slips past it."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib

import django_filters
import pytest
from django import forms

from workforce import dates

pytestmark = pytest.mark.django_db

TOO_EARLY, TOO_LATE = "0001-01-01", "9999-12-31"
IN_RANGE = "2023-09-30"

#: (path, parameter, other parameters the request needs) - API endpoints.
API_DATE_PARAMS = [
    ("/api/kpis/", "as_of", {}),
    ("/api/caseload-report/", "from", {"to": IN_RANGE}),
    ("/api/caseload-report/", "to", {"from": "2023-01-01"}),
    ("/api/exit-summary/", "start", {}),
    ("/api/exit-summary/", "end", {}),
    ("/api/recruitment/funnel/", "start", {}),
    ("/api/recruitment/funnel/", "end", {"start": "2023-01-01"}),
    ("/api/teams/", "open_on", {}),
    ("/api/posts/", "funded_on", {}),
    *(
        ("/api/people/", name, {})
        for name in ("in_post_on", "started_from", "started_to", "left_from", "left_to")
    ),
    *(
        ("/api/employments/", name, {})
        for name in ("in_post_on", "started_from", "started_to", "left_from", "left_to")
    ),
    *(("/api/caseloads/", name, {}) for name in ("date", "date_from", "date_to")),
    ("/api/recruitment/vacancies/", "opened_from", {}),
    ("/api/recruitment/vacancies/", "opened_to", {}),
    ("/api/recruitment/campaigns/", "opened_from", {}),
    ("/api/recruitment/campaigns/", "opened_to", {}),
    ("/api/recruitment/applications/", "applied_from", {}),
    ("/api/recruitment/applications/", "applied_to", {}),
    ("/api/exit-records/", "left_from", {}),
    ("/api/exit-records/", "left_to", {}),
    ("/api/recommendations/", "as_of", {}),
]

#: (path, parameter) - pages whose filter forms take dates.
PAGE_DATE_PARAMS = [
    ("/exits/analysis/", "start"),
    ("/exits/analysis/", "end"),
    ("/recruitment/funnel/", "start"),
    ("/recruitment/funnel/", "end"),
    *(
        ("/workforce/people/", name)
        for name in ("in_post_on", "started_from", "started_to", "left_from", "left_to")
    ),
    ("/recruitment/vacancies/", "opened_from"),
    ("/recruitment/vacancies/", "opened_to"),
    ("/recruitment/adverts/", "opened_from"),
    ("/recruitment/adverts/", "opened_to"),
    ("/recommendations/", "as_of"),
    ("/workforce/caseloads/", "date"),
]


@pytest.mark.parametrize(("path", "param", "extra"), API_DATE_PARAMS)
@pytest.mark.parametrize("value", [TOO_EARLY, TOO_LATE])
def test_an_api_date_out_of_range_is_a_400_naming_it(client_as, path, param, extra, value):
    client = client_as("Admin")
    response = client.get(path, {**extra, param: value})
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "between 1 January 1990" in str(body[param]), body
    ok = client.get(path, {**extra, param: IN_RANGE})
    assert ok.status_code == 200, ok.content[:300]


@pytest.mark.parametrize(("path", "param"), PAGE_DATE_PARAMS)
@pytest.mark.parametrize("value", [TOO_EARLY, TOO_LATE])
def test_a_page_date_out_of_range_is_a_form_error(client_as, path, param, value):
    client = client_as("Admin")
    response = client.get(path, {param: value})
    assert response.status_code == 200
    text = response.content.decode()
    assert "must be between 1 January 1990" in text, param
    assert f"you gave {value}" in text


#: Pages that show no field for these parameters (the API's FilterSet is shared): an
#: out-of-range value is not applied, and the page still works.
PAGES_WITHOUT_THE_FIELD = [
    ("/exits/", "left_from"),
    ("/exits/", "left_to"),
    ("/recruitment/pipelines/", "applied_from"),
    ("/recruitment/pipelines/", "applied_to"),
]


@pytest.mark.parametrize(("path", "param"), PAGES_WITHOUT_THE_FIELD)
@pytest.mark.parametrize("value", [TOO_EARLY, TOO_LATE])
def test_a_page_without_the_field_ignores_the_date(client_as, path, param, value):
    assert client_as("Admin").get(path, {param: value}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/caseload-report/?from=2026-01-01&to=9999-12-31",
        "/api/kpis/?as_of=0001-01-01",
        "/api/exit-summary/?end=0001-01-01",
    ],
)
def test_the_audited_urls_are_400s_for_a_councillor(client_as, path):
    assert client_as("Scrutiny member").get(path).status_code == 400


def test_the_audited_analysis_page_is_a_form_error_for_a_councillor(client_as):
    page = client_as("Scrutiny member").get("/exits/analysis/", {"end": TOO_EARLY})
    assert page.status_code == 200
    assert "The left on or before date must be between" in page.content.decode()


@pytest.mark.parametrize("param", ["start", "end"])
def test_a_report_pack_period_out_of_range_is_a_form_error(client_as, param):
    dates_given = {"start": "2023-01-01", "end": "2023-12-31", param: TOO_LATE}
    page = client_as("Director").post(
        "/dashboards/reports/new/", {"period": "custom", "scope": "all", **dates_given}
    )
    assert page.status_code == 200
    assert "must be between 1 January 1990" in page.content.decode()


def test_the_range_ends_ten_years_from_today(monkeypatch):
    monkeypatch.setattr(dates.timezone, "localdate", lambda: dt.date(2028, 2, 29))
    assert dates.latest() == dt.date(2038, 2, 28)
    assert dates.out_of_range_message(dt.date(2038, 2, 28)) is None
    assert "8 February 2038" in dates.out_of_range_message(dt.date(2038, 3, 1))
    assert dates.out_of_range_message(dt.date(1990, 1, 1)) is None
    assert dates.out_of_range_message(dt.date(1989, 12, 31), "as_of").startswith("The as_of")


APPS = ("workforce", "recruitment", "exits", "recommendations", "dashboards")


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_no_filterset_or_filter_form_takes_an_unbounded_date():
    """Every date in a FilterSet, and in a form the pages bind to their query string, is
    bounded: a new filter added with a plain DateFilter fails here."""
    for app in APPS:
        for module in ("filters", "forms", "reports.forms"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    unbounded = [
        f"{fs.__module__}.{fs.__name__}.{name}"
        for fs in _subclasses(django_filters.FilterSet)
        if fs.__module__.split(".")[0] in APPS
        for name, flt in fs.base_filters.items()
        if isinstance(flt, django_filters.DateFilter)
        and not isinstance(flt, dates.BoundedDateFilter)
    ]
    assert unbounded == []
    from dashboards.reports.forms import ReportPackForm
    from exits.forms import AnalysisFilterForm
    from recruitment.forms import FunnelPeriodForm
    from workforce.forms import CaseloadWeekForm

    parameter_forms = [AnalysisFilterForm, FunnelPeriodForm, CaseloadWeekForm, ReportPackForm]
    plain = [
        f"{form.__name__}.{name}"
        for form in parameter_forms
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and not isinstance(field, dates.BoundedDateField)
    ]
    assert plain == []


@pytest.mark.parametrize(("path", "param", "extra"), API_DATE_PARAMS)
def test_the_ends_of_the_range_are_answered(client_as, path, param, extra):
    """The first and last allowed dates are answered - figures, or a 400 for a rule about
    the pair of dates (the end before the start, a period too long) - never a 500."""
    client = client_as("Admin")
    for value in (dates.EARLIEST.isoformat(), dates.latest().isoformat()):
        response = client.get(path, {**extra, param: value})
        assert response.status_code in (200, 400), (path, param, value)
        assert response["Content-Type"].startswith("application/json")
        assert "between 1 January 1990" not in response.content.decode()
