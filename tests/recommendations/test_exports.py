"""The tracker exported as DOCX and XLSX, opened and read back."""

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from core.spreadsheets import safe_cell
from recommendations import exports, selectors
from recommendations.choices import Rag

from .factories import ExecutiveResponseFactory, ProgressUpdateFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2023, 6, 1)


@pytest.fixture
def rows():
    rec = ExecutiveResponseFactory(
        recommendation__number="5.2",
        recommendation__review__committee__council="Tameside",
        action_by="February 2023",
        action_by_date=dt.date(2023, 2, 28),
        officer_responsible="Tony DeCrop / Tracy Brennand",
    ).recommendation
    ProgressUpdateFactory(
        recommendation=rec, update_date=dt.date(2023, 5, 2), rag=Rag.AMBER,
        text="@SUM(1+1) onboarding reviewed",
    )  # fmt: skip
    RecommendationFactory(number="9", text='=HYPERLINK("http://evil","click")')
    return selectors.tracker_rows(queryset=selectors.recommendations_tracked(), as_of=AS_OF)


def test_docx_has_a_heading_and_a_real_table_in_the_tameside_layout(rows):
    document = Document(io.BytesIO(exports.tracker_docx(rows=rows, title="Tracker", as_of=AS_OF)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Tracker"
    assert any(h.startswith("Tameside: ") for h in headings)
    assert len(document.tables) == 2  # one per review
    for table in document.tables:
        assert [c.text for c in table.rows[0].cells] == exports.COLUMNS
    table = next(t for t in document.tables if t.rows[1].cells[0].text.startswith("5.2. "))
    cells = [c.text for c in table.rows[1].cells]
    assert cells[1] == "Accepted"
    assert cells[3] == "Tony DeCrop / Tracy Brennand"
    assert cells[4] == "February 2023 (overdue)"
    assert cells[5].startswith("2 May 2023 (In progress)")
    assert cells[6] == "Amber"


def test_xlsx_dates_are_dates_and_formulas_are_neutralised(rows):
    book = load_workbook(io.BytesIO(exports.tracker_xlsx(rows=rows, title="Tracker", as_of=AS_OF)))
    sheet = book["Tracker"]
    header = [c.value for c in sheet[4]]
    assert header[:3] == ["Council", "Review", "Number"]
    assert header[3:10] == exports.COLUMNS
    data = {row[2].value: row for row in sheet.iter_rows(min_row=5)}
    tameside = data["5.2"]
    assert tameside[header.index("Action by date")].value == dt.datetime(2023, 2, 28)
    assert tameside[header.index("Latest update date")].value == dt.datetime(2023, 5, 2)
    assert tameside[header.index("Overdue")].value is True
    latest = tameside[header.index("Latest update")]
    assert latest.value == "'@SUM(1+1) onboarding reviewed" and latest.data_type == "s"
    evil = data["9"][header.index("Recommendation")]
    assert evil.value.startswith("'=HYPERLINK") and evil.data_type == "s"
    assert sheet["B2"].value == dt.datetime(2023, 6, 1)


def test_the_tracker_uses_the_one_spreadsheet_safe_cell():
    assert exports.safe_cell is safe_cell
