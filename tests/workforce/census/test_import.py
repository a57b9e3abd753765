"""Importing a DfE census return: the sample imports cleanly and gives the right records,
a re-import changes nothing, any import order gives the same data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from workforce import selectors
from workforce.census.parse import FlatFileDetails
from workforce.census.services import UNASSIGNED_TEAM, census_import
from workforce.choices import CaseloadSource, ChangeReason, ContractType
from workforce.models import (
    Assignment,
    CaseloadSnapshot,
    CensusReturn,
    CensusWorkerRecord,
    Employment,
    Person,
    SicknessAbsence,
)

from .helpers import (
    SAMPLE_CSV,
    SAMPLE_FLAT,
    SAMPLE_XML,
    agency,
    canonical_dump,
    employed,
    return_xml,
)

pytestmark = pytest.mark.django_db
D = dt.date
REF = D(2023, 9, 30)


def in_post(on: dt.date) -> dict[str, Decimal]:
    return {
        a.employment.person.swe_number: a.fte
        for a in selectors.assignments_on(as_of=on).select_related("employment__person")
    }


def test_sample_xml_imports_cleanly_with_the_records_a_user_expects():
    call_command("import_csww", str(SAMPLE_XML))
    assert Person.objects.count() == 4
    assert in_post(REF) == {
        "SW0000000001": Decimal("1"),
        "SW0000000002": Decimal("0.8"),
        "SW0000000004": Decimal("1"),
    }
    leaver = Employment.objects.get(person__swe_number="SW0000000003")
    assert leaver.end_date == D(2023, 5, 31)
    assert (leaver.leaving_reason, leaver.leaving_destination) == (1, 3)
    assert selectors.assignment_on(employment=leaver, date=D(2023, 5, 30)).fte == Decimal("1")
    agency_worker = Employment.objects.get(person__swe_number="SW0000000004")
    assert agency_worker.contract_type == ContractType.AGENCY
    asye = Assignment.objects.get(employment__person__swe_number="SW0000000002")
    assert asye.is_asye and asye.cfkss_status == 1 and asye.change_reason == ChangeReason.IMPORT
    assert asye.team.name == UNASSIGNED_TEAM and asye.team.is_case_holding
    assert sum(CaseloadSnapshot.objects.filter(date=REF).values_list("cases", flat=True)) == 41
    assert set(CaseloadSnapshot.objects.values_list("source", flat=True)) == {CaseloadSource.CENSUS}
    absence = SicknessAbsence.objects.get(employment__person__swe_number="SW0000000001")
    assert (absence.start_date, absence.end_date) == (D(2022, 10, 1), REF)
    assert absence.working_days_lost == Decimal("4.00")
    declared = CensusReturn.objects.get(year=2023)
    assert (declared.vacancies_fte, declared.agency_cover_fte) == (Decimal("2.5"), Decimal("1"))
    assert declared.agency_cover_headcount == 1 and declared.lea == "999"
    record = CensusWorkerRecord.objects.get(employment=agency_worker)
    assert record.items["ContractWeeks"] == "17.0"


def test_sample_csv_gives_the_same_records_as_the_xml_and_keeps_its_extra_columns():
    call_command(
        "import_csww",
        str(SAMPLE_CSV),
        "--year=2023",
        "--lea=999",
        "--vacancies-fte=2.5",
        "--agency-cover-fte=1",
        "--agency-cover-headcount=1",
    )
    from_csv = canonical_dump()
    team = Assignment.objects.get(employment__person__swe_number="SW0000000001").team
    assert team.name == "Family Safeguarding North"
    record = CensusWorkerRecord.objects.get(employment__person__swe_number="SW0000000003")
    assert record.items["Team"] == "Children in Care"
    from .helpers import wipe_workforce

    wipe_workforce()
    call_command("import_csww", str(SAMPLE_XML))
    from_xml = canonical_dump()
    strip_teams = lambda rows: [r[:4] + r[5:] for r in rows]  # noqa: E731 - XML has no teams
    assert strip_teams(from_csv["assignments"]) == strip_teams(from_xml["assignments"])
    for key in ("people", "employments", "absences", "returns"):
        assert from_csv[key] == from_xml[key], key
    assert [r[:3] for r in from_csv["caseloads"]] == [r[:3] for r in from_xml["caseloads"]]


def test_sample_xlsx_imports_like_the_csv(tmp_path):
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with open(SAMPLE_CSV, newline="") as f:
        for row in csv.reader(f):
            sheet.append(row)
    path = tmp_path / "return.xlsx"
    book.save(path)
    result = census_import(data=path.read_bytes(), flat=FlatFileDetails(**SAMPLE_FLAT))
    assert result.errors == []
    assert result.kind == "xlsx" and result.workers == 4
    assert in_post(REF)["SW0000000002"] == Decimal("0.8")


def test_reimporting_the_same_return_changes_nothing(make_user):
    user = make_user("HR officer")
    data = SAMPLE_XML.read_bytes()
    first = census_import(data=data, user=user)
    assert first.audit_entries > 0
    before = canonical_dump()
    counts = (LogEntry.objects.count(), Assignment.objects.count(), Employment.objects.count())
    second = census_import(data=data, user=user)
    assert second.errors == []
    assert second.audit_entries == 0
    assert second.people_created == second.people_updated == second.employments_updated == []
    assert canonical_dump() == before
    after = (LogEntry.objects.count(), Assignment.objects.count(), Employment.objects.count())
    assert after == counts


def test_import_writes_audit_entries_naming_the_importing_user(make_user):
    user = make_user("HR officer")
    census_import(data=SAMPLE_XML.read_bytes(), user=user)
    person = Person.objects.get(swe_number="SW0000000002")
    entries = LogEntry.objects.get_for_object(person)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == user and entry.action == LogEntry.Action.CREATE
    assert entry.changes["date_of_birth"] == ["None", "1998-11-02"]
    employment_entries = LogEntry.objects.filter(
        content_type__model="employment", actor=user
    ).count()
    assert employment_entries == 4


def test_swe_numbers_match_case_insensitively():
    census_import(data=return_xml(2023, [employed("SW0000000009", "2020-01-06")]))
    census_import(data=return_xml(2023, [employed("sw0000000009", "2020-01-06", FTE30="0.5")]))
    assert Person.objects.count() == 1 and Employment.objects.count() == 1
    assert in_post(REF) == {"SW0000000009": Decimal("0.5")}


def test_a_different_fte30_in_a_later_year_is_an_assignment_change_on_its_reference_date():
    census_import(data=return_xml(2022, [employed("SW1", "2019-05-01")]))
    census_import(data=return_xml(2023, [employed("SW1", "2019-05-01", FTE30="0.600000")]))
    employment = Employment.objects.get()
    chain = list(employment.assignments.values_list("effective_from", "effective_to", "fte"))
    assert chain == [
        (D(2019, 5, 1), REF, Decimal("1")),
        (REF, None, Decimal("0.6")),
    ]
    assert employment.assignments.last().change_reason == ChangeReason.IMPORT
    assert in_post(D(2023, 9, 29))["SW1"] == Decimal("1")


def test_a_worker_absent_from_a_later_return_is_not_in_post_on_its_date():
    census_import(
        data=return_xml(2022, [employed("SW1", "2019-05-01"), agency("SW2", "2021-06-01")])
    )
    result = census_import(data=return_xml(2023, [employed("SW1", "2019-05-01")]), dry_run=True)
    assert result.no_longer_in_post == ["SW2"]
    assert any(w.value == "SW2" and "not in this one" in w.message for w in result.warnings)
    assert "SW2" in in_post(REF)  # a dry run wrote nothing
    census_import(data=return_xml(2023, [employed("SW1", "2019-05-01")]))
    assert "SW2" in in_post(D(2022, 9, 30))
    assert "SW2" not in in_post(REF)
    assert Employment.objects.get(person__swe_number="SW2").end_date == REF


def years():
    """Three small returns: a part-timer, a starter who leaves, an agency worker who
    disappears, an ASYE starter, and a team change in the flat file's absence."""
    return {
        2021: return_xml(
            2021,
            [
                employed("SW100", "2019-05-01"),
                employed("SW200", "2020-11-02", StartOrigin="2", QualInst="Open University"),
                agency("SW300", "2021-06-01", ContractWeeks="16.0"),
            ],
            figures=("3.00", "1.00", "1"),
        ),
        2022: return_xml(
            2022,
            [
                employed("SW100", "2019-05-01", FTE30="0.800000", WorkingDaysLost="3.50"),
                employed("SW200", "2020-11-02", QualInst="University of Kent", Cases30="14"),
            ],
            figures=("2.00", "0.00", "0"),
        ),
        2023: return_xml(
            2023,
            [
                employed("SW100", "2019-05-01", FTE30="0.800000", Ethnicity="WOTH"),
                employed(
                    "SW200",
                    "2020-11-02",
                    RoleEndDate="2023-03-31",
                    ReasonLeave="1",
                    LeaverDestination="3",
                    FTE="0.800000",
                    FTE30="0",
                    Cases30=None,
                ),
                employed("SW400", "2022-10-03", StartOrigin="1", CFKSSstatus="1", FTE30="0.900000"),
            ],
        ),
    }


@pytest.mark.parametrize("order", [(2021, 2022, 2023), (2023, 2021, 2022)])
def test_imports_in_any_order_give_the_same_data(order, django_db_blocker):
    returns = years()
    for year in (2021, 2022, 2023):
        result = census_import(data=returns[year])
        assert result.errors == [], result.errors
    expected = canonical_dump()
    from .helpers import wipe_workforce

    wipe_workforce()
    for year in order:
        assert census_import(data=returns[year]).errors == []
    assert canonical_dump() == expected
    # and re-importing every return again changes nothing
    for year in reversed(order):
        assert census_import(data=returns[year]).audit_entries == 0
    assert canonical_dump() == expected
    # the facts a user would check
    assert Employment.objects.get(person__swe_number="SW300").end_date == D(2022, 9, 30)
    assert Person.objects.get(swe_number="SW200").qualification_institution == "University of Kent"
    assert Person.objects.get(swe_number="SW100").ethnicity == "WOTH"
    assert in_post(D(2022, 9, 30)) == {"SW100": Decimal("0.8"), "SW200": Decimal("1")}
    assert in_post(D(2023, 9, 30)) == {"SW100": Decimal("0.8"), "SW400": Decimal("0.9")}


def test_dry_run_command_writes_nothing():
    call_command("import_csww", str(SAMPLE_XML), "--dry-run")
    assert Person.objects.count() == 0 and CensusReturn.objects.count() == 0


def test_a_flat_file_without_the_year_is_refused_with_the_reason():
    with pytest.raises(CommandError):
        call_command("import_csww", str(SAMPLE_CSV), "--lea=999")
    assert Person.objects.count() == 0


@pytest.mark.parametrize("order", [(2022, 2023), (2023, 2022)])
def test_a_returner_listed_without_their_leaving_ends_the_old_role_when_the_new_began(order):
    returns = {
        2022: return_xml(2022, [employed("SW7", "2019-01-07")]),
        2023: return_xml(2023, [employed("SW7", "2023-03-01", StartOrigin="2")]),
    }
    results = [census_import(data=returns[year]) for year in order]
    assert all(r.errors == [] for r in results)
    old, new = Employment.objects.filter(person__swe_number="SW7").order_by("start_date")
    assert old.end_date == D(2023, 3, 1) and old.leaving_reason == 9  # not known
    assert new.end_date is None
    assert list(selectors.employments_in_post(as_of=REF)) == [new]
    if order == (2022, 2023):
        assert results[1].no_longer_in_post == ["SW7"]
        assert "leaving date set to 2023-03-01" in results[1].warnings[0].message


def test_an_import_tells_the_kpi_snapshots_once_and_a_no_op_not_at_all(
    django_capture_on_commit_callbacks,
):
    from dashboards.signals import data_committed

    def kpi_callbacks(callbacks) -> int:
        return sum(1 for c in callbacks if getattr(c, "func", c) is data_committed)

    with django_capture_on_commit_callbacks() as callbacks:
        census_import(data=SAMPLE_XML.read_bytes())
    assert kpi_callbacks(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks:
        census_import(data=SAMPLE_XML.read_bytes())
        census_import(data=SAMPLE_XML.read_bytes(), dry_run=True)
    assert kpi_callbacks(callbacks) == 0


def test_a_flat_file_without_council_figures_keeps_the_declared_ones():
    census_import(data=SAMPLE_XML.read_bytes())
    result = census_import(
        data=SAMPLE_CSV.read_bytes(), flat=FlatFileDetails(year="2023", lea="999")
    )
    assert result.errors == []
    assert {w.item for w in result.warnings} == {
        "NumberOfVacancies",
        "NoAgencyFTE",
        "NoAgencyHeadcount",
    }
    assert CensusReturn.objects.get().vacancies_fte == Decimal("2.5")


def test_a_return_updates_the_employment_recorded_in_the_app_and_keeps_its_team():
    from tests.factories import PersonFactory, TeamFactory, employ

    north = TeamFactory(name="North")
    mine = employ(person=PersonFactory(swe_number="SW0000000001"), team=north, start=D(2019, 3, 4))
    result = census_import(
        data=return_xml(2023, [employed("sw0000000001", "2019-03-04", FTE30="0.5")])
    )
    assert result.errors == [] and result.people_created == []
    assert Employment.objects.count() == 1
    chain = list(
        mine.assignments.values_list("effective_from", "team__name", "fte", "change_reason")
    )
    assert chain == [
        (D(2019, 3, 4), "North", Decimal("1"), ChangeReason.START),
        (REF, "North", Decimal("0.5"), ChangeReason.IMPORT),
    ]
    person = Person.objects.get()
    update = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.UPDATE)
    assert update.changes["date_of_birth"] == [
        "1985-05-17",
        "1980-01-01",
    ]
