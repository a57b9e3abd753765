"""Sections 8 and 9 of the committee paper: the plan to reach 85% from the forecast (fan
chart, median month, chance by each 31 March, milestones per year, narrative the director
may replace) and the financial implications (pay bill, incentives, agency spend, the
registry's ``financial`` KPIs, average salary by role), each as the disclosure rule
allows; the Word file places the financial tables inside the financial implications."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from dashboards.kpis import REGISTRY, Scope, compute_kpis
from dashboards.kpis.registry import report_section_kpis
from dashboards.reports import builder
from dashboards.reports.plan import forecast_plan
from dashboards.reports.services import report_files_render
from pay import services as pay_services
from pay.choices import IncentiveKind
from pay.models import IncentiveScheme
from tests.factories import TeamFactory, employ
from tests.pay.conftest import level3, oncosts, spine  # noqa: F401  (fixtures)
from workforce.choices import OrgRole
from workforce.disclosure import Audience

pytestmark = pytest.mark.django_db

START, END = dt.date(2023, 4, 1), dt.date(2024, 3, 31)
SECTIONS = ["summary", "workforce", "plan", "financial"]


@pytest.fixture
def council(spine, level3, oncosts):  # noqa: F811
    """14 permanent workers (10 case holders, 2 senior practitioners, 2 first line
    managers) costed from the spine, 3 leavers, 6 agency workers, a market supplement."""
    team = TeamFactory(name="Family Safeguarding")
    roles = [OrgRole.CASE_HOLDER] * 10 + [OrgRole.SENIOR_PRACTITIONER] * 2
    roles += [OrgRole.FIRST_LINE_MANAGER] * 2
    workers = []
    for i, role in enumerate(roles):
        start = dt.date(2019 + i % 4, 1 + i % 12, 7)
        employment = employ(team=team, start=start, org_role=role, grade=level3)
        workers.append(employment)
        pay_services.worker_point_set(
            employment=employment, effective_from=max(start, dt.date(2021, 4, 1)), scp=29 + i % 3
        )
    for i in range(3):
        employ(team=team, start=dt.date(2019, 3, 4), end=dt.date(2022, 5 + 3 * i, 27))
    for _ in range(6):
        employ(team=team, start=dt.date(2022, 9, 5), agency=True)
    scheme = IncentiveScheme.objects.create(
        name="Supplement", kind=IncentiveKind.MARKET_SUPPLEMENT, amount=Decimal("5000"),
        start_date=dt.date(2023, 4, 1),
    )  # fmt: skip
    scheme.teams.add(team)
    pay_services.incentive_payment_record(
        scheme=scheme, employment=workers[0], due_date=dt.date(2023, 4, 30),
        amount=Decimal("416.67"), paid_on=dt.date(2023, 4, 30),
    )  # fmt: skip
    return team


def _pack(audience=None, texts=None, sections=SECTIONS):
    return builder.pack_data_build(
        start=START, end=END, scope=Scope("all"), sections=sections, audience=audience,
        texts=texts,
    )  # fmt: skip


def test_the_plan_is_seeded_and_has_a_milestone_at_each_31_march(council):
    plan = forecast_plan(END, simulations=200)
    again = forecast_plan(END, simulations=200)
    assert plan == again  # reproducible: the same paper from the same data
    assert len(plan.fan) == 36 and plan.fan[0].date == dt.date(2024, 4, 30)
    assert [m.date for m in plan.milestones] == [
        dt.date(2025, 3, 31), dt.date(2026, 3, 31), dt.date(2027, 3, 31)
    ]  # fmt: skip
    for point in plan.fan:
        assert point.p10 <= point.p50 <= point.p90
    chances = list(plan.probability_by_year_end.values())
    assert chances == sorted(chances)  # once reached, reached
    if plan.median_month is not None:
        assert plan.median_month in [p.date for p in plan.fan]


def test_section_8_tables_the_milestones_and_charts_the_fan(council):
    pack = _pack(Audience.named())
    plan = pack.section("plan")
    assert plan.title == "Plan to reach 85% permanence"
    text = " ".join(plan.paragraphs)
    assert "simulations" in text and "85%" in text
    assert ("expected to reach 85% in" in text) or ("not expected to reach 85%" in text)
    assert "The chance of having reached 85% is" in text and "by 31 March 2025" in text
    milestones = next(t for t in plan.tables if t.title.startswith("Milestones"))
    assert [row[0] for row in milestones.rows] == [
        dt.date(2025, 3, 31), dt.date(2026, 3, 31), dt.date(2027, 3, 31)
    ]  # fmt: skip
    for _date, median, low, high, chance in milestones.rows:
        assert low.unit == median.unit == high.unit == chance.unit == "%"
        assert low.value <= median.value <= high.value and 0 <= chance.value <= 100
    assert not milestones.appendix  # in the section itself
    (fan,) = plan.charts
    assert fan.alt_text.startswith("Fan chart of the forecast permanence rate")
    assert fan.table.appendix == "data" and len(fan.table.rows) == 36
    names = [trace.name for trace in fan.figure.data]
    assert "Target: 85% permanent" in names and "Median forecast" in names
    assert "80% of simulations" in names


def test_the_director_can_replace_the_plans_words_and_keeps_the_figures(council):
    pack = _pack(Audience.named(), texts={"plan": "Our own plan.\n\nSecond paragraph."})
    plan = pack.section("plan")
    assert plan.paragraphs == ["Our own plan.", "Second paragraph."]
    assert plan.tables[0].title.startswith("Milestones") and plan.charts


def test_the_forecast_is_hidden_where_permanence_rests_on_fewer_than_5(council):
    from workforce.models import Employment

    # 2 agency workers left: the permanence rate rests on a count of 2 for councillors
    for employment in Employment.objects.filter(contract_type="agency")[:4]:
        employment.delete()
    public = _pack().section("plan")
    assert "rests on fewer than 5 people" in " ".join(public.paragraphs)
    assert not public.tables and not public.charts
    restricted = _pack(Audience.named()).section("plan")
    assert restricted.tables and restricted.charts


def test_the_plan_can_be_left_out(council):
    pack = _pack(sections=["workforce"])
    assert "plan" not in [section.key for section in pack.sections]


def test_financial_kpis_come_from_the_registry_by_section_key(council):
    keys = report_section_kpis("financial")
    for key in ("permanent_pay_yearly_cost", "average_salary", "incentives_paid_12m"):
        assert key in keys
    assert "agency_spend" in keys
    pack = _pack(Audience.named())
    section = pack.section("implications")
    figures = next(t for t in section.tables if t.title == "Financial figures")
    labels = [row[0] for row in figures.rows]
    for key in keys:
        assert REGISTRY[key].label in labels
    values = compute_kpis(as_of=END, scope=Scope("all"))
    by_label = {row[0]: row[1] for row in figures.rows}
    # the KPI engine's figures, rounded as shown, not worked out again
    assert by_label["Average salary (full time)"].value == Decimal(
        values["average_salary"]
    ).quantize(Decimal(1))
    assert by_label["Average salary (full time)"].unit == "money"
    # the period's pay bill and incentives due from the pay services; over a year the
    # incentives paid and agency spend are the KPI rows (not printed twice)
    assert "Permanent pay bill with on-costs" in labels and "Incentive payments due" in labels
    assert "Incentives paid" not in labels and labels.count("Agency spend") == 1
    assert by_label["Incentives paid in the last 12 months"].value == Decimal("417")
    # the director's Section 151 wording, then the app's figures, then legal
    text = section.paragraphs
    financial = next(i for i, p in enumerate(text) if p.startswith("Financial implications"))
    assert "(authorised by the Section 151 officer)" in text[financial]
    assert text[financial + 1].startswith("The permanent pay bill, with employer's National")
    legal = next(i for i, p in enumerate(text) if p.startswith("Legal implications"))
    assert figures.after <= legal


def test_average_salary_by_role_hides_small_roles_in_the_public_paper(council):
    def salaries(audience):
        section = _pack(audience).section("implications")
        table = next(t for t in section.tables if t.title == "Average salary by role")
        return {row[0]: row for row in table.rows}

    full = salaries(Audience.named())
    assert full["First line manager"][1] == 2 and full["Senior practitioner"][1] == 2
    assert full["Case holder"][3].unit == "money"
    public = salaries(None)
    for role in ("First line manager", "Senior practitioner"):
        assert all(str(cell) == "fewer than 5" for cell in public[role][1:])
    assert public["Case holder"][1] == 10 and public["Case holder"][3].value > 30000


def test_one_hidden_role_hides_the_next_smallest_too(council):
    from workforce.models import Assignment

    Assignment.objects.filter(org_role=OrgRole.FIRST_LINE_MANAGER).update(
        org_role=OrgRole.CASE_HOLDER
    )
    section = _pack().section("implications")
    table = next(t for t in section.tables if t.title == "Average salary by role")
    rows = {row[0]: [str(c) for c in row[1:]] for row in table.rows}
    assert rows["Senior practitioner"] == ["fewer than 5"] * 3
    assert all("hidden" in cell for cell in rows["Case holder"])  # secondary suppression


def test_the_word_file_prints_sections_8_and_9_in_place_and_the_workbook_types_money(council):
    files = report_files_render(
        start=START, end=END, scope=Scope("all"), sections=SECTIONS,
        audience=Audience.named(), include_charts=False, formats=("docx", "xlsx"),
    ).files  # fmt: skip
    document = Document(io.BytesIO(files["docx"]))
    body = list(document.iter_inner_content())
    headings = [b.text for b in body if getattr(b, "style", None) and b.style.name == "Heading 1"]
    plan = next(h for h in headings if h.endswith("Plan to reach 85% permanence"))
    implications = next(h for h in headings if "Financial, legal" in h)
    assert headings.index(plan) < headings.index(implications)
    assert len(headings) == len(set(headings))  # no heading repeated
    texts = [getattr(b, "text", None) for b in body]
    start = texts.index(implications)
    caption = next(i for i, t in enumerate(texts) if t and t.endswith(": Financial figures"))
    legal = next(i for i, t in enumerate(texts) if t and "Legal implications:" in t)
    assert start < caption < legal  # the figures sit inside the financial implications
    assert hasattr(body[caption + 1], "rows")
    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    sheet = workbook["Financial figures"]
    amounts = [
        row[1] for row in sheet.iter_rows(min_row=2) if isinstance(row[1].value, (int, float))
    ]
    assert amounts and all(cell.number_format == "£#,##0" for cell in amounts)
    milestones = workbook["Plan milestones"]
    assert milestones.cell(2, 1).is_date and milestones.cell(2, 2).number_format == "0.0%"


def test_the_form_offers_the_apps_plan_for_the_director_to_edit(council, client_as, settings):
    from django.urls import reverse

    from core.roles import Role

    page = client_as(Role.DIRECTOR).get(reverse("dashboards:report-create")).content.decode()
    assert 'name="text_plan"' in page
    plan = page.split('name="text_plan"', 1)[1].split("</textarea>", 1)[0]
    assert "On present trends the council is" in plan and "31 March" in plan
    assert 'value="plan"' in page and 'value="financial"' in page  # sections to choose
