"""The pack as a council committee report in Word (python-docx): A4 portrait, a front
sheet, Summary and Recommendations, numbered sections with numbered paragraphs (2.1,
2.2...), charts with alt text, background papers and the appendices (the recommendations
tracker in the Tameside Appendix 1 layout, the data tables behind the charts, the
definitions) on landscape pages with column widths for their content and header rows
repeated on each page. The footer carries the page number and the classification; a
paper not for publication says so at the top and foot of every page."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .builder import FRONT_SHEET, PackData, Table, cell_text, summary_texts

A4 = (Cm(21.0), Cm(29.7))
#: A table of up to this many rows (header included) is not split across pages.
SHORT_TABLE_ROWS = 12
MARGIN = Cm(2.0)
APPENDICES = (
    ("tracker", "Appendix 1: Progress on the committee's recommendations"),
    ("data", "Appendix 2: Data tables"),
    ("definitions", "Appendix 3: Definitions"),
)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _page_setup(section, *, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def _usable_width(section):
    return section.page_width - section.left_margin - section.right_margin


def _header_and_footer(document, pack: PackData) -> None:
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{pack.classification} - Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)
    if not pack.suppressed:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = header.add_run(pack.classification)
        run.bold = True
        run.font.size = Pt(9)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _table(document, table: Table, width) -> None:
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    weights = table.widths or _widths(table)
    total = sum(weights)
    widths = [int(width * w / total) for w in weights]
    _repeat_header(grid.rows[0])
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = column
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        added = grid.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row on one page
        for cell, value in zip(added.cells, row, strict=True):
            cell.text = cell_text(value)
    for column, column_width in zip(grid.columns, widths, strict=True):
        column.width = column_width  # the table grid: LibreOffice lays tables out by it
    short = len(grid.rows) <= SHORT_TABLE_ROWS
    for number, row in enumerate(grid.rows, start=1):
        for cell, cell_width in zip(row.cells, widths, strict=True):
            cell.width = cell_width
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                # a short table is kept on one page (each row kept with the next)
                paragraph.paragraph_format.keep_with_next = short and number < len(grid.rows)
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    if not table.rows:
        document.add_paragraph("No figures for the period.")
    else:  # a little space before what follows the table
        document.add_paragraph().paragraph_format.space_after = Pt(2)


def _widths(table: Table) -> list[int]:
    """Relative column widths from the longest word and the length of each column."""
    widths = []
    for index, column in enumerate(table.columns):
        texts = [column] + [cell_text(row[index]) for row in table.rows]
        longest_word = max((len(word) for text in texts for word in text.split()), default=4)
        average = sum(len(text) for text in texts) / len(texts)
        widths.append(max(longest_word, min(average, 60), 4))
    return [int(w * 10) for w in widths]


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    paragraph.paragraph_format.keep_with_next = True


def _front_sheet(document, pack: PackData) -> None:
    document.add_heading(pack.title, level=0)
    details = document.add_table(rows=0, cols=2)
    details.style = "Table Grid"
    rows = [(label, pack.text(key) or "To be confirmed") for key, label in FRONT_SHEET.items()]
    rows.insert(5, ("Classification", pack.classification))
    rows += [("Period", pack.period_label), ("Scope", pack.scope.label)]
    for label, value in rows:
        cells = details.add_row().cells
        cells[0].text, cells[1].text = label, value
        cells[0].paragraphs[0].runs[0].bold = True
        cells[0].width, cells[1].width = Cm(5), Cm(12)


def pack_docx(pack: PackData) -> bytes:
    """The Word document of ``pack`` (charts must already be rendered)."""
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(11)
    _page_setup(document.sections[0], landscape=False)
    _header_and_footer(document, pack)
    width = _usable_width(document.sections[0])

    _front_sheet(document, pack)
    document.add_heading("Summary", level=1)
    for text in summary_texts(pack):
        document.add_paragraph(text)
    document.add_heading("Recommendations", level=1)
    for number, text in enumerate(pack.paragraphs("recommendations"), start=1):
        document.add_paragraph(f"({number}) {text}")

    for section in pack.sections:
        document.add_heading(f"{section.number}. {section.title}", level=1)
        body = [table for table in section.tables if not table.appendix]
        numbers = {id(table): index for index, table in enumerate(body, start=1)}
        count = len(section.paragraphs)
        for index, text in enumerate(section.paragraphs, start=1):
            document.add_paragraph(f"{section.number}.{index}  {text}")
            for table in (t for t in body if t.after == index and index < count):
                _caption(document, f"Table {section.number}.{numbers[id(table)]}: {table.title}")
                _table(document, table, width)
        for table in (t for t in body if not 0 < t.after < count):
            _caption(document, f"Table {section.number}.{numbers[id(table)]}: {table.title}")
            _table(document, table, width)
        for index, chart in enumerate(section.charts, start=1):
            if not chart.png:
                continue
            _caption(document, f"Figure {section.number}.{index}: {chart.title}")
            document.add_picture(io.BytesIO(chart.png), width=Cm(16))
            inline = document.inline_shapes[-1]._inline
            inline.docPr.set("descr", chart.alt_text)
            inline.docPr.set("title", chart.title)
            if chart.table is not None:
                document.add_paragraph(f"The figures are in Appendix 2 ({chart.table.title}).")
        if section.quotes:
            _caption(document, "What leavers said (quotes approved for publication)")
            for quote in section.quotes:
                document.add_paragraph(f"\u201c{quote}\u201d", style="Quote")

    document.add_heading("Background papers", level=1)
    for text in pack.paragraphs("background_papers"):
        document.add_paragraph(text)

    first = True
    for kind, heading in APPENDICES:
        tables = pack.appendix_tables(kind)
        if not tables:
            continue
        if first:
            landscape = document.add_section(WD_SECTION.NEW_PAGE)
            _page_setup(landscape, landscape=True)
            width = _usable_width(landscape)
            first = False
        else:
            document.add_page_break()
        document.add_heading(heading, level=1)
        for index, table in enumerate(tables, start=1):
            if len(tables) > 1 or table.title not in heading:
                _caption(document, f"Table {heading.split(':')[0][9:]}.{index}: {table.title}")
            if table.notes:
                document.add_paragraph(table.notes).runs[0].font.size = Pt(9)
            _table(document, table, width)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
