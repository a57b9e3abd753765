"""The pack's files, opened as an officer would open them: the Word document's headings,
tables and page numbers, the workbook's sheets and cell types, the CSV zip and the PDF
rendered to images. One small council, one pack for the whole module (charts included)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.db import transaction
from docx import Document
from openpyxl import load_workbook

from dashboards.kpis import REGISTRY, Scope, compute_kpis, leavers_breakdown
from dashboards.models import BenchmarkFigure, KpiTarget
from dashboards.reports import builder
from dashboards.reports.services import report_files_render
from exits import services as exit_services
from exits.models import ExitTheme
from recommendations.models import Recommendation
from tests.factories import ServiceAreaFactory, TeamFactory, employ
from tests.recommendations.factories import ProgressUpdateFactory, RecommendationFactory
from tests.recruitment.helpers import apply, open_vacancy, take_to
from workforce.choices import ReasonLeave
from workforce.disclosure import Audience

pytestmark = pytest.mark.django_db

START, END = dt.date(2023, 4, 1), dt.date(2024, 3, 31)
INJECTION = '=HYPERLINK("http://evil.example","click")'


def _build_council() -> dict:
    exit_services.exit_themes_ensure_defaults()
    area = ServiceAreaFactory(name="Safeguarding")
    north = TeamFactory(name="North", service_area=area)
    south = TeamFactory(name="South", service_area=area)
    names = []
    for i in range(8):
        employment = employ(team=north if i % 2 else south, start=dt.date(2019, 1, 7))
        names.append(employment.person)
    employ(team=north, start=dt.date(2022, 1, 10), agency=True, fte="0.5")
    leavers = []
    for i, reason in enumerate(
        (ReasonLeave.RESIGNATION, ReasonLeave.RESIGNATION, ReasonLeave.RETIRED)
    ):
        employment = employ(
            team=north, start=dt.date(2018 + i, 2, 5), end=dt.date(2023, 6 + i, 30), reason=reason
        )
        leavers.append(employment)
        names.append(employment.person)
    questionnaire = exit_services.questionnaire_submit(
        exit_record=leavers[0].exit_record, answers={"free_text": "Too many cases."}
    )
    exit_services.questionnaire_code(
        questionnaire=questionnaire,
        themes=[ExitTheme.objects.get(name="Workload and caseload")],
        quote="The caseloads were too high to do the work well.",
        quote_approved=True,
    )
    vacancy = open_vacancy(team=north, opened_on=dt.date(2023, 5, 1))
    for _ in range(3):
        take_to(
            apply(vacancy, applied_on=dt.date(2023, 5, 20)), "interviewed", day=dt.date(2023, 6, 1)
        )
    recommendation = RecommendationFactory(text=INJECTION)
    ProgressUpdateFactory(recommendation=recommendation, text="-1 agency workers")
    BenchmarkFigure.objects.create(
        time_period=2023,
        geographic_level="National",
        area_code="E92000001",
        area_name="England",
        measure="turnover_rate_fte",
        value=Decimal("17.1"),
    )
    KpiTarget.objects.update_or_create(
        kpi_key="turnover_rate", defaults={"target_value": Decimal("15"), "amber_margin": 2}
    )
    return {"names": [(person.first_name, person.last_name) for person in names]}


@pytest.fixture(scope="module")
def pack(django_db_setup, django_db_blocker):
    """One pack in every format, built inside a transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _build_council()
        scope = Scope("all")
        rendered = report_files_render(  # not for publication: the figures as they are
            start=START,
            end=END,
            scope=scope,
            sections=list(builder.SECTIONS),
            audience=Audience.named(),
        )
        result = {
            **world,
            "files": rendered.files,
            "kpis": compute_kpis(as_of=END, scope=scope),
            "leavers": leavers_breakdown(start=START, end=END, scope=scope),
            "recommendations": Recommendation.objects.count(),
        }
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def public_pack(django_db_setup, django_db_blocker):
    """The same council's pack for publication (the default audience), without charts."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = _build_council()
        rendered = report_files_render(
            start=START,
            end=END,
            scope=Scope("all"),
            sections=list(builder.SECTIONS),
            include_charts=False,
        )
        result = {**world, "files": rendered.files}
        transaction.set_rollback(True)
    return result


def _docx(pack):
    return Document(io.BytesIO(pack["files"]["docx"]))


def _table_after(document, heading: str):
    """The table that follows the heading ``heading`` in the document body."""
    found = False
    for block in document.iter_inner_content():
        text = getattr(block, "text", None)
        caption = text and text.startswith("Table ") and text.endswith(f": {heading}")
        if hasattr(block, "style") and (text == heading or caption):
            found = True
        elif found and hasattr(block, "rows"):
            return [[cell.text for cell in row.cells] for row in block.rows]
    raise AssertionError(f"No table after {heading!r}")


def test_the_word_document_has_the_committee_report_headings(pack):
    document = _docx(pack)
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert ("Title", "Social work workforce report") in headings
    level1 = [text for style, text in headings if style == "Heading 1"]
    assert level1 == [
        "Summary",
        "Recommendations",
        "1. Introduction",
        "2. Context",
        "3. Workforce",
        "4. Caseloads",
        "5. Leavers and why they leave",
        "6. Recruitment",
        "7. Progress on the committee's recommendations",
        "8. Plan to reach 85% permanence",
        "9. Financial, legal, equalities and risk implications",
        "Background papers",
        "Appendix 1: Progress on the committee's recommendations",
        "Appendix 2: Data tables",
        "Appendix 3: Definitions",
    ]
    assert len(set(level1)) == len(level1)  # no heading repeated


def test_the_headline_table_shows_the_kpi_engines_figures_with_targets_and_rag(pack):
    rows = _table_after(_docx(pack), "Headline figures against targets")
    assert rows[0] == ["Measure", "Value", "Target", "RAG"]
    shown = {row[0]: row for row in rows[1:]}
    for key in ("permanence_rate", "agency_rate", "turnover_rate", "stability_rate"):
        definition = REGISTRY[key]
        assert shown[definition.label][1] == definition.display(pack["kpis"][key])
    turnover = shown[REGISTRY["turnover_rate"].label]
    assert turnover[2] == "15.0%"
    assert turnover[3] in {"Green", "Amber", "Red"}
    assert (
        shown[REGISTRY["permanence_rate"].label][2] in {"No target set"}
        or "%" in shown[REGISTRY["permanence_rate"].label][2]
    )


def test_the_leavers_table_counts_the_periods_leavers(pack):
    rows = _table_after(_docx(pack), "Leavers by reason for leaving")
    counts = {row[0]: row[1] for row in rows[1:]}
    expected = {row["label"]: str(row["count"]) for row in pack["leavers"]["by_reason"]}
    assert counts == expected
    assert sum(int(v) for v in counts.values()) == 3
    text = "\n".join(p.text for p in _docx(pack).paragraphs)
    assert (
        "3 employed social workers left in the period 1 April 2023 to 31 March 2024 (3.0 FTE)"
        in text
    )


def test_the_recruitment_table_is_by_role_with_the_funnels_stages(pack):
    rows = _table_after(_docx(pack), "Recruitment by role")
    assert rows[0][0] == "Role" and "Interviewed" in rows[0] and "Started" in rows[0]
    total = rows[-1]
    assert total[0] == "All roles"
    assert total[rows[0].index("Interviewed")] == "3"


def test_exit_themes_are_suppressed_and_only_approved_quotes_appear(public_pack):
    document = _docx(public_pack)
    rows = _table_after(document, "Exit interview themes")
    workload = next(row for row in rows if row[0] == "Workload and caseload")
    assert workload[1] == "fewer than 5"  # one leaver: never shown as a number
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The caseloads were too high to do the work well." in text
    assert "Too many cases." not in text  # the free text was not approved


def test_the_word_document_has_page_numbers_and_charts_with_alt_text(pack):
    document = _docx(pack)
    footer_xml = document.sections[0].footer._element.xml
    assert "PAGE" in footer_xml and "fldChar" in footer_xml
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert len(descriptions) >= 9
    assert all(descriptions)
    fan = next(d for d in descriptions if d.startswith("Fan chart of the forecast permanence"))
    assert "85% target" in fan and "8 of every 10 simulations" in fan
    by_reason = next(d for d in descriptions if "share of leavers by reason" in d)
    assert "Resignation 2 (66.7%)" in by_reason
    funnel = next(d for d in descriptions if "recruitment funnel" in d)
    assert "Interviewed 3" in funnel
    assert any(d.startswith("Line chart of the permanence and agency rates") for d in descriptions)
    assert any("average caseload per week" in d for d in descriptions)


def test_a_pack_for_publication_shows_no_small_count_in_any_file(public_pack):
    """3 leavers (2 resigned, 1 retired), 3 applicants, 1 agency worker: each is fewer
    than 5, so no table of any file shows them; documents say why, files write DfE's c
    with its key."""
    document = _docx(public_pack)
    reasons = _table_after(document, "Leavers by reason for leaving")
    for row in reasons[1:]:
        assert row[1] == "fewer than 5", row
    funnel = _table_after(document, "Recruitment by role")
    assert all(cell in ("0", "fewer than 5", "hidden to protect another figure")
               for row in funnel[1:] for cell in row[1:]), funnel  # fmt: skip
    text = "\n".join(p.text for p in document.paragraphs)
    assert "3 employed social workers left" not in text
    workbook = load_workbook(io.BytesIO(public_pack["files"]["xlsx"]))
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}
    assert about["Key"].startswith("c: hidden to protect confidentiality")
    sheet = workbook["Leavers by reason"]
    assert {row[1].value for row in sheet.iter_rows(min_row=2) if row[1].value} == {"c"}
    with zipfile.ZipFile(io.BytesIO(public_pack["files"]["csv"])) as archive:
        summary = archive.read("headline-figures.csv").decode()
        assert "about.csv" in archive.namelist()
    assert "Permanence rate" in summary


#: Columns whose cells come from a fixed list (a RAG rating, a status, a decision, a
#: figure), where no name can appear: a surname such as "Green" or "Amber" is not looked
#: for there, only as a whole word in every other cell and paragraph.
CLOSED_COLUMNS = {"RAG", "Status", "Decision", "No.", "Value", "Target", "Action by"}


def _free_text_cells(rows: list[list]) -> list[str]:
    """The cells of a table (header first) outside its closed-vocabulary columns."""
    if not rows:
        return []
    header = [str(cell) if cell is not None else "" for cell in rows[0]]
    closed = {index for index, name in enumerate(header) if name in CLOSED_COLUMNS}
    return header + [
        str(cell)
        for row in rows[1:]
        for index, cell in enumerate(row)
        if cell is not None and index not in closed
    ]


def _all_text(pack) -> tuple[list[str], list[str]]:
    """(every piece of text in the Word document, workbook and CSVs; those of them where a
    name could appear)."""
    document = _docx(pack)
    everything = [p.text for p in document.paragraphs]
    free = list(everything)
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        everything += [cell for row in rows for cell in row]
        free += _free_text_cells(rows)
    workbook = load_workbook(io.BytesIO(pack["files"]["xlsx"]))
    for sheet in workbook.worksheets:
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        everything += [str(cell) for row in rows for cell in row if cell is not None]
        free += _free_text_cells(rows)
    with zipfile.ZipFile(io.BytesIO(pack["files"]["csv"])) as archive:
        for name in archive.namelist():
            rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            everything += [cell for row in rows for cell in row]
            free += _free_text_cells(rows)
    return everything, free


def test_no_persons_name_appears_in_any_file(pack):
    everything, free = _all_text(pack)
    assert len(free) > 100  # the tables' text was read
    text, free_text = "\n".join(everything), "\n".join(free)
    for first, last in pack["names"]:
        for full in (f"{first} {last}", f"{last}, {first}", f"{first[0]}. {last}"):
            assert full not in text
        assert not re.search(rf"\b{re.escape(last)}\b", free_text), last
    assert not re.search(r"Applicant\d|Surname\d", text)  # applicants' names


def test_the_workbook_has_a_sheet_per_table_with_numbers_and_dates(pack):
    workbook = load_workbook(io.BytesIO(pack["files"]["xlsx"]))
    assert {
        "About",
        "Headline figures",
        "Workforce",
        "Leavers by reason",
        "Recruitment",
        "Exit themes",
        "Recommendations",
        "Definitions",
        "Caseloads",
        "Permanence and agency",
    } <= set(workbook.sheetnames)
    about = workbook["About"]
    assert about["B2"].value.date() == START and about["B3"].value.date() == END
    appendix = workbook["Definitions"]
    cells = {row[0].value: row[1] for row in appendix.iter_rows(min_row=2) if row[1].value}
    for key in ("inpost_headcount", "turnover_rate", "permanence_rate"):
        cell = cells[REGISTRY[key].label]
        assert isinstance(cell.value, int | float)  # a number, not text
        shown = builder.kpi_num(key, pack["kpis"][key])
        if REGISTRY[key].unit == "%":  # a fraction formatted as a percentage, as rounded
            assert cell.value == pytest.approx(float(shown.value) / 100)
            assert cell.number_format == "0.0%"
        else:
            assert cell.value == pytest.approx(float(shown.value))
    headline = workbook["Headline figures"]
    permanence = next(
        r for r in headline.iter_rows(min_row=2) if r[0].value == "Permanence rate (workers basis)"
    )
    assert isinstance(permanence[1].value, float) and permanence[1].number_format == "0.0%"
    assert not any(
        isinstance(c.value, str) and re.fullmatch(r"-?[\d,]*\.\d+%?|-?[\d.,]+%", c.value)
        for ws in workbook.worksheets for row in ws.iter_rows() for c in row
    )  # fmt: skip
    notes = [r[0].value for r in headline.iter_rows() if str(r[0].value or "").startswith("Notes:")]
    assert notes and "Source" in notes[0]
    leavers = workbook["Leavers by reason"]
    assert sum(row[1].value or 0 for row in leavers.iter_rows(min_row=2)) == 3


def test_formula_injection_is_neutralised_in_the_workbook_and_csv(pack):
    workbook = load_workbook(io.BytesIO(pack["files"]["xlsx"]))
    sheet = workbook["Recommendations"]
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    recommendation = next(c for c in texts if "HYPERLINK" in c.value)
    assert recommendation.value == "'" + INJECTION
    assert recommendation.data_type == "s"
    update = next(c for c in texts if "agency workers" in c.value)
    assert update.value == "'-1 agency workers"
    with zipfile.ZipFile(io.BytesIO(pack["files"]["csv"])) as archive:
        rows = list(csv.reader(io.StringIO(archive.read("recommendations.csv").decode())))
        for row in rows:
            for value in row:
                assert not value.startswith(("=", "+", "-", "@"))
        assert "definitions.csv" in archive.namelist()


def test_the_pdf_is_readable_and_of_a_sensible_length(pack, tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack["files"]["pdf"])
    assert pack["files"]["pdf"].startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True, timeout=60
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert 3 <= len(pages) <= 30
    assert all(page.stat().st_size > 2000 for page in pages)
    info = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    if info.returncode == 0:
        assert "Headline figures against targets" in info.stdout


def test_benchmarks_show_dfes_published_figure_for_england(pack):
    rows = _table_after(_docx(pack), "Benchmarks against England, region and comparators")
    assert rows[0][5] == "England"
    turnover = next(row for row in rows[1:] if row[0] == REGISTRY["turnover_rate"].label)
    assert turnover[1] == "2023"
    assert turnover[5] == "17.1"
