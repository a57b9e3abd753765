"""The tracker as Word (DOCX) and Excel (XLSX) files, in the Tameside layout:
recommendation, accepted/rejected, executive response, officer responsible, action by,
latest update, RAG. The committee report pack reuses these functions: pass it the rows of
``selectors.tracker_rows`` (filtered with ``RecommendationFilterSet``).

Spreadsheet safety: a text cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return) would be run as a formula by Excel, so it is written with a leading
apostrophe and stored as text (``core.spreadsheets.safe_cell``). Dates are real dates
and numbers are numbers.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from core.spreadsheets import safe_cell

from .selectors import TrackerRow

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The tracker's columns, as headed in the Tameside executive response.
COLUMNS = [
    "Recommendation",
    "Accepted/ Rejected",
    "Executive Response",
    "Officer Responsible",
    "Action By (Date)",
    "Latest update",
    "RAG",
]


def _latest(row: TrackerRow) -> str:
    if row.latest_update_date is None:
        return row.status
    return f"{row.latest_update_date:%-d %B %Y} ({row.status}): {row.latest_update}"


def _recommendation(row: TrackerRow) -> str:
    return f"{row.number}. {row.text}"


def _groups(rows: Sequence[TrackerRow]) -> list[tuple[str, list[TrackerRow]]]:
    groups: dict[str, list[TrackerRow]] = {}
    for row in rows:
        groups.setdefault(f"{row.council}: {row.review}", []).append(row)
    return list(groups.items())


def tracker_docx(*, rows: Sequence[TrackerRow], title: str, as_of: dt.date) -> bytes:
    """A Word document: a heading, then per review a heading and a real table."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(title, level=1)
    document.add_paragraph(
        f"As of {as_of:%-d %B %Y}: {len(rows)} recommendation{'s' if len(rows) != 1 else ''}. "
        "Overdue means the action-by date or a monitoring update is before this date."
    )
    if not rows:
        document.add_paragraph("No recommendations match the filters.")
    for heading, group in _groups(rows):
        document.add_heading(heading, level=2)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.text = name
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in group:
            action_by = row.action_by + (" (overdue)" if row.overdue else "")
            values = [
                _recommendation(row),
                row.decision,
                row.response_text,
                row.officer_responsible,
                action_by,
                _latest(row),
                row.rag,
            ]
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def tracker_xlsx(*, rows: Sequence[TrackerRow], title: str, as_of: dt.date) -> bytes:
    """An Excel workbook: one sheet, a header row, one row per recommendation, with the
    council, review and number in their own columns so it can be sorted and filtered."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    headers = [
        "Council",
        "Review",
        "Number",
        *COLUMNS,
        "Action by date",
        "Latest update date",
        "Status",
        "Overdue",
    ]
    sheet.append([safe_cell(title)])
    sheet.append(["As of", as_of])
    sheet["B2"].number_format = "dd/mm/yyyy"
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in rows:
        values = [
            row.council,
            row.review,
            row.number,
            row.text,
            row.decision,
            row.response_text,
            row.officer_responsible,
            row.action_by,
            row.latest_update,
            row.rag,
        ]
        sheet.append(
            [
                *(safe_cell(v) for v in values),
                row.action_by_date,
                row.latest_update_date,
                safe_cell(row.status),
                row.overdue,
            ]
        )
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    for letter, width in zip(
        "ABCDEFGHIJKLMN", [18, 30, 8, 50, 14, 60, 24, 18, 40, 8, 12, 12, 14, 9], strict=True
    ):  # noqa: E501
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
