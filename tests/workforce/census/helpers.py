"""Helpers for the census tests: build small returns, and dump the stored records in a
canonical, comparable form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from workforce.census.items import ITEM_NAMES
from workforce.models import (
    Assignment,
    CaseloadSnapshot,
    CensusReturn,
    CensusWorkerRecord,
    Employment,
    Person,
    SicknessAbsence,
)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_XML = FIXTURES / "sample-return.xml"
SAMPLE_CSV = FIXTURES / "sample-return.csv"
SAMPLE_FLAT = {
    "year": "2023",
    "lea": "999",
    "vacancies_fte": "2.5",
    "agency_cover_fte": "1",
    "agency_cover_headcount": "1",
}


def return_xml(year: int, workers: list[dict], *, lea: str = "999", figures=("2.50", "1.00", "1")):
    """A census return as DfE's XML, items written in the order of the item table."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<Message><Header><CollectionDetails><Collection>CSWW</Collection>",
        f"<Year>{year}</Year><ReferenceDate>{year}-09-30</ReferenceDate></CollectionDetails>",
        f"<Source><SourceLevel>L</SourceLevel><LEA>{lea}</LEA></Source></Header>",
        "<LALevelVacancies>",
        f"<NumberOfVacancies>{figures[0]}</NumberOfVacancies><NoAgencyFTE>{figures[1]}"
        f"</NoAgencyFTE><NoAgencyHeadcount>{figures[2]}</NoAgencyHeadcount>",
        "</LALevelVacancies>",
    ]
    for worker in workers:
        parts.append("<CSWWWorker>")
        for name in ITEM_NAMES:
            if worker.get(name) not in (None, ""):
                parts.append(f"<{name}>{worker[name]}</{name}>")
        for name, value in worker.items():
            if name not in ITEM_NAMES:  # deliberately unknown items
                parts.append(f"<{name}>{value}</{name}>")
        parts.append("</CSWWWorker>")
    parts.append("</Message>")
    return "\n".join(parts).encode("utf-8")


def return_csv(workers: list[dict], columns: list[str] | None = None) -> bytes:
    columns = columns or [*ITEM_NAMES, "Team"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(workers)
    return out.getvalue().encode("utf-8")


def employed(swe: str, start: str, **items) -> dict:
    """An employed worker in post with every required item (override with ``items``)."""
    worker = {
        "AgencyWorker": "0",
        "SWENo": swe,
        "FTE": "1.000000",
        "PersonBirthDate": "1980-01-01",
        "GenderCurrent": "2",
        "Ethnicity": "WBRI",
        "QualLevel": "1",
        "StepUpGrad": "0",
        "OrgRole": "5",
        "RoleStartDate": start,
        "FTE30": "1.000000",
        "Cases30": "10",
        "WorkingDaysLost": "1.00",
        "FrontlineGrad": "0",
    }
    worker.update(items)
    return {k: v for k, v in worker.items() if v is not None}


def agency(swe: str, start: str, **items) -> dict:
    worker = {
        "AgencyWorker": "1",
        "SWENo": swe,
        "FTE": "1.000000",
        "OrgRole": "5",
        "RoleStartDate": start,
        "FTE30": "1.000000",
        "Cases30": "12",
    }
    worker.update(items)
    return {k: v for k, v in worker.items() if v is not None}


def canonical_dump() -> dict:
    """Everything an import stores, without database ids or timestamps."""
    return {
        "people": sorted(
            Person.objects.values_list(
                "swe_number",
                "date_of_birth",
                "gender",
                "ethnicity",
                "qualification_institution",
                "qualification_level",
                "qualification_route",
            )
        ),
        "employments": sorted(
            Employment.objects.values_list(
                "person__swe_number",
                "contract_type",
                "start_date",
                "start_origin",
                "end_date",
                "leaving_reason",
                "leaving_destination",
            )
        ),
        "assignments": sorted(
            Assignment.objects.values_list(
                "employment__person__swe_number",
                "employment__start_date",
                "effective_from",
                "effective_to",
                "team__name",
                "org_role",
                "fte",
                "is_asye",
                "cfkss_status",
                "change_reason",
            )
        ),
        "caseloads": sorted(
            CaseloadSnapshot.objects.values_list(
                "employment__person__swe_number", "date", "cases", "team__name", "source"
            )
        ),
        "absences": sorted(
            SicknessAbsence.objects.values_list(
                "employment__person__swe_number", "start_date", "end_date", "working_days_lost"
            )
        ),
        "returns": sorted(
            CensusReturn.objects.values_list(
                "year",
                "reference_date",
                "lea",
                "vacancies_fte",
                "agency_cover_fte",
                "agency_cover_headcount",
            )
        ),
        "records": sorted(
            (r.census_return.year, r.employment.person.swe_number, sorted(r.items.items()))
            for r in CensusWorkerRecord.objects.select_related(
                "census_return", "employment__person"
            )
        ),
    }


def wipe_workforce() -> None:
    """An empty database as far as an import is concerned. Not audited: this is the
    test's set-up, not a change anyone made (auditing each deleted caseload cost the demo
    round trip 16 s)."""
    from auditlog.context import disable_auditlog

    with disable_auditlog():
        CensusReturn.objects.all().delete()
        CaseloadSnapshot.objects.all().delete()
        SicknessAbsence.objects.all().delete()
        Assignment.objects.all().delete()
        Employment.objects.all().delete()
        Person.objects.all().delete()
