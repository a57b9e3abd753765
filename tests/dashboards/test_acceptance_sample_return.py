"""Acceptance 1: the sample census return (reference date 2023-09-30) gives exactly the
figures of acceptance/README.md section 1, read from the ``kpis`` command's JSON.

Three routes to the same data: the four workers recorded through the services, and the
XML and CSV returns loaded with ``import_csww`` (the census importer)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import ServiceAreaFactory, TeamFactory, employ
from workforce import services
from workforce.choices import OrgRole
from workforce.models import CaseloadSnapshot, CensusReturn

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 9, 30)
#: The sample return as shipped with the census importer's tests.
FIXTURES = Path(__file__).resolve().parents[1] / "workforce" / "census" / "fixtures"

EXPECTED = {
    "inpost_fte": 1.8,
    "agency_fte": 1.0,
    "agency_rate": 1.0 / 2.8 * 100,
    "permanence_rate": 1.8 / 2.8 * 100,
    "vacancy_fte": 2.5,
    "vacancy_rate": 2.5 / 4.3 * 100,
    "agency_cover_fte": 1.0,
    "starters_fte": 0.8,
    "leavers_fte": 1.0,
    "turnover_rate": 1.0 / 1.8 * 100,
    "case_holders_fte": 2.8,
    "cases": 41,
    "caseload": 41 / 2.8,
    "working_days_lost": 4.0,
    "absence_rate": 4.0 / (1.8 * 253) * 100,
    "asye_fte": 0.8,
    "stability_rate": 50.0,
}


def kpis_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("kpis", "--as-of", "2023-09-30", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def assert_sample_figures(figures: dict) -> None:
    assert figures["as_of"] == "2023-09-30"
    assert figures["scope"] == "all"
    for key, expected in EXPECTED.items():
        assert figures[key] == pytest.approx(expected, abs=1e-9), key


def build_sample_through_services() -> None:
    area = ServiceAreaFactory(name="Safeguarding")
    north = TeamFactory(name="Family Safeguarding North", service_area=area)
    care = TeamFactory(name="Children in Care", service_area=area)
    first = employ(team=north, start=dt.date(2019, 3, 4), fte="1")
    asye = employ(team=north, start=dt.date(2022, 11, 7), fte="0.8", is_asye=True)
    leaver = employ(
        team=care,
        start=dt.date(2016, 1, 11),
        end=dt.date(2023, 5, 31),
        org_role=OrgRole.SENIOR_PRACTITIONER,
        reason=1,
        destination=3,
    )
    agency = employ(team=north, start=dt.date(2023, 6, 5), fte="1", agency=True)
    for employment, cases in ((first, 17), (asye, 9), (agency, 15)):
        services.caseload_record(employment=employment, date=AS_OF, cases=cases)
    census_year = (dt.date(2022, 10, 1), AS_OF)
    services.sickness_absence_record(
        employment=first, start_date=census_year[0], end_date=census_year[1], working_days_lost=4
    )
    services.sickness_absence_record(
        employment=asye, start_date=census_year[0], end_date=census_year[1], working_days_lost=0
    )
    services.sickness_absence_record(
        employment=leaver,
        start_date=census_year[0],
        end_date=dt.date(2023, 5, 31),
        working_days_lost="11.5",
    )
    # The council-level figures a return declares (there is no service for them: the
    # census importer stores them).
    CensusReturn.objects.create(
        year=2023,
        reference_date=AS_OF,
        lea="999",
        vacancies_fte=Decimal("2.50"),
        agency_cover_fte=Decimal("1.00"),
        agency_cover_headcount=1,
    )


def test_sample_return_built_through_the_services_gives_the_published_figures():
    build_sample_through_services()
    assert_sample_figures(kpis_json())


def test_the_leaver_is_in_the_leavers_breakdown_and_the_agency_starter_is_not_a_starter():
    build_sample_through_services()
    figures = kpis_json()
    assert figures["starters_headcount"] == 1
    assert figures["leavers_headcount"] == 1
    assert [(r["code"], r["count"]) for r in figures["leavers_by_reason"]] == [(1, 1)]
    assert [(r["code"], r["count"]) for r in figures["leavers_by_destination"]] == [(3, 1)]
    bands = {r["band"]: r["count"] for r in figures["leavers_by_length_of_service"]}
    assert bands == {"<1": 0, "1-<2": 0, "2-<3": 0, "3-<5": 0, "5+": 1}


def test_without_the_declared_figures_vacancies_are_not_available_rather_than_zero():
    build_sample_through_services()
    CensusReturn.objects.all().delete()
    figures = kpis_json()
    assert figures["vacancy_fte"] is None
    assert figures["vacancy_rate"] is None
    assert figures["inpost_fte"] == pytest.approx(1.8)


def test_team_scope_of_the_sample():
    build_sample_through_services()
    figures = kpis_json("--scope", "team:family safeguarding north")
    assert figures["scope"] == "team:Family Safeguarding North"
    assert figures["inpost_fte"] == pytest.approx(1.8)
    assert figures["leavers_fte"] == 0  # the leaver left from Children in Care
    assert figures["turnover_rate"] == 0
    assert figures["vacancy_fte"] is None  # declared figures are for the whole service
    care = kpis_json("--scope", "team:Children in Care")
    assert care["leavers_fte"] == pytest.approx(1.0)
    assert care["turnover_rate"] is None  # nobody in post: no denominator


def _sample(name: str) -> Path:
    return FIXTURES / name


def test_sample_return_xml_imported_gives_the_published_figures():
    call_command("import_csww", str(_sample("sample-return.xml")), stdout=io.StringIO())
    assert CaseloadSnapshot.objects.count() == 3
    assert_sample_figures(kpis_json())


def test_sample_return_csv_imported_with_the_flags_gives_the_same_figures():
    call_command(
        "import_csww",
        str(_sample("sample-return.csv")),
        "--vacancies-fte",
        "2.5",
        "--agency-cover-fte",
        "1",
        "--agency-cover-headcount",
        "1",
        "--year",
        "2023",
        "--lea",
        "999",
        stdout=io.StringIO(),
    )
    assert_sample_figures(kpis_json())


def test_a_bad_date_or_scope_is_a_clear_message_not_a_traceback():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("kpis", "--as-of", "30/09/2023", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no team called 'Nowhere'"):
        call_command("kpis", "--as-of", "2023-09-30", "--scope", "team:Nowhere")
    with pytest.raises(CommandError, match="Unknown DfE role"):
        call_command("kpis", "--scope", "role:9")
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("kpis", "--scope", "galaxy:far")
