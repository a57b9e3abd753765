"""Reading a census return file (XML as sent to DfE, CSV or XLSX) into raw records.

Nothing here judges values: every item is kept as the text found in the file, with the
place it came from ("record 3" in XML, "row 4" in a flat file), for ``validate`` to check.
A file that is not a census return at all raises ``NotACensusReturn`` with one message
for the user.

Files come from outside, so every read is bounded while it streams (``Limits``): the
number of rows or records, columns per row, characters per cell, and for XLSX the total
inflated size of the zip (checked before openpyxl opens it) and the cells actually present
(the sheet's declared ``<dimension>`` is ignored: it can claim a million rows). XML is read
with defusedxml's ``iterparse`` one worker record at a time. A file over a limit is refused
with one message naming the limit, never by running the server out of memory or time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from .items import COUNCIL_PAY_ELEMENT, COUNCIL_PAY_ITEMS, ITEM_NAMES, LA_FIGURES, REPEATABLE

XML_ROOT = "Message"


@dataclass(frozen=True)
class Limits:
    """The most a file may hold. A census return has a few thousand worker records; a
    caseload file one row per worker per week (100,000 rows is two years of a large council)."""

    rows: int = 50_000  # data rows (flat files) or worker records (XML)
    columns: int = 100  # columns of a row, items of an XML record
    cell_chars: int = 10_000  # characters of one value
    inflated_bytes: int = 50 * 1024 * 1024  # an XLSX's members, uncompressed, together
    zip_members: int = 1_000


CENSUS_LIMITS = Limits()


class NotACensusReturn(Exception):
    """The file is not a census return: one message says why."""


@dataclass
class RawRecord:
    """One worker record as found in the file."""

    where: str  # "record 3" or "row 4"
    items: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)  # flat-file columns that aren't items
    unknown_items: list[tuple[str, str]] = field(default_factory=list)  # XML non-items


@dataclass
class RawReturn:
    """A parsed return: the header values (text) and the worker records."""

    kind: str  # "xml", "csv" or "xlsx"
    header: dict[str, str | None]  # Collection, Year, ReferenceDate, LEA + the LA figures
    records: list[RawRecord]


@dataclass
class FlatFileDetails:
    """What a CSV or XLSX does not hold: given on the command line or in the upload form."""

    year: int | str | None = None
    lea: str | None = None
    vacancies_fte: Decimal | str | None = None
    agency_cover_fte: Decimal | str | None = None
    agency_cover_headcount: int | str | None = None
    #: The council-level pay items (2025 on), by item name: "0" or "1".
    pay_items: dict[str, str] = field(default_factory=dict)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def sniff_kind(data: bytes) -> str:
    """``xml``, ``xlsx`` or ``csv`` from the bytes themselves (never the file name)."""
    if not data or not data.strip():
        raise NotACensusReturn("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"\x00" in data[:4096]:
        raise NotACensusReturn(
            "The file is not a census return: it is a binary file, not XML, CSV or XLSX."
        )
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if start.startswith(b"<!doctype html") or start.startswith(b"<html"):
        raise NotACensusReturn("The file is a web page (HTML), not a census return.")
    if start.startswith(b"<"):
        return "xml"
    return "csv"


def parse_return(
    data: bytes, *, flat: FlatFileDetails | None = None, limits: Limits = CENSUS_LIMITS
) -> RawReturn:
    """Read ``data`` (the file's bytes) into a ``RawReturn``; flat files take their header
    from ``flat``."""
    kind = sniff_kind(data)
    if kind == "xml":
        return _parse_xml(data, limits)
    rows = _xlsx_rows(data, limits) if kind == "xlsx" else _csv_rows(data, limits)
    return _flat_return(kind, rows, flat or FlatFileDetails())


def _too_long(where: str, limits: Limits) -> NotACensusReturn:
    return NotACensusReturn(
        f"{where} holds a value longer than {limits.cell_chars:,} characters: "
        "no item of a return is that long."
    )


# --- XML ---------------------------------------------------------------------------------


def _parse_xml(data: bytes, limits: Limits = CENSUS_LIMITS) -> RawReturn:
    """Stream the XML: header values by their path, worker records one at a time (each
    cleared once read), so memory stays small whatever the file holds."""
    header_paths = {
        ("Message", "Header", "CollectionDetails", "Collection"): "Collection",
        ("Message", "Header", "CollectionDetails", "Year"): "Year",
        ("Message", "Header", "CollectionDetails", "ReferenceDate"): "ReferenceDate",
        ("Message", "Header", "Source", "LEA"): "LEA",
        **{("Message", "LALevelVacancies", name): name for name in LA_FIGURES},
        **{("Message", COUNCIL_PAY_ELEMENT, name): name for name in COUNCIL_PAY_ITEMS},
    }
    header: dict[str, str | None] = dict.fromkeys(
        ("Collection", "Year", "ReferenceDate", "LEA", *LA_FIGURES, *COUNCIL_PAY_ITEMS)
    )
    records: list[RawRecord] = []
    path: list[str] = []
    has_header = False
    root = None
    nested = 0  # elements inside the current top-level element (a record, the header)
    most_nested = limits.columns * 10
    try:
        for event, element in SafeET.iterparse(io.BytesIO(data), events=("start", "end")):
            if event == "start":
                path.append(element.tag)
                if len(path) == 1:
                    root = element
                    if element.tag != XML_ROOT or "}" in element.tag:
                        raise NotACensusReturn(
                            f"The XML's root element is <{element.tag}>; a census return's is "
                            f"<{XML_ROOT}> (with no namespace)."
                        )
                if len(path) == 2 and element.tag == "Header":
                    has_header = True
                if len(path) > 2:
                    nested += 1
                    if nested > most_nested:
                        raise NotACensusReturn(
                            f"<{path[1]}> number {len(records) + 1} holds more than "
                            f"{most_nested:,} elements: it is not part of a census return."
                        )
                continue
            key = tuple(path)
            path.pop()
            if key in header_paths and header[header_paths[key]] is None:
                header[header_paths[key]] = _bounded(_text(element.text), "The header", limits)
            if len(key) == 2:
                if element.tag == "CSWWWorker":
                    records.append(_xml_record(element, len(records) + 1, limits))
                    if len(records) > limits.rows:
                        raise NotACensusReturn(
                            f"The file holds more than {limits.rows:,} worker records: "
                            "that is more than any council's return."
                        )
                element.clear()
                root.clear()  # let go of what has been read, whatever the file holds
                nested = 0
    except DefusedXmlException:
        raise NotACensusReturn(
            "The file uses XML features that are not allowed (entities or a DTD)."
        ) from None
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        where = f" (line {line})" if line else ""
        raise NotACensusReturn(
            f"The file is not well-formed XML{where}, so it cannot be a census return."
        ) from None
    if not has_header:
        raise NotACensusReturn("The XML has no <Header>, so it is not a census return.")
    return RawReturn(kind="xml", header=header, records=records)


def _bounded(value: str, where: str, limits: Limits) -> str:
    if len(value) > limits.cell_chars:
        raise _too_long(where, limits)
    return value


def _xml_record(element, number: int, limits: Limits) -> RawRecord:
    record = RawRecord(where=f"record {number}")
    children = list(element)
    if len(children) > limits.columns:
        raise NotACensusReturn(
            f"Worker record {number} has {len(children):,} items: a record has at most "
            f"{limits.columns}."
        )
    for child in children:
        name = child.tag
        value = _bounded(_text(child.text), f"Worker record {number}", limits)
        if name not in ITEM_NAMES:
            record.unknown_items.append((name, value))
        elif name in REPEATABLE and name in record.items:
            record.items[name] = f"{record.items[name]}; {value}"
        else:
            record.items[name] = value
    return record


# --- CSV and XLSX ------------------------------------------------------------------------


def _csv_rows(data: bytes, limits: Limits = CENSUS_LIMITS) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotACensusReturn(
            "The file is not UTF-8 text: save the spreadsheet as CSV UTF-8 "
            "(or upload the XLSX) and try again."
        ) from None
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text)):
            _check_row(row, len(rows) + 1, limits)
            rows.append(row)
    except csv.Error as exc:
        raise NotACensusReturn(f"The file cannot be read as CSV: {exc}.") from None
    return rows


def _check_row(row: list, number: int, limits: Limits) -> None:
    """Refuse the file at the first row past a limit (``number`` counts the header)."""
    if number > limits.rows + 1:
        raise NotACensusReturn(
            f"The file has more than {limits.rows:,} rows: split it into smaller files."
        )
    if len(row) > limits.columns:
        raise NotACensusReturn(
            f"Row {number} has {len(row):,} columns: the most a row may have is {limits.columns}."
        )
    for value in row:
        if isinstance(value, str) and len(value) > limits.cell_chars:
            raise _too_long(f"Row {number}", limits)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def _check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose members would inflate past the limit, before anything unzips it.
    (Python's zipfile never inflates a member past its declared size, so the declared sizes
    bound what openpyxl can read.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise NotACensusReturn(
            "The file is a zip archive but not an Excel workbook (XLSX)."
        ) from exc
    if len(members) > limits.zip_members:
        raise NotACensusReturn(
            f"The workbook holds {len(members):,} parts: a census or caseload workbook "
            f"has far fewer (at most {limits.zip_members:,})."
        )
    inflated = sum(member.file_size for member in members)
    if inflated > limits.inflated_bytes:
        raise NotACensusReturn(
            f"The workbook unpacks to {inflated // (1024 * 1024):,} MB: the most is "
            f"{limits.inflated_bytes // (1024 * 1024):,} MB. Save only the return's rows "
            "(or upload CSV)."
        )


def _xlsx_rows(data: bytes, limits: Limits = CENSUS_LIMITS) -> list[list[str]]:
    from openpyxl import load_workbook

    _check_zip(data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises its own types (and KeyError...) for foreign zips
        raise NotACensusReturn(
            "The file is a zip archive but not an Excel workbook (XLSX)."
        ) from exc
    rows: list[list[str]] = []
    try:
        if not workbook.worksheets:
            raise NotACensusReturn("The workbook has no worksheet.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust <dimension>: read the cells that are there
        for row in sheet.iter_rows(values_only=True):
            _check_row(row, len(rows) + 1, limits)
            rows.append([_cell(v) for v in row])
    except NotACensusReturn:
        raise
    except Exception as exc:  # a malformed sheet: openpyxl's errors are of many types
        raise NotACensusReturn(
            f"The workbook cannot be read (row {len(rows) + 1} of the first sheet is "
            "malformed): save it again from Excel, or upload CSV."
        ) from exc
    finally:
        workbook.close()
    return rows


def _flat_return(kind: str, rows: list[list[str]], flat: FlatFileDetails) -> RawReturn:
    rows = list(rows)
    header_row = [h.strip() for h in rows[0]] if rows else []
    if "SWENo" not in header_row or "AgencyWorker" not in header_row:
        raise NotACensusReturn(
            "The first row does not name the census items (it needs at least the "
            "AgencyWorker and SWENo columns), so this is not a census return."
        )
    records = []
    for index, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue  # blank line
        record = RawRecord(where=f"row {index}")
        for column, value in zip(header_row, row, strict=False):
            if not column:
                continue
            if column in ITEM_NAMES:
                record.items[column] = _text(value)
            else:
                record.extras[column] = _text(value)
        records.append(record)
    year = _text(flat.year) or None
    header: dict[str, str | None] = {
        "Collection": "CSWW",
        "Year": year,
        "ReferenceDate": f"{year}-09-30" if year and year.isdigit() else None,
        "LEA": _text(flat.lea) or None,
        "NumberOfVacancies": _text(flat.vacancies_fte) or None,
        "NoAgencyFTE": _text(flat.agency_cover_fte) or None,
        "NoAgencyHeadcount": _text(flat.agency_cover_headcount) or None,
        **{name: _text(flat.pay_items.get(name)) or None for name in COUNCIL_PAY_ITEMS},
    }
    return RawReturn(kind=kind, header=header, records=records)
