"""A broken return is refused whole: every problem named with where, item and value, all
at once, and nothing written. Files that are not returns get one clear message."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from workforce.census.parse import FlatFileDetails
from workforce.census.services import census_import
from workforce.models import CensusReturn, Council, Employment, Person

from .helpers import SAMPLE_CSV, SAMPLE_FLAT, SAMPLE_XML, agency, employed, return_csv, return_xml

pytestmark = pytest.mark.django_db

LEAVER = {
    "RoleEndDate": "2023-05-31",
    "ReasonLeave": "1",
    "LeaverDestination": "3",
    "FTE30": "0",
    "Cases30": None,
}

# (what is broken, the worker record, the item named, a word of the message)
BROKEN = [
    (
        "no AgencyWorker",
        employed("SW1", "2020-01-06", AgencyWorker=None),
        "AgencyWorker",
        "Missing",
    ),
    ("AgencyWorker 2", employed("SW1", "2020-01-06", AgencyWorker="2"), "AgencyWorker", "0 (no)"),
    ("no SWENo", employed(None, "2020-01-06"), "SWENo", "Missing"),
    ("bad SWENo", employed("12345", "2020-01-06"), "SWENo", "two letters"),
    (
        "no birth date",
        employed("SW1", "2020-01-06", PersonBirthDate=None),
        "PersonBirthDate",
        "employed",
    ),
    ("no gender", employed("SW1", "2020-01-06", GenderCurrent=None), "GenderCurrent", "employed"),
    (
        "unknown gender",
        employed("SW1", "2020-01-06", GenderCurrent="3"),
        "GenderCurrent",
        "Unknown code",
    ),
    (
        "unknown ethnicity",
        employed("SW1", "2020-01-06", Ethnicity="XXXX"),
        "Ethnicity",
        "Unknown code",
    ),
    ("no OrgRole", employed("SW1", "2020-01-06", OrgRole=None), "OrgRole", "employed"),
    ("OrgRole 7", employed("SW1", "2020-01-06", OrgRole="7"), "OrgRole", "Unknown code"),
    ("no start", employed("SW1", None), "RoleStartDate", "Missing"),
    ("bad date", employed("SW1", "06/01/2020"), "RoleStartDate", "YYYY-MM-DD"),
    ("no FTE30 in post", employed("SW1", "2020-01-06", FTE30=None), "FTE30", "Missing"),
    (
        "no WorkingDaysLost",
        employed("SW1", "2020-01-06", WorkingDaysLost=None),
        "WorkingDaysLost",
        "employed",
    ),
    ("starter without origin", employed("SW1", "2022-11-01"), "StartOrigin", "starter"),
    (
        "leaver without reason",
        employed("SW1", "2020-01-06", **{**LEAVER, "ReasonLeave": None}),
        "ReasonLeave",
        "leaver",
    ),
    (
        "leaver without destination",
        employed("SW1", "2020-01-06", **{**LEAVER, "LeaverDestination": None}),
        "LeaverDestination",
        "leaver",
    ),
    (
        "leaver with FTE30",
        employed("SW1", "2020-01-06", **{**LEAVER, "FTE30": "0.5"}),
        "FTE30",
        "must be 0",
    ),
    (
        "end before start",
        employed("SW1", "2020-01-06", **{**LEAVER, "RoleEndDate": "2019-12-31"}),
        "RoleEndDate",
        "Before the role start",
    ),
    (
        "end after reference date",
        employed("SW1", "2020-01-06", **{**LEAVER, "RoleEndDate": "2023-10-01"}),
        "RoleEndDate",
        "After the reference date",
    ),
    (
        "start after reference date",
        employed("SW1", "2023-10-02", StartOrigin="1"),
        "RoleStartDate",
        "After the reference date",
    ),
    ("FTE over 1", employed("SW1", "2020-01-06", FTE="1.2"), "FTE", "no more than 1"),
    ("FTE30 zero in post", employed("SW1", "2020-01-06", FTE30="0"), "FTE30", "more than 0"),
    ("FTE not a number", employed("SW1", "2020-01-06", FTE="full"), "FTE", "Not a number"),
    ("negative cases", employed("SW1", "2020-01-06", Cases30="-1"), "Cases30", "negative"),
    ("fractional cases", employed("SW1", "2020-01-06", Cases30="2.5"), "Cases30", "whole number"),
    (
        "WorkingDaysLost 3 dp",
        employed("SW1", "2020-01-06", WorkingDaysLost="1.125"),
        "WorkingDaysLost",
        "decimal places",
    ),
    (
        "unknown ReasonAbsence",
        employed("SW1", "2020-01-06", Absat30Sept="1", ReasonAbsence="XYZ"),
        "ReasonAbsence",
        "Unknown code",
    ),
    (
        "unknown CFKSSstatus",
        employed("SW1", "2020-01-06", CFKSSstatus="5"),
        "CFKSSstatus",
        "Unknown code",
    ),
    (
        "agency ASYE",
        agency("SW1", "2020-01-06", CFKSSstatus="1"),
        "CFKSSstatus",
        "ASYEs are employed",
    ),
    ("unknown item", employed("SW1", "2020-01-06", Nickname="Jo"), "Nickname", "Not a census item"),
]


@pytest.mark.parametrize(("case", "worker", "item", "words"), BROKEN, ids=[b[0] for b in BROKEN])
def test_each_broken_rule_is_reported_with_record_item_and_value(case, worker, item, words):
    good = employed("SW9", "2018-01-01")
    result = census_import(data=return_xml(2023, [good, worker]))
    assert result.errors, case
    matching = [p for p in result.errors if p.item == item]
    assert matching, [str(p) for p in result.errors]
    assert matching[0].where == "record 2"
    assert words.lower() in matching[0].message.lower()
    if worker.get(item):
        assert matching[0].value == worker[item]
    assert Person.objects.count() == 0  # not even the good worker


def test_every_error_is_reported_at_once_and_the_command_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "bad.xml"
    path.write_bytes(
        return_xml(
            2023,
            [
                employed("SW1", "2020-01-06", GenderCurrent="7"),
                employed("SW2", "2020-01-06", Ethnicity="ZZZZ"),
                employed("SW3", "2020-01-06", FTE30="3"),
            ],
        )
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_csww", str(path))
    assert "3 error(s)" in str(exc.value) and "nothing was imported" in str(exc.value)
    err = capsys.readouterr().err
    assert "record 1, GenderCurrent = '7'" in err
    assert "record 2, Ethnicity = 'ZZZZ'" in err
    assert "record 3, FTE30 = '3'" in err
    assert Person.objects.count() == 0 and CensusReturn.objects.count() == 0


def test_flat_file_errors_name_the_spreadsheet_row():
    rows = [employed("SW1", "2020-01-06"), employed("SW2", "2020-01-06", OrgRole="9")]
    result = census_import(data=return_csv(rows), flat=FlatFileDetails(**SAMPLE_FLAT))
    assert [(p.where, p.item, p.value) for p in result.errors] == [("row 3", "OrgRole", "9")]


def test_same_worker_and_start_twice_is_an_error_but_two_roles_are_allowed():
    twice = [employed("SW1", "2020-01-06"), employed("SW1", "2020-01-06")]
    result = census_import(data=return_xml(2023, twice))
    assert [(p.where, p.item) for p in result.errors] == [("record 2", "SWENo")]
    two_roles = [
        employed("SW1", "2018-01-06", **LEAVER),
        employed("SW1", "2023-06-01", StartOrigin="2"),
    ]
    result = census_import(data=return_xml(2023, two_roles))
    assert result.errors == []
    assert Employment.objects.filter(person__swe_number="SW1").count() == 2


def test_header_problems_are_errors():
    data = return_xml(2023, [employed("SW1", "2020-01-06")], lea="99")
    data = data.replace(b"<ReferenceDate>2023-09-30", b"<ReferenceDate>2023-03-31")
    result = census_import(data=data)
    assert {(p.where, p.item) for p in result.errors} == {
        ("header", "LEA"),
        ("header", "ReferenceDate"),
    }


def test_a_return_for_another_council_is_refused():
    Council.objects.create(name="Kent", lea_code="886")
    result = census_import(data=SAMPLE_XML.read_bytes())
    assert [p.item for p in result.errors] == ["LEA"]
    assert "886" in result.errors[0].message
    assert Person.objects.count() == 0


def _zip_of_something_else() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "hello")
    return out.getvalue()


NOT_RETURNS = [
    ("empty", b"", "empty"),
    ("blank", b"  \n\n", "empty"),
    ("html", b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML"),
    ("binary", bytes(range(256)) * 4, "binary"),
    ("wrong root", b"<?xml version='1.0'?><Invoice><Header/></Invoice>", "root element"),
    ("namespaced", b"<Message xmlns='urn:x'><Header/></Message>", "no namespace"),
    ("broken xml", b"<Message><Header></Message>", "not well-formed"),
    ("entity bomb", b'<!DOCTYPE m [<!ENTITY a "aaa">]><Message>&a;</Message>', "not allowed"),
    ("latin-1 csv", "AgencyWorker,SWENo\n0,SW1 caf\xe9\n".encode("latin-1"), "UTF-8"),
    ("other csv", b"name,age\nJo,40\n", "AgencyWorker and SWENo"),
    ("zip not xlsx", _zip_of_something_else(), "not an Excel workbook"),
]


@pytest.mark.parametrize(("case", "data", "words"), NOT_RETURNS, ids=[n[0] for n in NOT_RETURNS])
def test_a_file_that_is_not_a_return_gets_one_clear_message(case, data, words, tmp_path, capsys):
    result = census_import(data=data, flat=FlatFileDetails(**SAMPLE_FLAT))
    assert len(result.errors) == 1
    assert words.lower() in result.errors[0].message.lower()
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_csww", str(path), "--year=2023", "--lea=999")
    assert "Traceback" not in capsys.readouterr().err
    assert Person.objects.count() == 0


def test_missing_file_is_a_clear_command_error():
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_csww", "/nonexistent/return.xml")


def test_the_sample_csv_is_clean_with_the_documented_options():
    result = census_import(
        data=SAMPLE_CSV.read_bytes(), flat=FlatFileDetails(**SAMPLE_FLAT), dry_run=True
    )
    assert result.errors == [] and result.warnings == []
    assert len(result.people_created) == 4 and result.leavers == ["SW0000000003"]
    assert result.agency_workers == ["SW0000000004"]


def test_a_staff_reference_given_for_two_workers_is_an_error():
    rows = [
        {**employed("SW1", "2020-01-06"), "StaffRef": "E1"},
        {**employed("SW2", "2020-01-06"), "StaffRef": "E1"},
    ]
    data = return_csv(rows, columns=[*employed("SW1", "2020-01-06"), "StaffRef"])
    result = census_import(data=data, flat=FlatFileDetails(**SAMPLE_FLAT))
    assert [(p.where, p.item, p.value) for p in result.errors] == [("row 3", "StaffRef", "E1")]
    assert Person.objects.count() == 0


def test_xlsx_with_real_dates_and_numbers_in_its_cells(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    columns = list(employed("SW1", "2020-01-06"))
    sheet.append(columns)
    row = employed("SW1", "2020-01-06")
    typed = {
        **row,
        "AgencyWorker": 0,
        "FTE": 0.8,
        "FTE30": 0.8,
        "PersonBirthDate": dt.datetime(1980, 1, 1),
        "RoleStartDate": dt.datetime(2020, 1, 6),
        "GenderCurrent": 2,
        "Cases30": 10,
        "WorkingDaysLost": 1.5,
    }
    sheet.append([typed[c] for c in columns])
    path = tmp_path / "return.xlsx"
    book.save(path)
    result = census_import(data=path.read_bytes(), flat=FlatFileDetails(**SAMPLE_FLAT))
    assert result.errors == []
    employment = Employment.objects.get()
    assert employment.start_date == dt.date(2020, 1, 6)
    assert str(employment.assignments.get().fte) == "0.800000"
