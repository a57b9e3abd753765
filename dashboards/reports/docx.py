"""The pack as an editable Word document (python-docx): real headings and tables, page
numbers in the footer (a PAGE field) and charts as PNG images with alt text."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from .builder import PackData, cell_text


def _page_number_field(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def pack_docx(pack: PackData) -> bytes:
    """The Word document of ``pack`` (charts must already be rendered)."""
    document = Document()
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Page ")
    _page_number_field(footer)

    document.add_heading(pack.title, level=0)
    details = document.add_table(rows=0, cols=2)
    details.style = "Table Grid"
    for label, value in (
        ("Meeting", pack.meeting or "To be confirmed"),
        ("Period", pack.period_label),
        ("Scope", pack.scope.label),
    ):
        cells = details.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_heading("Purpose of the report", level=1)
    document.add_paragraph(pack.purpose)

    for section in pack.sections:
        document.add_heading(section.title, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            document.add_heading(table.title, level=2)
            grid = document.add_table(rows=1, cols=len(table.columns))
            grid.style = "Table Grid"
            for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = column
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in table.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = cell_text(value)
            if not table.rows:
                document.add_paragraph("No figures for the period.")
        for chart in section.charts:
            if not chart.png:
                continue
            document.add_picture(io.BytesIO(chart.png), width=Cm(16))
            inline = document.inline_shapes[-1]._inline
            inline.docPr.set("descr", chart.alt_text)
            inline.docPr.set("title", chart.title)
        if section.quotes:
            document.add_heading("What leavers said (quotes approved for publication)", level=2)
            for quote in section.quotes:
                document.add_paragraph(f"\u201c{quote}\u201d", style="Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
