"""The one spreadsheet-safe cell, and that every CSV/XLSX writer uses it."""

import datetime as dt
import pathlib
import re
from decimal import Decimal

import pytest

from core.spreadsheets import safe_cell, safe_row

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+44 161", "-1 agency workers", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


def test_plain_text_numbers_dates_and_empty_cells_are_kept():
    assert safe_cell("Quarterly review") == "Quarterly review"
    assert safe_cell("") == ""
    assert safe_cell(None) is None
    assert safe_cell(-3) == -3
    assert safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert safe_cell(2.5) == 2.5
    assert safe_cell(True) is True
    assert safe_cell(dt.date(2026, 1, 2)) == dt.date(2026, 1, 2)
    assert safe_row(["=x", 1, "a"]) == ["'=x", 1, "a"]


def test_no_other_copy_of_the_formula_check_exists():
    """Every writer imports ``core.spreadsheets``; the census CSV alone refuses such
    values at input instead (DfE's format cannot carry the apostrophe)."""
    copies = []
    apps = ("core", "config", "workforce", "recruitment", "exits", "recommendations", "dashboards")
    for path in (p for app in apps for p in (ROOT / app).rglob("*.py")):
        if path.parts[-2:] == ("core", "spreadsheets.py"):
            continue
        if re.search(r"""\(\s*["']=["']\s*,\s*["']\+["']""", path.read_text()):
            copies.append(str(path.relative_to(ROOT)))
    assert copies == []
    for writer in (
        "dashboards/views/chart_data.py",
        "dashboards/reports/xlsx.py",
        "recommendations/exports.py",
    ):
        assert "from core.spreadsheets import safe_cell" in (ROOT / writer).read_text()
