"""Producing the census return from the app's own data: validated first, and a round trip
(export, then import into an empty database) reproduces the same records and KPIs."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from defusedxml import ElementTree as SafeET
from django.core.management import CommandError, call_command

from core.locking import UNCHECKED
from tests.factories import PersonFactory, TeamFactory, employ
from workforce import services
from workforce.census.services import CensusError, census_export, census_import
from workforce.choices import ChangeReason
from workforce.models import CensusReturn, Council, Person

from .helpers import SAMPLE_XML, canonical_dump, wipe_workforce

pytestmark = pytest.mark.django_db
D = dt.date
REF = D(2023, 9, 30)


def kpis(as_of: str = "2023-09-30") -> dict:
    out = io.StringIO()
    call_command("kpis", "--as-of", as_of, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def build_council():
    """A small council recorded through the services, as an HR officer would."""
    Council.objects.create(name="Test council", lea_code="999")
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    employ(person=PersonFactory(swe_number="SW1"), team=north, start=D(2015, 4, 1))
    part_timer = employ(person=PersonFactory(swe_number="SW2"), team=north, start=D(2021, 2, 1))
    services.assignment_change(
        employment=part_timer,
        effective_from=D(2023, 3, 1),
        change_reason=ChangeReason.FTE_CHANGE,
        fte=Decimal("0.6"),
        version=UNCHECKED,
    )
    employ(
        person=PersonFactory(swe_number="SW3"),
        team=south,
        start=D(2016, 1, 11),
        end=D(2023, 5, 31),
        reason=1,
        destination=3,
    )
    employ(
        person=PersonFactory(swe_number="SW4"),
        team=south,
        start=D(2022, 11, 7),
        fte="0.8",
        is_asye=True,
    )
    employ(person=PersonFactory(swe_number="SW5"), team=north, start=D(2023, 6, 5), agency=True)
    employ(
        person=PersonFactory(swe_number="SW6"), team=north, start=D(2010, 1, 1), end=D(2022, 1, 1)
    )
    for swe, cases in (("SW1", 17), ("SW2", 9), ("SW4", 6), ("SW5", 15)):
        person = Person.objects.get(swe_number=swe)
        services.caseload_record(employment=person.employments.get(), date=REF, cases=cases)
    sw1 = Person.objects.get(swe_number="SW1").employments.get()
    services.sickness_absence_record(
        employment=sw1, start_date=D(2023, 1, 9), end_date=D(2023, 1, 12), working_days_lost=4
    )
    CensusReturn.objects.create(
        year=2023,
        reference_date=REF,
        lea="999",
        vacancies_fte=Decimal("2.5"),
        agency_cover_fte=Decimal("1"),
        agency_cover_headcount=1,
    )


def test_export_lists_the_years_workers_in_the_dfe_layout(tmp_path):
    build_council()
    path = tmp_path / "csww-2023.xml"
    call_command("export_csww", "--year", "2023", "--output", str(path))
    root = SafeET.fromstring(path.read_bytes())
    assert root.tag == "Message" and root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("LALevelVacancies/NumberOfVacancies") == "2.50"
    workers = {w.findtext("SWENo"): w for w in root.findall("CSWWWorker")}
    assert set(workers) == {"SW1", "SW2", "SW3", "SW4", "SW5"}  # SW6 left before the year
    assert workers["SW2"].findtext("FTE30") == "0.600000"
    assert workers["SW3"].findtext("RoleEndDate") == "2023-05-31"
    assert workers["SW3"].findtext("FTE30") == "0.000000"
    assert workers["SW4"].findtext("CFKSSstatus") == "1"
    assert workers["SW1"].findtext("WorkingDaysLost") == "4.00"
    assert workers["SW1"].findtext("Cases30") == "17"
    assert workers["SW5"].findtext("AgencyWorker") == "1"
    assert [c.tag for c in workers["SW1"]][:3] == ["AgencyWorker", "SWENo", "FTE"]


def test_round_trip_reproduces_the_same_kpis_and_records(tmp_path):
    build_council()
    before = kpis()
    assert before["inpost_fte"] == pytest.approx(2.4)  # SW1 1 + SW2 0.6 + SW4 0.8 (+ SW5 agency)
    assert before["leavers_fte"] == pytest.approx(1) and before["asye_fte"] == pytest.approx(0.8)
    assert before["cases"] == 47 and before["working_days_lost"] == pytest.approx(4)
    for fmt in ("xml", "csv"):
        data = census_export(year=2023, format=fmt)
        wipe_workforce()
        flat = None
        if fmt == "csv":
            from workforce.census.parse import FlatFileDetails

            flat = FlatFileDetails(
                year=2023,
                lea="999",
                vacancies_fte="2.5",
                agency_cover_fte="1",
                agency_cover_headcount="1",
            )
        result = census_import(data=data, flat=flat)
        assert result.errors == [], result.errors
        after = kpis()
        assert after == before, fmt
        in_post = {p.swe_number for p in Person.objects.filter(employments__end_date__isnull=True)}
        assert in_post == {"SW1", "SW2", "SW4", "SW5"}
        # the return is in the database as imported; exporting it again gives the same
        assert (
            census_export(year=2023, format=fmt).split(b"<DateTime>")[0]
            == data.split(b"<DateTime>")[0]
        )


def test_the_sample_round_trips_into_an_empty_database():
    Council.objects.create(name="Sample", lea_code="999")
    census_import(data=SAMPLE_XML.read_bytes())
    before, figures = canonical_dump(), kpis()
    exported = census_export(year=2023)
    wipe_workforce()
    assert census_import(data=exported).errors == []
    after = canonical_dump()
    for key in ("people", "employments", "assignments", "caseloads", "absences", "returns"):
        assert after[key] == before[key], key
    assert kpis() == figures
    assert figures["inpost_fte"] == pytest.approx(1.8) and figures["cases"] == 41


def test_export_is_refused_with_the_problems_listed():
    build_council()
    Person.objects.filter(swe_number="SW1").update(date_of_birth=None)
    with pytest.raises(CensusError) as exc:
        census_export(year=2023)
    assert [(p.where, p.item) for p in exc.value.problems] == [
        ("SW1 (record 1)", "PersonBirthDate")
    ]


def test_export_without_a_council_lea_code_is_refused(tmp_path, capsys):
    build_council()
    Council.objects.all().delete()
    with pytest.raises(CommandError, match="not written"):
        call_command("export_csww", "--year", "2023", "--output", str(tmp_path / "x.xml"))
    assert "No council LEA code" in capsys.readouterr().err
    assert not (tmp_path / "x.xml").exists()
