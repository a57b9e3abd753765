"""The pack as the committee paper a director tables as it is (issue 16): the Word file is
A4 with the appendices on landscape pages, header rows repeated and the classification in
the footer; the public version prints no count of 1 to 4 people in any table, the version
not for publication is marked exempt on every page; the PDF keeps every table inside the
page; LibreOffice opens and converts the Word file; the director's text is used and kept."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from PIL import Image

from core.roles import Role
from dashboards.kpis import Scope
from dashboards.models import ReportPack
from dashboards.reports import builder
from dashboards.reports.services import file_name, report_files_render
from tests.dashboards.reports.test_pack_files import _build_council
from workforce.disclosure import Audience

pytestmark = pytest.mark.django_db

START, END = dt.date(2023, 4, 1), dt.date(2024, 3, 31)
EXEMPT = (
    "Not for publication: exempt information under paragraph 1 of Schedule 12A to the "
    "Local Government Act 1972"
)


def _five_agency_workers() -> None:
    """With the module's one agency worker, 6: the permanence rate (and so its forecast)
    rests on no small count and is shown in the paper for publication."""
    from tests.factories import employ

    for _ in range(5):
        employ(start=dt.date(2022, 9, 5), agency=True)


def _render(audience, *, charts: bool):
    rendered = report_files_render(
        start=START,
        end=END,
        scope=Scope("all"),
        sections=list(builder.SECTIONS),
        audience=audience,
        include_charts=charts,
        texts={"summary": "The director's own summary.", "lead_member": "Cllr A Member"},
    )
    return rendered.files


@pytest.fixture(scope="module")
def files(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        _build_council()
        _five_agency_workers()
        result = {
            "public": _render(None, charts=True),
            "restricted": _render(Audience.named(), charts=False),
        }
        transaction.set_rollback(True)
    return result


def _docx(content: bytes):
    return Document(io.BytesIO(content))


def test_the_word_file_is_a4_portrait_with_the_appendices_on_landscape_pages(files):
    document = _docx(files["public"]["docx"])
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert abs(first.page_width - Cm(21)) < Cm(0.05) and abs(first.page_height - Cm(29.7)) < Cm(
        0.05
    )
    assert first.left_margin >= Cm(1.5)
    landscape = [s for s in document.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert landscape
    assert abs(landscape[0].page_width - Cm(29.7)) < Cm(0.05)
    # the tracker is in the landscape part, with its header row repeated on each page
    body = list(document.iter_inner_content())
    appendix = next(
        i for i, b in enumerate(body) if getattr(b, "text", "").startswith("Appendix 1")
    )
    tracker = next(b for b in body[appendix:] if hasattr(b, "rows"))
    assert tracker.rows[0].cells[2].text == "Accepted"
    assert "w:tblHeader" in tracker.rows[0]._tr.xml
    # column widths for the content, across the landscape page (LibreOffice reads the grid)
    widths = [column.width for column in tracker.columns]
    assert widths[1] > 4 * widths[0]
    usable = landscape[0].page_width - landscape[0].left_margin - landscape[0].right_margin
    assert abs(sum(widths) - usable) < Cm(0.2)


def test_the_director_text_is_in_the_paper_and_the_app_writes_the_context(files):
    document = _docx(files["public"]["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The director's own summary." in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Cllr A Member" in cells and "All" in cells  # front sheet: lead member, wards
    assert "Public" in cells  # the classification
    restricted = "\n".join(p.text for p in _docx(files["restricted"]["docx"]).paragraphs)
    # numbered paragraphs in the app's words, against the 85% target
    assert re.search(r"2\.\d+  Permanence (rose from [\d.]+% to|fell from|was) [\d.]+%", restricted)
    assert "the target is 85%" in restricted
    # section 8: the forecast's plan in the app's words, its milestones per 31 March
    assert re.search(r"8\.\d+  On present trends the council is (not )?expected to reach 85%", text)
    assert re.search(r"8\.\d+  The chance of having reached 85% is \d+% by 31 March 2025", text)
    milestones = next(t for t in document.tables if t.rows[0].cells[0].text == "Year end")
    assert [r.cells[0].text for r in milestones.rows[1:]] == [
        "31 Mar 2025", "31 Mar 2026", "31 Mar 2027"
    ]  # fmt: skip
    # section 9: the Section 151 wording, then the costs and the average salary by role
    assert "9.1  Financial implications (authorised by the Section 151 officer)" in text
    titles = [p.text for p in document.paragraphs]
    assert "Table 9.1: Financial figures" in titles
    assert "Table 9.2: Average salary by role" in titles


def test_no_table_of_the_public_version_shows_a_count_of_one_to_four(files):
    document = _docx(files["public"]["docx"])
    count_columns = ("Leavers", "Leavers raising it", "Applications", "Interviewed", "Offered",
                     "Started", "Case-holding social workers", "Hires",
                     "Permanent workers costed")  # fmt: skip
    checked = 0
    for table in document.tables:
        header = [c.text for c in table.rows[0].cells]
        for index, column in enumerate(header):
            if column in count_columns:
                for row in table.rows[1:]:
                    checked += 1
                    assert row.cells[index].text not in {"1", "2", "3", "4"}, (header, column)
    assert checked > 10
    # highest and lowest caseloads are one person's figure each
    caseloads = next(t for t in document.tables if t.rows[0].cells[0].text == "Week beginning")
    assert all(
        "one person" in row.cells[3].text and "one person" in row.cells[4].text
        for row in caseloads.rows[1:]
        if row.cells[2].text not in ("-", "fewer than 5")
    )


def test_the_public_paper_has_every_chart_with_alt_text_and_the_forecast_fan(files):
    document = _docx(files["public"]["docx"])
    shapes = document.inline_shapes
    assert len(shapes) >= 9
    descriptions = [shape._inline.docPr.get("descr") for shape in shapes]
    assert all(d and len(d) > 40 for d in descriptions)
    assert sum(d.startswith("Fan chart of the forecast permanence rate") for d in descriptions) == 1
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Permanence forecast by month" in text  # its figures in Appendix 2


def test_the_version_not_for_publication_is_marked_exempt_on_every_page(files):
    document = _docx(files["restricted"]["docx"])
    for section in document.sections:
        assert EXEMPT in section.header.paragraphs[0].text
        assert EXEMPT in "".join(p.text for p in section.footer.paragraphs)
    public = _docx(files["public"]["docx"])
    assert EXEMPT not in public.sections[0].header._element.xml
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=files["restricted"]["pdf"], capture_output=True
    ).stdout.decode()
    pages = [page for page in text.split("\f") if page.strip()]
    assert pages and all(EXEMPT.split(":")[0] in page for page in pages)


def test_no_table_of_the_pdf_runs_off_the_page(files, tmp_path):
    """Every page rendered: the right margin (the last 1.5 cm) is blank on every page, so
    no table or word runs past it."""
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(files["public"]["pdf"])
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 5
    sizes = set()
    for page in pages:
        image = Image.open(page).convert("L")
        width, height = image.size
        sizes.add(width > height)
        margin = int(1.5 / 2.54 * 50)
        strip = image.crop((width - margin, int(height * 0.05), width, int(height * 0.92)))
        assert strip.getextrema()[0] > 200, f"{page.name}: something in the right margin"
    assert sizes == {False, True}  # portrait and landscape pages
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for broken in ("record ed", "permane nt", "(ove rdue", "202 5"):
        assert broken not in text


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_and_converts_the_word_file(files, tmp_path):
    source = tmp_path / "paper.docx"
    source.write_bytes(files["public"]["docx"])
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    converted = tmp_path / "paper.pdf"
    assert converted.exists()
    info = subprocess.run(["pdfinfo", str(converted)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    print(f"LibreOffice page count of the public paper: {pages}")
    assert 5 <= pages <= 60


def test_file_names_are_ones_people_recognise():
    pack = ReportPack(
        title="Social work workforce report",
        period_start=dt.date(2025, 12, 1),
        period_end=dt.date(2026, 11, 30),
    )
    assert file_name(pack, "docx") == "Social work workforce report 2026-11-30 (public).docx"
    pack.audience = ReportPack.Audience.RESTRICTED
    assert file_name(pack, "pdf") == (
        "Social work workforce report 2026-11-30 (not for publication).pdf"
    )


def test_the_form_keeps_the_directors_text_and_offers_it_again(client_as, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(Role.DIRECTOR)
    page = client.get(reverse("dashboards:report-create"))
    assert "Permanence" in page.content.decode() or page.status_code == 200
    client.post(
        reverse("dashboards:report-create"),
        {
            "title": "Social work workforce report",
            "audience": "public",
            "period": "custom",
            "start": "2023-04-01",
            "end": "2024-03-31",
            "scope": "all",
            "sections": ["workforce"],
            "text_lead_member": "Cllr B Smith",
            "text_financial": "Agency spend is within budget.",
        },
    )
    pack = ReportPack.objects.get()
    assert pack.texts["lead_member"] == "Cllr B Smith"
    again = client.get(reverse("dashboards:report-create")).content.decode()
    assert "Cllr B Smith" in again and "Agency spend is within budget." in again


def test_export_report_takes_the_audience(tmp_path):
    output = tmp_path / "paper.docx"
    call_command(
        "export_report", "--from", "2023-04-01", "--to", "2024-03-31", "--format", "docx",
        "--output", str(output), "--no-charts", "--sections", "workforce",
        "--audience", "not-for-publication",
    )  # fmt: skip
    assert EXEMPT in Document(str(output)).sections[0].header.paragraphs[0].text
    call_command(
        "export_report", "--from", "2023-04-01", "--to", "2024-03-31", "--format", "docx",
        "--output", str(output), "--no-charts", "--sections", "workforce",
    )  # fmt: skip
    assert EXEMPT not in Document(str(output)).sections[0].header._element.xml
