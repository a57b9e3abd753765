"""The pack as a PDF: the same paper as the Word document, from the HTML template
templates/dashboards/reports/pack.html, rendered by WeasyPrint (A4 portrait; the
appendices on landscape pages through a named ``@page``; table headers repeated; no word
broken)."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from .builder import FRONT_SHEET, PackData, cell_text, summary_texts
from .docx import APPENDICES, _widths


def _table(table, number: str) -> dict:
    weights = table.widths or _widths(table)
    total = sum(weights)
    return {
        "table": table,
        "number": number,
        "widths": [round(100 * w / total, 1) for w in weights],
        "rows": [[cell_text(v) for v in row] for row in table.rows],
    }


def pack_html(pack: PackData) -> str:
    sections = []
    for section in pack.sections:
        body = [
            _table(t, f"{section.number}.{i}")
            for i, t in enumerate((t for t in section.tables if not t.appendix), start=1)
        ]
        count = len(section.paragraphs)
        sections.append(
            {
                "section": section,
                "paragraphs": [
                    (
                        f"{section.number}.{i}",
                        text,
                        [t for t in body if t["table"].after == i and i < count],
                    )
                    for i, text in enumerate(section.paragraphs, start=1)
                ],
                "tables": [t for t in body if not 0 < t["table"].after < count],
                "images": [
                    {
                        "number": f"{section.number}.{i}",
                        "title": c.title,
                        "alt": c.alt_text,
                        "table": c.table.title if c.table else "",
                        "src": "data:image/png;base64," + base64.b64encode(c.png).decode(),
                    }
                    for i, c in enumerate(section.charts, start=1)
                    if c.png
                ],
            }
        )
    appendices = []
    for kind, heading in APPENDICES:
        tables = pack.appendix_tables(kind)
        if tables:
            label = heading.split(":")[0][9:]
            appendices.append(
                {
                    "heading": heading,
                    "tables": [_table(t, f"{label}.{i}") for i, t in enumerate(tables, start=1)],
                }
            )
    front = [(label, pack.text(key) or "To be confirmed") for key, label in FRONT_SHEET.items()]
    front.insert(5, ("Classification", pack.classification))
    front += [("Period", pack.period_label), ("Scope", pack.scope.label)]
    return render_to_string(
        "dashboards/reports/pack.html",
        {
            "pack": pack,
            "front": front,
            "summary": summary_texts(pack),
            "recommendations": pack.paragraphs("recommendations"),
            "background_papers": pack.paragraphs("background_papers"),
            "sections": sections,
            "appendices": appendices,
        },
    )


def pack_pdf(pack: PackData) -> bytes:
    from weasyprint import HTML

    return HTML(string=pack_html(pack)).write_pdf()
