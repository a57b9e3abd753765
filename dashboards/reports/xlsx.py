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

from .builder import Num, PackData, Withheld


def safe_cell(value):
    """``value`` as a cell (``core.spreadsheets.safe_cell``); a withheld figure as DfE's
    symbol ``c``; a figure as a number Excel reads, rounded as the paper shows it (a
    percentage as a fraction, formatted as a percentage)."""
    if isinstance(value, Withheld):
        return value.symbol
    if isinstance(value, Num):
        return float(value.value / 100) if value.unit == "%" else float(value.value)
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.1")))
    return _safe_cell(value)


def number_format(value) -> str | None:
    """The Excel number format a cell of ``value`` shows as in the paper."""
    if isinstance(value, Num):
        if value.unit == "%":
            return "0.0%" if value.decimals else "0%"
        if value.unit == "money":
            return "£#,##0" if value.decimals == 0 else "£#,##0.00"
        return "#,##0" if value.decimals == 0 else "#,##0." + "0" * value.decimals
    if isinstance(value, Decimal):
        return "#,##0.0"
    if isinstance(value, int) and not isinstance(value, bool):
        return "#,##0"
    if isinstance(value, dt.date):
        return "dd/mm/yyyy"
    return None


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
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if isinstance(cell.value, str) and cell.value.startswith("'"):
                    cell.data_type = "s"
                if number_format(value):
                    cell.number_format = number_format(value)
        sheet.append([])
        sheet.append([safe_cell(f"Notes: {table.title}. {table.notes}".strip())])
        sheet.cell(sheet.max_row, 1).font = Font(italic=True)
        for index, column in enumerate(table.columns, start=1):
            width = max([len(str(column)), *(len(str(r[index - 1])) for r in table.rows)])
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(
                max(width + 2, 10), 60
            )
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
                    [
                        v.isoformat()
                        if isinstance(v, dt.date)
                        else str(v.value)
                        if isinstance(v, Num)
                        else safe_cell(v)
                        for v in row
                    ]
                )
            archive.writestr(f"{name.lower().replace(' ', '-')}.csv", text.getvalue())
        key = io.StringIO()
        csv.writer(key).writerows(_key_rows(pack))
        archive.writestr("about.csv", key.getvalue())
    return buffer.getvalue()
