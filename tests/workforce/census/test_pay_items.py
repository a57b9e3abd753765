"""The 2025 census pay items (issue 14): each permanent worker's BaseSalary and the
council-level pay incentive items, read and written from the census year ending
30 September 2025 (item names assumed: see ``workforce/census/items.py``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from django.core.management import call_command

from pay import services as pay_services
from pay.choices import IncentiveKind
from pay.models import IncentivePayment, IncentiveScheme, SpinePoint, WorkerPoint
from pay.selectors import spine_salary
from tests.factories import PersonFactory, TeamFactory, employ
from workforce.census.items import COUNCIL_PAY_ITEMS
from workforce.census.services import census_export, census_import
from workforce.models import CensusReturn, CensusWorkerRecord, Council

from .helpers import agency, employed, return_xml, wipe_workforce

pytestmark = pytest.mark.django_db
D = dt.date
SPINE = Path(__file__).resolve().parents[3] / "data" / "pay" / "njc_pay_spine.csv"
ALL_NO = dict.fromkeys(COUNCIL_PAY_ITEMS, "0")


def with_pay_items(xml: bytes, items: dict[str, str]) -> bytes:
    block = "".join(f"<{k}>{v}</{k}>" for k, v in items.items())
    return xml.replace(
        b"</LALevelVacancies>", f"</LALevelVacancies><LALevelPay>{block}</LALevelPay>".encode()
    )


def read(xml: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """(the council pay items, BaseSalary by SWE number) of an exported return."""
    root = SafeET.fromstring(xml)
    pay = root.find("LALevelPay")
    items = {child.tag: child.text for child in pay} if pay is not None else {}
    salaries = {
        w.findtext("SWENo"): w.findtext("BaseSalary")
        for w in root.iter("CSWWWorker")
        if w.findtext("BaseSalary") is not None
    }
    return items, salaries


def problems_of(result) -> list[tuple[str, str, str, str]]:
    return [(p.severity, p.swe, p.item, p.value) for p in result.problems]


# --- import: good values kept, bad values reported by SWE number ---------------------


def test_a_2025_return_keeps_each_salary_and_the_councils_pay_items():
    Council.objects.create(name="Test", lea_code="999")
    xml = return_xml(
        2025,
        [
            employed("SW1", "2020-01-06", BaseSalary="41511.00"),
            employed("SW2", "2024-03-04", BaseSalary="38626", StartOrigin="2"),
            agency("SW3", "2025-01-06"),
        ],
    )
    items = {**ALL_NO, "RetentionPayment": "1", "RecruitmentBonus": "1"}
    result = census_import(data=with_pay_items(xml, items))
    assert result.errors == [] and result.warnings == []
    stored = {
        r.employment.person.swe_number: r.items.get("BaseSalary")
        for r in CensusWorkerRecord.objects.select_related("employment__person")
    }
    assert stored == {"SW1": "41511.00", "SW2": "38626", "SW3": None}
    declared = CensusReturn.objects.get(year=2025).pay_items
    assert declared == {name: name in ("RetentionPayment", "RecruitmentBonus") for name in ALL_NO}


def test_bad_salaries_and_pay_items_are_each_reported_with_the_workers_swe_number():
    Council.objects.create(name="Test", lea_code="999")
    xml = return_xml(
        2025,
        [
            employed("SW1", "2020-01-06", BaseSalary="abc"),
            employed("SW2", "2020-01-06", BaseSalary="4500"),  # not a year's salary
            employed("SW3", "2020-01-06", BaseSalary="1000000"),
            employed("SW4", "2020-01-06", BaseSalary="38000.123"),
            agency("SW5", "2025-01-06", BaseSalary="40000"),  # agency: permanent only
            employed("SW6", "2020-01-06"),  # missing: a warning
            employed("SW7", "2020-01-06", BaseSalary="1E5"),
        ],
    )
    bad = {**ALL_NO, "CarAllowance": "2", "RegionalWeighting": "yes"}
    del bad["RelocationPayment"]  # not given: a warning
    result = census_import(data=with_pay_items(xml, bad))
    assert problems_of(result) == [
        ("warning", "", "RelocationPayment", ""),
        ("error", "", "CarAllowance", "2"),
        ("error", "", "RegionalWeighting", "yes"),
        ("error", "SW1", "BaseSalary", "abc"),
        ("error", "SW2", "BaseSalary", "4500"),
        ("error", "SW3", "BaseSalary", "1000000"),
        ("error", "SW4", "BaseSalary", "38000.123"),
        ("error", "SW5", "BaseSalary", "40000"),
        ("warning", "SW6", "BaseSalary", ""),
        ("error", "SW7", "BaseSalary", "1E5"),
    ]
    messages = {p.swe: str(p) for p in result.problems if p.swe}
    assert "between £10,000 and £250,000" in messages["SW2"]
    assert "agency worker is paid by their agency" in messages["SW5"]
    assert "2 decimal places" in messages["SW4"]
    assert CensusReturn.objects.count() == 0  # nothing imported


def test_pay_items_in_a_2024_return_are_refused():
    Council.objects.create(name="Test", lea_code="999")
    xml = return_xml(2024, [employed("SW1", "2020-01-06", BaseSalary="41511.00")])
    result = census_import(data=with_pay_items(xml, {"RetentionPayment": "1"}))
    assert [(p.swe, p.item) for p in result.errors] == [
        ("", "RetentionPayment"),
        ("SW1", "BaseSalary"),
    ]
    assert "collects it from the year ending 30 September 2025" in str(result.errors[1])


def test_a_2024_return_needs_no_salary():
    Council.objects.create(name="Test", lea_code="999")
    result = census_import(data=return_xml(2024, [employed("SW1", "2020-01-06")]))
    assert result.problems == []


def test_the_command_takes_a_flat_files_pay_items(tmp_path):
    from .helpers import return_csv

    Council.objects.create(name="Test", lea_code="999")
    path = tmp_path / "r.csv"
    path.write_bytes(return_csv([employed("SW1", "2020-01-06", BaseSalary="40000")]))
    args = ["import_csww", str(path), "--year", "2025", "--lea", "999"]
    args += ["--vacancies-fte", "1", "--agency-cover-fte", "0", "--agency-cover-headcount", "0"]
    args += [f"--pay-item={k}={v}" for k, v in {**ALL_NO, "CarAllowance": "1"}.items()]
    call_command(*args, stdout=StringIO(), stderr=StringIO())
    assert CensusReturn.objects.get(year=2025).pay_items["CarAllowance"] is True


# --- export: from the pay app ----------------------------------------------------------


@pytest.fixture
def council(db):
    Council.objects.create(name="Test", lea_code="999")
    call_command("import_pay_spine", str(SPINE), stdout=StringIO())
    CensusReturn.objects.create(
        year=2025, reference_date=D(2025, 9, 30), lea="999", vacancies_fte=Decimal("1")
    )
    return TeamFactory(name="North")


def test_the_export_takes_salaries_from_the_spine_and_items_from_the_schemes(council):
    stayer = employ(person=PersonFactory(swe_number="SW1"), team=council, start=D(2020, 1, 6))
    no_point = employ(person=PersonFactory(swe_number="SW2"), team=council, start=D(2021, 1, 6))
    part_time = employ(
        person=PersonFactory(swe_number="SW3"), team=council, start=D(2022, 1, 6), fte="0.5"
    )
    leaver = employ(
        person=PersonFactory(swe_number="SW4"), team=council, start=D(2020, 1, 6),
        end=D(2025, 6, 30),
    )  # fmt: skip
    employ(person=PersonFactory(swe_number="SW5"), team=council, start=D(2025, 1, 6), agency=True)
    for employment, scp in ((stayer, 32), (part_time, 29), (leaver, 30)):
        pay_services.worker_point_set(
            employment=employment, effective_from=max(employment.start_date, D(2021, 4, 1)),
            scp=scp, reason="start",
        )  # fmt: skip
    del no_point
    # active in the year (1 Oct 2024 - 30 Sep 2025): retention, and cars (its last day is
    # 1 October 2024); relocation's last day was 30 September 2024, before the year
    IncentiveScheme.objects.create(
        name="Retention", kind=IncentiveKind.RETENTION_PAYMENT, amount=3000,
        start_date=D(2024, 4, 1),
    )  # fmt: skip
    IncentiveScheme.objects.create(
        name="Cars", kind=IncentiveKind.CAR_ALLOWANCE, amount=2000,
        start_date=D(2020, 4, 1), end_date=D(2024, 10, 2),
    )  # fmt: skip
    IncentiveScheme.objects.create(
        name="Relocation", kind=IncentiveKind.RELOCATION, amount=2000,
        start_date=D(2020, 4, 1), end_date=D(2024, 10, 1),
    )  # fmt: skip
    items, salaries = read(census_export(year=2025))
    on = D(2025, 9, 30)
    # full-time salaries of the points (the part-timer's too), none for the leaver or agency
    assert salaries == {
        "SW1": f"{spine_salary(scp=32, on=on):.2f}",
        "SW3": f"{spine_salary(scp=29, on=on):.2f}",
    }
    assert Decimal(salaries["SW1"]) > 40000
    assert items == {
        **ALL_NO,
        "RetentionPayment": "1",
        "CarAllowance": "1",  # active on 1 October 2024, its last day
    }


def test_the_export_of_2024_has_no_pay_items(council):
    employ(person=PersonFactory(swe_number="SW1"), team=council, start=D(2020, 1, 6))
    CensusReturn.objects.create(
        year=2024, reference_date=D(2024, 9, 30), lea="999", vacancies_fte=Decimal("1")
    )
    xml = census_export(year=2024)
    assert b"BaseSalary" not in xml and b"LALevelPay" not in xml
    assert b"BaseSalary" not in census_export(year=2024, format="csv")
    assert b"BaseSalary" in census_export(year=2025, format="csv").splitlines()[0]


# --- round trip on the demo council ------------------------------------------------------


def test_the_demo_councils_2025_return_round_trips_with_salaries_and_pay_items():
    # two census years (2025 and 2026): the 2025 return and the year before it
    call_command("seed_demo", "--scale", "0.1", "--years", "2", stdout=StringIO())
    first = census_export(year=2025)
    items, salaries = read(first)
    # realistic: most permanent workers have a salary, the demo's schemes set the items
    assert len(salaries) > 10
    assert all(25_000 < Decimal(s) < 80_000 for s in salaries.values())
    assert items["RetentionPayment"] == "1" and items["RecruitmentBonus"] == "1"
    assert items["PerformanceReward"] == "0" and set(items) == set(COUNCIL_PAY_ITEMS)
    # an empty database: no workforce, no pay
    IncentivePayment.objects.all().delete()
    IncentiveScheme.objects.all().delete()
    WorkerPoint.objects.all().delete()
    SpinePoint.objects.all().delete()
    wipe_workforce()
    result = census_import(data=first)
    assert result.errors == []
    again = census_export(year=2025)
    assert read(again) == (items, salaries)
    # the rest of the return too (the XML's DateTime is the moment of export)
    strip = lambda x: re.sub(rb"<DateTime>[^<]*</DateTime>", b"", x)  # noqa: E731
    assert strip(again) == strip(first)
