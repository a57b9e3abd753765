"""The pack's tables as an Excel workbook (one sheet per table, numbers as numbers, dates
as dates) and as a zip of CSV files. A text cell starting with = + - @ (or a tab or
carriage return) is neutralised with a leading apostrophe (``core.spreadsheets.safe_cell``),
so no formula ever runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import safe_cell as _safe_cell
from workforce.disclosure import SYMBOL_KEY

from .builder import PackData, Withheld


def safe_cell(value):
    """``value`` as a cell (``core.spreadsheets.safe_cell``); a withheld figure as DfE's
    symbol ``c``; a Decimal as a number Excel reads."""
    if isinstance(value, Withheld):
        return value.symbol
    if isinstance(value, Decimal):
        return float(value)
    return _safe_cell(value)


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Table"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def _key_rows(pack: PackData) -> list[list[str]]:
    """The audience, and the key to the symbol ``c`` when figures may be withheld."""
    if not pack.suppressed:
        return [["Audience", "Not for publication: figures as they are"]]
    return [
        ["Audience", "For publication: small numbers hidden"],
        ["Key", SYMBOL_KEY.format(limit=pack.audience.limit)],
    ]


def pack_xlsx(pack: PackData) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    for row in (
        ["Report", pack.title],
        ["Period from", pack.start],
        ["Period to", pack.end],
        ["Scope", pack.scope.label],
        *_key_rows(pack),
    ):
        about.append([safe_cell(v) for v in row])
    used = {"about"}
    for table in pack.tables():
        sheet = workbook.create_sheet(_sheet_name(table.sheet or table.title, used))
        sheet.append([safe_cell(c) for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("'"):
                    cell.data_type = "s"
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pack_csv_zip(pack: PackData) -> bytes:
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in pack.tables():
            name = _sheet_name(table.sheet or table.title, used)
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([safe_cell(c) for c in table.columns])
            for row in table.rows:
                writer.writerow(
                    [v.isoformat() if isinstance(v, dt.date) else safe_cell(v) for v in row]
                )
            archive.writestr(f"{name.lower().replace(' ', '-')}.csv", text.getvalue())
        key = io.StringIO()
        csv.writer(key).writerows(_key_rows(pack))
        archive.writestr("about.csv", key.getvalue())
    return buffer.getvalue()
