"""The census return's rules (csww.md): raw records in, typed records and problems out.

Every broken rule is one ``Problem`` naming where (``record 3``, ``row 4`` or ``header``),
the item and the value, so a user sees every problem at once. Warnings do not stop an
import; errors do.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.spreadsheets import FORMULA_START

from .items import (
    CODE,
    COLLECTION,
    COUNCIL_PAY_ITEMS,
    DATE,
    DECIMAL,
    EMPLOYED_REQUIRED,
    FLAG,
    INTEGER,
    ITEMS_BY_NAME,
    MONEY,
    PAY_ITEMS_FROM,
    SWENO,
    TEXT,
    census_year_start,
    collected,
    council_pay_items,
    reference_date_for,
)
from .parse import RawRecord, RawReturn

SWENO_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{1,12}$")
ERROR, WARNING = "error", "warning"

#: A number as a return writes it: ASCII digits, an optional point, no exponent.
NUMBER_PATTERN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Digits allowed either side of the point: checked on the text, before ``Decimal`` sees
#: it, so no value (``1E+10000000``, 5,000 digits) can make the arithmetic slow.
MAX_WHOLE_DIGITS = 9
MAX_FRACTION_DIGITS = 9
#: The earliest date any census item may hold (birth dates included).
EARLIEST_DATE = dt.date(1900, 1, 1)
#: Largest values of the numeric items (DfE gives none; these are far past any real one).
MAX_VALUES = {
    "Cases30": Decimal(999),
    "WorkingDaysLost": Decimal(366),
    "ContractWeeks": Decimal(53),
    "NumberOfVacancies": Decimal(100_000),
    "NoAgencyFTE": Decimal(100_000),
    "NoAgencyHeadcount": Decimal(100_000),
}
#: A base salary (full-time, pounds a year) outside this range is a mistake: below the
#: lowest NJC spinal point's full-time salary of recent years, or above a director's pay.
#: Our bounds, not DfE's (its 2025 guide was not available to us).
SALARY_RANGE = (Decimal(10_000), Decimal(250_000))
#: A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = FORMULA_START  # the same characters the spreadsheet-safe cell guards
FORMULA_MESSAGE = (
    "Cannot start with = + - or @: a spreadsheet opening the return would run it as a "
    "formula, and DfE's format does not allow the usual guard (a leading apostrophe). "
    "Remove or reword the first character."
)


def formula_problem(text: str) -> str | None:
    """Why ``text`` cannot be a census text item (it would be a spreadsheet formula), or None.
    Used by the import, the export and the person form fields that feed census items."""
    if text and text.startswith(FORMULA_STARTS):
        return FORMULA_MESSAGE
    return None


def census_text_validator(value: str) -> None:
    """A Django validator for fields that become census text items."""
    from django.core.exceptions import ValidationError

    message = formula_problem(value or "")
    if message:
        raise ValidationError(message, code="formula")


@dataclass(frozen=True)
class Problem:
    where: str
    item: str
    value: str
    message: str
    severity: str = ERROR
    swe: str = ""  # the worker's SWE number, when the record has a valid one

    def __str__(self) -> str:
        shown = (
            self.value
            if len(self.value) <= 60
            else f"{self.value[:50]}... ({len(self.value):,} characters)"
        )
        value = f" = {shown!r}" if self.value != "" else ""
        return f"{self.where}, {self.item}{value}: {self.message}"


@dataclass
class CleanRecord:
    """One worker record with typed values (``None`` where empty)."""

    where: str
    swe_number: str
    agency: bool
    values: dict  # item name -> typed value (date, Decimal, int, str, bool)
    items: dict[str, str]  # the non-empty item texts, as found (normalised SWENo)
    extras: dict[str, str] = field(default_factory=dict)

    def get(self, name: str):
        return self.values.get(name)

    @property
    def start_date(self) -> dt.date:
        return self.values["RoleStartDate"]

    @property
    def end_date(self) -> dt.date | None:
        return self.values.get("RoleEndDate")

    @property
    def key(self) -> tuple[str, dt.date]:
        return (self.swe_number, self.start_date)


@dataclass
class CleanReturn:
    kind: str
    year: int | None
    reference_date: dt.date | None
    lea: str | None
    vacancies_fte: Decimal | None
    agency_cover_fte: Decimal | None
    agency_cover_headcount: int | None
    records: list[CleanRecord]
    problems: list[Problem]
    #: The council-level pay items given (2025 on): item name -> offered (True/False).
    pay_items: dict[str, bool] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def number_or_message(text: str) -> Decimal | str:
    """The number written in ``text``, or the message saying why it is not one. The text is
    checked first (ASCII digits 0-9, no exponent, a bounded number of digits), so only a
    small, plain number ever reaches ``Decimal``."""
    text = text.strip()
    if not text.isascii():
        return "Write numbers with the digits 0 to 9 only."
    if not NUMBER_PATTERN.fullmatch(text):
        if re.fullmatch(r"-?[0-9.]+[eE][-+]?[0-9]+", text):
            return "Not a number as the return writes one: write it in full, with no exponent."
        return "Not a number."
    whole, _, fraction = text.lstrip("-").partition(".")
    if len(whole.lstrip("0")) > MAX_WHOLE_DIGITS:
        return "Far too large a number: no census figure is that big."
    if len(fraction) > MAX_FRACTION_DIGITS:
        return f"Too many decimal places (at most {MAX_FRACTION_DIGITS})."
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):  # pragma: no cover - the pattern rules it out
        return "Not a number."


def _decimal(text: str) -> Decimal | None:
    value = number_or_message(text)
    return value if isinstance(value, Decimal) else None


def _date(text: str) -> dt.date | None:
    if not DATE_PATTERN.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _decimal_places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _typed(record: RawRecord, name: str, text: str, problems: list[Problem]):
    """The typed value of item ``name``, or None with a problem added."""
    item = ITEMS_BY_NAME[name]

    def bad(message: str) -> None:
        problems.append(Problem(record.where, name, text, message))

    if item.kind == SWENO:
        value = "".join(text.split()).upper()
        if not SWENO_PATTERN.match(value):
            bad("A Social Work England number is two letters then digits, e.g. SW1234567890.")
            return None
        return value
    if item.kind == TEXT:
        message = formula_problem(text)
        if message:
            bad(message)
            return None
        return text
    if item.kind == FLAG:
        if text not in {"0", "1"}:
            bad("Must be 0 (no) or 1 (yes).")
            return None
        return text == "1"
    if item.kind == CODE:
        digits = text.isascii() and text.isdigit()
        code = str(int(text)) if digits and len(text) <= 4 else text.upper()
        if code not in item.codes:
            allowed = ", ".join(sorted(item.codes, key=lambda c: (len(c), c)))
            bad(f"Unknown code; the codes are {allowed}.")
            return None
        return int(code) if code.isdigit() else code
    if item.kind == DATE:
        value = _date(text)
        if value is None:
            bad("Not a date: write dates as YYYY-MM-DD, e.g. 2023-09-30.")
        elif value < EARLIEST_DATE:
            bad(f"Too early: no census date is before {EARLIEST_DATE:%-d %B %Y}.")
            return None
        return value
    if item.kind in (DECIMAL, INTEGER, MONEY):
        value = number_or_message(text)
        if isinstance(value, str):
            bad(value)
            return None
        top = MAX_VALUES.get(name)
        if top is not None and value > top:
            bad(f"Too large: at most {top}.")
            return None
    if item.kind == DECIMAL:
        if item.max_dp is not None and _decimal_places(value) > item.max_dp:
            bad(f"At most {item.max_dp} decimal places.")
            return None
        if value < 0:
            bad("Cannot be negative.")
            return None
        return value
    if item.kind == MONEY:
        low, high = SALARY_RANGE
        if _decimal_places(value) > (item.max_dp or 2):
            bad("Pounds and pence: at most 2 decimal places.")
            return None
        if not (low <= value <= high):
            bad(
                f"Not a full-time annual salary: give pounds a year between £{low:,.0f} and "
                f"£{high:,.0f} (for a part-time worker, the full-time salary of their point)."
            )
            return None
        return value
    if item.kind == INTEGER:
        if value != value.to_integral_value():
            bad("Must be a whole number.")
            return None
        if value < 0:
            bad("Cannot be negative.")
            return None
        return int(value)
    return text


def _header(raw: RawReturn, problems: list[Problem]):
    header = raw.header

    def bad(item: str, message: str) -> None:
        problems.append(Problem("header", item, header.get(item) or "", message))

    flat = raw.kind != "xml"
    if (header.get("Collection") or "") != COLLECTION:
        bad("Collection", f"The collection must be {COLLECTION}.")
    year = None
    year_text = header.get("Year") or ""
    if not year_text:
        bad("Year", "The census year is missing" + (" (give the year)." if flat else "."))
    elif not (re.fullmatch(r"[0-9]{4}", year_text) and 2000 <= int(year_text) <= 2100):
        bad("Year", "Not a census year (e.g. 2023).")
    else:
        year = int(year_text)
    reference_date = None
    ref_text = header.get("ReferenceDate") or ""
    if year is not None:
        reference_date = _date(ref_text)
        if reference_date != reference_date_for(year):
            bad("ReferenceDate", f"The reference date of the {year} census is {year}-09-30.")
            reference_date = reference_date_for(year)
    lea = (header.get("LEA") or "").strip()
    if not re.fullmatch(r"[0-9]{3}", lea):
        bad("LEA", "The council's LEA code is 3 digits, e.g. 886." if lea else "LEA is missing.")
        lea = None
    figures: dict = {}
    for item in ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"):
        text = header.get(item) or ""
        figures[item] = None
        if not text:
            problems.append(
                Problem(
                    "header",
                    item,
                    "",
                    "Not given: the figure already held for this year, if any, is kept.",
                    WARNING,
                )
            )
            continue
        value = number_or_message(text)
        if isinstance(value, str):
            bad(item, value)
        elif value < 0:
            bad(item, "Must be a number, 0 or more.")
        elif value > MAX_VALUES[item]:
            bad(item, f"Too large: at most {MAX_VALUES[item]}.")
        elif item == "NoAgencyHeadcount" and value != value.to_integral_value():
            bad(item, "Must be a whole number.")
        elif item != "NoAgencyHeadcount" and _decimal_places(value) > 2:
            bad(item, "At most 2 decimal places.")
        else:
            figures[item] = int(value) if item == "NoAgencyHeadcount" else value
    figures["pay_items"] = _council_pay_items(header, year, problems)
    return year, reference_date, lea, figures


def _council_pay_items(header: dict, year: int | None, problems: list[Problem]) -> dict:
    """The council-level pay items (2025 on): each 0 or 1; not given is a warning (DfE
    requires them); given for an earlier year, an error."""
    wanted = council_pay_items(year)
    found: dict[str, bool] = {}
    for name in COUNCIL_PAY_ITEMS:
        text = (header.get(name) or "").strip()
        if name not in wanted:
            if text and year is not None:
                problems.append(
                    Problem(
                        "header",
                        name,
                        text,
                        f"Not an item of the {year} census: DfE collects the pay items from "
                        f"the year ending 30 September {PAY_ITEMS_FROM}.",
                    )
                )
            continue
        if not text:
            problems.append(
                Problem(
                    "header",
                    name,
                    "",
                    f"Not given: from {PAY_ITEMS_FROM} DfE asks whether the council offers "
                    f"{COUNCIL_PAY_ITEMS[name]} (0 no, 1 yes).",
                    WARNING,
                )
            )
        elif text not in {"0", "1"}:
            problems.append(Problem("header", name, text, "Must be 0 (no) or 1 (yes)."))
        else:
            found[name] = text == "1"
    return found


def _record(raw: RawRecord, year: int | None, ref: dt.date | None, problems: list[Problem]):
    first = len(problems)
    record = _record_checked(raw, year, ref, problems)
    swe = "".join(raw.items.get("SWENo", "").split()).upper()
    if SWENO_PATTERN.match(swe):  # name the worker in each of the record's problems
        problems[first:] = [dataclasses.replace(p, swe=swe) for p in problems[first:]]
    return record


def _record_checked(raw: RawRecord, year: int | None, ref: dt.date | None, problems: list[Problem]):
    where = raw.where
    for name, text in raw.unknown_items:
        problems.append(Problem(where, name, text, "Not a census item."))
    values: dict = {}
    items: dict[str, str] = {}
    for name, text in raw.items.items():
        if text == "":
            continue
        if not collected(ITEMS_BY_NAME[name], year):
            problems.append(
                Problem(
                    where,
                    name,
                    text,
                    f"Not an item of the {year} census: DfE collects it from the year ending "
                    f"30 September {ITEMS_BY_NAME[name].from_year}.",
                )
            )
            continue
        value = _typed(raw, name, text, problems)
        if value is not None:
            values[name] = value
            items[name] = value if name == "SWENo" else text

    def need(name: str, why: str) -> None:
        if name not in values and raw.items.get(name, "") == "":
            problems.append(Problem(where, name, "", f"Missing: {why}."))

    need("AgencyWorker", "every worker needs AgencyWorker (0 or 1)")
    need("SWENo", "every worker needs their Social Work England number")
    need("RoleStartDate", "every worker needs their role start date")
    agency = values.get("AgencyWorker")
    if agency is False:
        for name in EMPLOYED_REQUIRED:
            need(name, "an employed worker (AgencyWorker 0) needs it")
    start, end = values.get("RoleStartDate"), values.get("RoleEndDate")
    fte, fte30 = values.get("FTE"), values.get("FTE30")
    if start and end and end < start:
        problems.append(
            Problem(where, "RoleEndDate", str(end), f"Before the role start date ({start}).")
        )
    if ref is not None:
        for name in ("RoleStartDate", "RoleEndDate", "PersonBirthDate"):
            value = values.get(name)
            if value and value > ref:
                problems.append(
                    Problem(where, name, str(value), f"After the reference date ({ref}).")
                )
    year_start = census_year_start(year) if year else None
    is_leaver = end is not None
    if is_leaver and year_start and end < year_start:
        problems.append(
            Problem(
                where,
                "RoleEndDate",
                str(end),
                f"Left before the census year began ({year_start}): not part of this return.",
            )
        )
    if start and year_start and year_start <= start and agency is False:
        need("StartOrigin", "a starter in the year needs it")
    if is_leaver:
        if agency is False:
            need("ReasonLeave", "a leaver needs it")
            need("LeaverDestination", "a leaver needs it")
        need("FTE", "a leaver needs their FTE at leaving")
        if fte30 is not None and fte30 != 0:
            problems.append(Problem(where, "FTE30", str(fte30), "A leaver's FTE30 must be 0."))
    else:
        need("FTE30", "a worker in post needs their FTE on the reference date")
        for name in ("ReasonLeave", "LeaverDestination"):
            if name in values:
                problems.append(
                    Problem(where, name, items[name], "Only a leaver (with a RoleEndDate) has it.")
                )
        if fte30 is not None and not (0 < fte30 <= 1):
            problems.append(
                Problem(where, "FTE30", str(fte30), "Must be more than 0 and no more than 1.")
            )
    if fte is not None and not (0 < fte <= 1):
        problems.append(Problem(where, "FTE", str(fte), "Must be more than 0 and no more than 1."))
    if agency is True and "BaseSalary" in values:
        problems.append(
            Problem(
                where,
                "BaseSalary",
                items["BaseSalary"],
                "Only a permanent (employed) worker has a base salary in the return; an "
                "agency worker is paid by their agency.",
            )
        )
    if (
        agency is False
        and not is_leaver
        and year is not None
        and collected(ITEMS_BY_NAME["BaseSalary"], year)
        and "BaseSalary" not in values
        and raw.items.get("BaseSalary", "") == ""
    ):
        problems.append(
            Problem(
                where,
                "BaseSalary",
                "",
                f"Missing: from {PAY_ITEMS_FROM} DfE requires the base salary of every "
                "permanent worker in post on the reference date.",
                WARNING,
            )
        )
    if agency is True and values.get("CFKSSstatus") == 1:
        problems.append(
            Problem(where, "CFKSSstatus", "1", "ASYEs are employed: an agency worker cannot be.")
        )
    if is_leaver and values.get("Cases30"):
        problems.append(
            Problem(
                where,
                "Cases30",
                items["Cases30"],
                "A leaver holds no cases on the reference date; the figure is ignored.",
                WARNING,
            )
        )
    if "ReasonAbsence" in values and values.get("Absat30Sept") is not True:
        problems.append(
            Problem(
                where,
                "ReasonAbsence",
                items["ReasonAbsence"],
                "Only a worker absent on the reference date (Absat30Sept 1) has a reason.",
            )
        )
    swe = values.get("SWENo")
    if swe is None or agency is None or start is None:
        return None
    return CleanRecord(
        where=where,
        swe_number=swe,
        agency=agency,
        values=values,
        items=items,
        extras={k: v for k, v in raw.extras.items() if v != ""},
    )


def validate_return(raw: RawReturn) -> CleanReturn:
    """Check every rule of csww.md on ``raw``; all problems are reported together."""
    problems: list[Problem] = []
    year, reference_date, lea, figures = _header(raw, problems)
    if not raw.records:
        problems.append(Problem("file", "CSWWWorker", "", "The return has no worker records."))
    records: list[CleanRecord] = []
    seen: dict[tuple[str, dt.date], str] = {}
    for raw_record in raw.records:
        record = _record(raw_record, year, reference_date, problems)
        if record is None:
            continue
        if record.key in seen:
            problems.append(
                Problem(
                    record.where,
                    "SWENo",
                    record.swe_number,
                    f"Also in {seen[record.key]} with the same RoleStartDate: a worker appears "
                    "once per role.",
                )
            )
            continue
        seen[record.key] = record.where
        records.append(record)
    return CleanReturn(
        kind=raw.kind,
        year=year,
        reference_date=reference_date,
        lea=lea,
        vacancies_fte=figures["NumberOfVacancies"],
        agency_cover_fte=figures["NoAgencyFTE"],
        agency_cover_headcount=figures["NoAgencyHeadcount"],
        records=records,
        problems=problems,
        pay_items=figures["pay_items"],
    )
