"""The DfE CSWW census return's worker items: their order, kind and code sets.

One table, used by the parser (which items exist), the validator (what each may hold)
and the exporter (the order DfE expects in the XML). The code sets come from
``workforce.choices`` so a DfE code is defined once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from workforce.choices import (
    CFKSSStatus,
    Ethnicity,
    Gender,
    LeaverDestination,
    OrgRole,
    QualLevel,
    ReasonAbsence,
    ReasonLeave,
    StartOrigin,
)

#: Kinds of item value.
FLAG, CODE, DATE, DECIMAL, INTEGER, TEXT, SWENO = (
    "flag",
    "code",
    "date",
    "decimal",
    "integer",
    "text",
    "sweno",
)


@dataclass(frozen=True)
class Item:
    name: str
    kind: str
    codes: frozenset[str] | None = None
    max_dp: int | None = None  # decimal places allowed (decimals)


def _codes(choices) -> frozenset[str]:
    return frozenset(str(value) for value in choices.values)


#: Every worker item, in the order of the XML ``CSWWWorker`` element.
WORKER_ITEMS: tuple[Item, ...] = (
    Item("AgencyWorker", FLAG),
    Item("SWENo", SWENO),
    Item("FTE", DECIMAL, max_dp=6),
    Item("PersonBirthDate", DATE),
    Item("GenderCurrent", CODE, _codes(Gender)),
    Item("Ethnicity", CODE, _codes(Ethnicity)),
    Item("QualInst", TEXT),
    Item("QualLevel", CODE, _codes(QualLevel)),
    Item("StepUpGrad", FLAG),
    Item("OrgRole", CODE, _codes(OrgRole)),
    Item("RoleStartDate", DATE),
    Item("StartOrigin", CODE, _codes(StartOrigin)),
    Item("RoleEndDate", DATE),
    Item("LeaverDestination", CODE, _codes(LeaverDestination)),
    Item("ReasonLeave", CODE, _codes(ReasonLeave)),
    Item("FTE30", DECIMAL, max_dp=6),
    Item("Cases30", INTEGER),
    Item("WorkingDaysLost", DECIMAL, max_dp=2),
    Item("ContractWeeks", DECIMAL, max_dp=1),
    Item("FrontlineGrad", FLAG),
    Item("Absat30Sept", FLAG),
    Item("ReasonAbsence", CODE, _codes(ReasonAbsence)),
    Item("CFKSSstatus", CODE, _codes(CFKSSStatus)),
)
ITEMS_BY_NAME: dict[str, Item] = {item.name: item for item in WORKER_ITEMS}
ITEM_NAMES: tuple[str, ...] = tuple(item.name for item in WORKER_ITEMS)
#: Items that may appear more than once in an XML worker record.
REPEATABLE = frozenset({"QualInst"})

#: Items an employed worker (AgencyWorker 0) must have.
EMPLOYED_REQUIRED = (
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "OrgRole",
    "RoleStartDate",
    "WorkingDaysLost",
)

#: The council-level figures and where they sit in the XML.
LA_FIGURES = {
    "NumberOfVacancies": "vacancies_fte",
    "NoAgencyFTE": "agency_cover_fte",
    "NoAgencyHeadcount": "agency_cover_headcount",
}

COLLECTION = "CSWW"


def reference_date_for(year: int) -> dt.date:
    """The census reference date of collection year ``year``: 30 September."""
    return dt.date(year, 9, 30)


def census_year_start(year: int) -> dt.date:
    """The first day of the census year ending on ``reference_date_for(year)``."""
    return dt.date(year - 1, 10, 1)
