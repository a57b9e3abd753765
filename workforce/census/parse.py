"""Reading a census return file (XML as sent to DfE, CSV or XLSX) into raw records.

Nothing here judges values: every item is kept as the text found in the file, with the
place it came from ("record 3" in XML, "row 4" in a flat file), for ``validate`` to check.
A file that is not a census return at all raises ``NotACensusReturn`` with one message
for the user.
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

from .items import ITEM_NAMES, LA_FIGURES, REPEATABLE

XML_ROOT = "Message"


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


def parse_return(data: bytes, *, flat: FlatFileDetails | None = None) -> RawReturn:
    """Read ``data`` (the file's bytes) into a ``RawReturn``; flat files take their header
    from ``flat``."""
    kind = sniff_kind(data)
    if kind == "xml":
        return _parse_xml(data)
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    return _flat_return(kind, rows, flat or FlatFileDetails())


# --- XML ---------------------------------------------------------------------------------


def _parse_xml(data: bytes) -> RawReturn:
    try:
        root = SafeET.fromstring(data)
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
    tag = root.tag.split("}")[-1]
    if tag != XML_ROOT or "}" in root.tag:
        raise NotACensusReturn(
            f"The XML's root element is <{root.tag}>; a census return's is <{XML_ROOT}> "
            "(with no namespace)."
        )
    header: dict[str, str | None] = {
        "Collection": _xml_text(root, "Header/CollectionDetails/Collection"),
        "Year": _xml_text(root, "Header/CollectionDetails/Year"),
        "ReferenceDate": _xml_text(root, "Header/CollectionDetails/ReferenceDate"),
        "LEA": _xml_text(root, "Header/Source/LEA"),
    }
    for name in LA_FIGURES:
        header[name] = _xml_text(root, f"LALevelVacancies/{name}")
    if root.find("Header") is None:
        raise NotACensusReturn("The XML has no <Header>, so it is not a census return.")
    records = []
    for number, element in enumerate(root.findall("CSWWWorker"), start=1):
        record = RawRecord(where=f"record {number}")
        for child in element:
            name = child.tag
            value = _text(child.text)
            if name not in ITEM_NAMES:
                record.unknown_items.append((name, value))
            elif name in REPEATABLE and name in record.items:
                record.items[name] = f"{record.items[name]}; {value}"
            else:
                record.items[name] = value
        records.append(record)
    return RawReturn(kind="xml", header=header, records=records)


def _xml_text(root, path: str) -> str | None:
    element = root.find(path)
    return None if element is None else _text(element.text)


# --- CSV and XLSX ------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotACensusReturn(
            "The file is not UTF-8 text: save the spreadsheet as CSV UTF-8 "
            "(or upload the XLSX) and try again."
        ) from None
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise NotACensusReturn(f"The file cannot be read as CSV: {exc}.") from None


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


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise NotACensusReturn(
            "The file is a zip archive but not an Excel workbook (XLSX)."
        ) from exc
    except Exception as exc:  # openpyxl raises its own types for foreign zips
        raise NotACensusReturn(
            "The file is a zip archive but not an Excel workbook (XLSX)."
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except IndexError:
        raise NotACensusReturn("The workbook has no worksheet.") from None
    finally:
        workbook.close()


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
    }
    return RawReturn(kind=kind, header=header, records=records)
