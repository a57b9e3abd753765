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

from openpyxl import Workbook
from openpyxl.styles import Font

from core.spreadsheets import safe_cell

from .builder import PackData


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Table"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" {n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def pack_xlsx(pack: PackData) -> bytes:
    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    for row in (
        ["Report", pack.title],
        ["Period from", pack.start],
        ["Period to", pack.end],
        ["Scope", pack.scope.label],
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
    return buffer.getvalue()
