"""The pack as a PDF: the same content as the Word document, from the HTML template
templates/dashboards/reports/pack.html, rendered by WeasyPrint."""

from __future__ import annotations

import base64

from django.template.loader import render_to_string

from .builder import PackData, cell_text


def pack_html(pack: PackData) -> str:
    sections = [
        {
            "section": section,
            "tables": [
                {"table": t, "rows": [[cell_text(v) for v in row] for row in t.rows]}
                for t in section.tables
            ],
            "images": [
                {
                    "alt": c.alt_text,
                    "src": "data:image/png;base64," + base64.b64encode(c.png).decode(),
                }
                for c in section.charts
                if c.png
            ],
        }
        for section in pack.sections
    ]
    return render_to_string("dashboards/reports/pack.html", {"pack": pack, "sections": sections})


def pack_pdf(pack: PackData) -> bytes:
    from weasyprint import HTML

    return HTML(string=pack_html(pack)).write_pdf()
