"""The DfE CSWW census return's worker items: their order, kind and code sets.

One table, used by the parser (which items exist), the validator (what each may hold)
and the exporter (the order DfE expects in the XML). The code sets come from
``workforce.choices`` so a DfE code is defined once.

**Items by year.** From the census year ending 30 September 2025 DfE collects each
permanent worker's base salary and, once per council, whether it offers each kind of pay
incentive (issue 14). An item carries the first year it is collected (``from_year``);
``worker_item_names(year)`` and ``council_pay_items(year)`` give a year's items, so a
return of 2024 or earlier is read and written exactly as before.

**Names assumed.** DfE's 2025 guide (gov.uk "Children's social work workforce census,
year ending 30 September 2025: guide") was not available to us, so the item names below
are ours, in DfE's style, not DfE's: ``BaseSalary`` (worker) and the council-level flags
in ``COUNCIL_PAY_ITEMS`` inside an ``LALevelPay`` element after ``LALevelVacancies``.
Change them here (one place) once the guide's names are confirmed; see
``docs/census-pay-items.md``.
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
FLAG, CODE, DATE, DECIMAL, INTEGER, TEXT, SWENO, MONEY = (
    "flag",
    "code",
    "date",
    "decimal",
    "integer",
    "text",
    "sweno",
    "money",
)

#: The first census year with the pay items (the year ending 30 September 2025).
PAY_ITEMS_FROM = 2025


@dataclass(frozen=True)
class Item:
    name: str
    kind: str
    codes: frozenset[str] | None = None
    max_dp: int | None = None  # decimal places allowed (decimals)
    from_year: int | None = None  # first census year collecting it (None: every year)


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
    # Name assumed (module doc): full-time annual base salary in pounds, permanent staff.
    Item("BaseSalary", MONEY, max_dp=2, from_year=PAY_ITEMS_FROM),
)
ITEMS_BY_NAME: dict[str, Item] = {item.name: item for item in WORKER_ITEMS}
ITEM_NAMES: tuple[str, ...] = tuple(item.name for item in WORKER_ITEMS)


def collected(item: Item, year: int | None) -> bool:
    """Whether census ``year`` collects ``item`` (an unknown year: every item is allowed)."""
    return item.from_year is None or year is None or year >= item.from_year


def worker_item_names(year: int) -> tuple[str, ...]:
    """The worker items of census ``year``, in the XML's order."""
    return tuple(item.name for item in WORKER_ITEMS if collected(item, year))


#: Council-level pay incentive items (from 2025; names assumed, see the module doc):
#: whether the council offers each in the census year, 0 no / 1 yes.
COUNCIL_PAY_ITEMS: dict[str, str] = {
    "RecruitmentBonus": "recruitment bonuses (golden hellos)",
    "RetentionPayment": "retention payments",
    "RelocationPayment": "relocation payments",
    "PerformanceReward": "performance-related rewards",
    "CarAllowance": "a car allowance",
    "RegionalWeighting": "London or regional weighting",
    "RegistrationFeesPaid": "paying Social Work England registration or DBS fees",
}
#: The XML element holding them (name assumed).
COUNCIL_PAY_ELEMENT = "LALevelPay"


def council_pay_items(year: int | None) -> tuple[str, ...]:
    """The council-level pay items of census ``year`` (none before 2025)."""
    if year is None or year < PAY_ITEMS_FROM:
        return ()
    return tuple(COUNCIL_PAY_ITEMS)


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
