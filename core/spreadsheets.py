"""The one spreadsheet-safe cell: every CSV and XLSX the app writes passes its cells
through ``safe_cell`` (OWASP "CSV injection").

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
run as a formula by Excel or LibreOffice (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), so
it gets a leading apostrophe and is read as text. Numbers, dates and empty cells are kept
as they are, so a negative number stays a number.

The census CSV is the one exception: DfE's format cannot carry the apostrophe, so census
items refuse such values when they are entered instead (``workforce/census``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

#: What a formula can start with.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a cell no spreadsheet runs: numbers (``int``, ``float``, ``Decimal``),
    dates, booleans and ``None`` unchanged; any other value as text, with a leading ``'``
    when it starts like a formula."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_row(values) -> list:
    """A row of ``safe_cell`` values."""
    return [safe_cell(value) for value in values]
