"""The KPI dashboard pages as a user sees them: figures from the stored snapshots, the
shared URL filters, small-number suppression for scrutiny members, stale figures
flagged (and a refresh queued), CSV downloads, and a constant number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from dashboards import services
from dashboards.models import BenchmarkFigure, ComparatorGroup
from tests.factories import PostFactory, ServiceAreaFactory, TeamFactory, employ
from workforce import services as workforce_services
from workforce.models import Council

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=800)
PAGES = ["overview", "trends", "caseloads", "leavers", "benchmarks", "recruitment", "exits"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def build_world(*, employed: int = 12, agency: int = 3, leavers: int = 2, start=START):
    """Alpha (Safeguarding) with ``employed`` permanent workers and ``leavers`` more who
    resigned a month ago, and Beta (Children in Care) with ``agency`` agency workers,
    all from ``start``; a 4-strong ASYE cohort a month after ``start`` (one left within
    the year); caseloads in the last three weeks; the snapshots refreshed."""
    START = start  # noqa: N806
    safeguarding = ServiceAreaFactory(name="Safeguarding")
    in_care = ServiceAreaFactory(name="Children in Care")
    alpha = TeamFactory(name="Alpha", service_area=safeguarding)
    beta = TeamFactory(name="Beta", service_area=in_care)
    PostFactory(team=alpha, fte=Decimal(employed + 2), valid_from=START)
    workers = [employ(team=alpha, start=START) for _ in range(employed)]
    for _ in range(leavers):
        employ(team=alpha, start=START, end=TODAY - dt.timedelta(days=30), reason=1)
    cohort_start = START + dt.timedelta(days=30)
    for index in range(4):
        end = cohort_start + dt.timedelta(days=200) if index == 0 else None
        employ(team=alpha, start=cohort_start, end=end, is_asye=True, reason=1)
    placed = [employ(team=beta, start=START, agency=True) for _ in range(agency)]
    for weeks_ago in (0, 1, 2):
        date = TODAY - dt.timedelta(weeks=weeks_ago)
        for index, employment in enumerate(workers + placed):
            workforce_services.caseload_record(
                employment=employment, date=date, cases=10 + index % 7 + weeks_ago
            )
    services.snapshots_refresh()
    return {"alpha": alpha, "beta": beta}


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """One council for the whole module (a refresh takes seconds): built inside a
    transaction that is rolled back at the end; each test runs in a savepoint in it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db):
    return shared_world


@pytest.fixture
def benchmarks(db):
    add_benchmarks()


def add_benchmarks() -> None:
    """DfE turnover for 2024: Demoshire (LEA 999) 20%, its group 10% and 30% (one under
    a merged code), another council 5%, the South East 14%, England 12%."""
    Council.objects.create(name="Demoshire", lea_code="999", region_name="South East")
    ComparatorGroup.objects.create(name="Neighbours", lea_codes=["998", "997"], is_default=True)
    rows = [
        ("National", "E92000001", "", "England", "12.0"),
        ("Regional", "E12000008", "", "South East", "14.0"),
        ("Local authority", "E1", "999", "Demoshire", "20.0"),
        ("Local authority", "E2", "998", "Neighbour A", "10.0"),
        ("Local authority", "E3", "997 / 996", "Neighbour B", "30.0"),
        ("Local authority", "E4", "995", "Elsewhere", "5.0"),
    ]
    for level, code, lea, name, value in rows:
        BenchmarkFigure.objects.create(
            time_period=2024,
            geographic_level=level,
            area_code=code,
            old_la_code=lea,
            area_name=name,
            region_name="South East" if level != "National" else "",
            measure="turnover_rate_fte",
            value=Decimal(value),
        )


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def get(client, page: str, query: str = ""):
    response = client.get(reverse(f"dashboards:{page}") + query)
    assert response.status_code == 200
    return response


# --- Pages and figures ------------------------------------------------------------------


def test_overview_tiles_show_value_target_rag_changes_and_definition(client_as, world):
    text = main_text(get(client_as(Role.DIRECTOR), "overview"))
    # 12 + 3 ASYE employed FTE and 3 agency FTE on the latest month end: 83.3% permanent.
    assert "Permanence rate (workers basis) 83.3%" in text
    assert "Target 85.0%" in text and "Close to target" in text
    assert "Agency rate 16.7%" in text
    assert "How this is calculated" in text and "100 - agency rate" in text
    assert "figures as of" in text and "Whole service" in text
    assert "Since " in text


def test_every_page_draws_its_charts_with_a_summary_table_and_csv_link(
    client_as, world, benchmarks
):
    client = client_as(Role.DIRECTOR)
    for page, charts in [
        ("trends", ["workforce-rates", "turnover", "starters-leavers"]),
        ("caseloads", ["weekly-caseloads"]),
        ("leavers", ["leavers-by-reason", "leavers-by-length-of-service", "asye-retention"]),
        ("benchmarks", ["benchmark-turnover-rate-fte"]),
    ]:
        html = get(client, page).content.decode()
        assert "/static/plotly/plotly.min.js" in html and "cdn.plot.ly" not in html
        for slug in charts:
            assert f'id="chart-{slug}"' in html, (page, slug)
            assert reverse("dashboards:chart-data", args=[page, slug]) in html
        assert html.count("Show the data as a table") >= len(charts)


def test_trends_show_the_permanence_target_line_and_monthly_points(client_as, world):
    response = get(client_as(Role.DIRECTOR), "trends", "?years=1")
    chart = next(c for c in response.context["charts"] if c.slug == "workforce-rates")
    assert "Permanence target" in chart.html
    assert 11 <= len(chart.rows) <= 13  # month ends in the 12 months to the date
    assert chart.rows[-1][1] == "83.3%"
    assert "The target is 85.0%." in chart.summary


def test_caseloads_table_per_team_with_direction_and_fte_change(client_as, world):
    response = get(client_as(Role.DIRECTOR), "caseloads")
    table = response.context["team_table"]
    teams = {row[0]: row for row in table["rows"]}
    assert set(teams) == {"Alpha", "Beta"}
    alpha = teams["Alpha"]
    assert alpha[-2] == "12.0"  # FTE of case-holders this week
    assert alpha[5] == "↓ down"  # one case fewer each than the week before
    text = main_text(response)
    assert "Teams in the week beginning" in text


def test_leavers_by_reason_length_of_service_and_asye_retention(client_as, world):
    response = get(client_as(Role.DIRECTOR), "leavers")
    charts = {c.slug: c for c in response.context["charts"]}
    reason = charts["leavers-by-reason"].rows
    assert reason[0][:2] == ["Resignation", "2"]
    assert reason[-1][:2] == ["All leavers", "2"]
    assert charts["leavers-by-length-of-service"].rows[2][1] == "2"  # 2 to under 3 years
    asye = charts["asye-retention"].rows
    assert len(asye) == 1 and asye[0][1] == "4"
    assert asye[0][2] == "3 (75.0%)"  # one of four left before the first anniversary


def test_benchmarks_rank_region_england_group_and_own_figures(client_as, world, benchmarks):
    response = get(client_as(Role.DIRECTOR), "benchmarks")
    chart = next(c for c in response.context["charts"] if c.slug == "benchmark-turnover-rate-fte")
    row = chart.rows[0]
    assert row[0] == "2023-24"
    assert row[1] == "20.0%" and row[3] == "14.0%" and row[4] == "12.0%"
    assert row[5] == "20.0%"  # median of 10 and 30 (merged code "997 / 996" found)
    assert row[6] == "3 of 4"  # 5, 10, 20, 30: third lowest
    assert row[7] == "2 of 3"
    assert "ranked 3 of 4 councils" in chart.summary


# --- Filters ------------------------------------------------------------------------------


def test_filters_in_the_url_change_the_scope_and_the_figures(client_as, world):
    client = client_as(Role.DIRECTOR)
    whole = main_text(get(client, "overview"))
    team = main_text(get(client, "overview", "?team=Beta"))
    assert "Team: Beta" in team and "Whole service" not in team
    assert "Agency rate 100.0%" in team and "Agency rate 16.7%" in whole
    area = main_text(get(client, "overview", "?area=Safeguarding"))
    assert "Service area: Safeguarding" in area and "Agency rate 0.0%" in area
    # Links to the other pages keep the filters.
    html = get(client, "overview", "?team=Beta").content.decode()
    assert f'href="{reverse("dashboards:trends")}?team=Beta"' in html


def test_a_bad_filter_is_named_and_the_page_still_shows_the_whole_service(client_as, world):
    response = get(client_as(Role.DIRECTOR), "overview", "?team=Nowhere&as_of=1999-01-31")
    text = main_text(response)
    assert "There is a problem" in text
    assert "Nowhere is not one of them" in text
    assert "there are no figures for 1999-01-31" in text
    assert "Whole service" in text and "Permanence rate" in text
    text = main_text(get(client_as(Role.DIRECTOR), "trends", "?years=7&role=99"))
    assert "Choose a trend period from the list: 7 is not one of them." in text
    assert "Choose a role group (DfE role) from the list: 99 is not one of them." in text


# --- Suppression ----------------------------------------------------------------------------


def test_scrutiny_members_never_see_a_small_count_or_a_figure_made_from_one(client_as, world):
    director = main_text(get(client_as(Role.DIRECTOR), "overview"))
    councillor = main_text(get(client_as(Role.SCRUTINY_MEMBER), "overview"))
    # Three agency workers: the agency and permanence rates would reveal them.
    assert "Agency rate 16.7%" in director
    assert (
        "Agency rate hidden" in councillor
        and "Permanence rate (workers basis) hidden" in councillor
    )
    assert "Counts under 5 are hidden" in councillor
    leavers = get(client_as(Role.SCRUTINY_MEMBER), "leavers")
    reason = {c.slug: c for c in leavers.context["charts"]}["leavers-by-reason"].rows
    assert reason[0][1:] == ["fewer than 5", "hidden (small numbers)", "hidden (small numbers)"]
    asye = {c.slug: c for c in leavers.context["charts"]}["asye-retention"].rows
    assert asye[0][1] == "fewer than 5"


def test_lead_members_get_suppression_too(client_as, world):
    text = main_text(get(client_as(Role.LEAD_MEMBER), "overview"))
    assert "Agency rate hidden" in text


def test_scrutiny_caseloads_hide_teams_under_the_threshold(client_as, world):
    response = get(client_as(Role.SCRUTINY_MEMBER), "caseloads")
    teams = {row[0]: row for row in response.context["team_table"]["rows"]}
    assert teams["Beta"][1:] == ["fewer than 5"] * 7  # 3 agency case-holders
    # Secondary suppression: the whole service's total is shown, so Alpha (15) is hidden
    # too, or 15 = total - Beta would give Beta away; its label says why.
    assert teams["Alpha"][1:] == ["hidden to protect another figure"] * 7
    overall = response.context["charts"][0].rows[-1]
    assert overall[1] not in ("fewer than 5", "hidden to protect another figure")
    assert overall[2] == overall[3] == "hidden (one person's figure)"  # highest, lowest
    director = get(client_as(Role.DIRECTOR), "caseloads")
    assert {row[0]: row for row in director.context["team_table"]["rows"]}["Beta"][6] == "3.0"


def test_a_service_manager_sees_exact_figures_only_for_their_own_teams(client_as, world):
    """Beta's 3 agency workers are small numbers: Beta's manager sees them, the manager
    of Alpha only as councillors do (and so for the whole service)."""
    beta_manager = client_as(Role.SERVICE_MANAGER, teams=[world["beta"]])
    own = main_text(get(beta_manager, "overview", "?team=Beta"))
    assert "Counts under 5 are hidden" not in own
    assert "Agency rate hidden" not in own
    alpha_manager = client_as(Role.SERVICE_MANAGER, teams=[world["alpha"]])
    other = main_text(get(alpha_manager, "overview", "?team=Beta"))
    assert "Counts under 5 are hidden" in other and "Agency rate hidden" in other
    whole = get(alpha_manager, "caseloads")
    teams = {row[0]: row for row in whole.context["team_table"]["rows"]}
    assert teams["Beta"][1:] == ["fewer than 5"] * 7
    own_team = main_text(get(alpha_manager, "overview", "?team=Alpha"))
    assert "Counts under 5 are hidden" not in own_team


# --- Freshness ------------------------------------------------------------------------------


def test_stale_figures_are_flagged_and_one_refresh_is_queued(
    client_as, world, monkeypatch, django_capture_on_commit_callbacks
):
    services.snapshots_mark_stale()  # what a committed change to workforce data does
    queued = []
    monkeypatch.setattr("dashboards.views.base.refresh_runs_in_process", lambda: False)
    monkeypatch.setattr("dashboards.tasks.refresh_kpi_snapshots.delay", lambda: queued.append(1))
    client = client_as(Role.DIRECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        text = main_text(get(client, "overview"))
        get(client, "trends")  # a second page view does not queue another
    assert "Figures are being updated" in text and "Reload the page in a minute" in text
    assert "manage.py" not in text  # commands are for administrators
    assert queued == [1]


def test_in_eager_mode_a_stale_page_queues_nothing(
    client_as, world, django_capture_on_commit_callbacks
):
    services.snapshots_mark_stale()  # what a committed change to workforce data does
    director = client_as(Role.DIRECTOR)
    with django_capture_on_commit_callbacks() as callbacks:
        text = main_text(get(director, "overview"))
    assert "Figures are being updated" in text and "ready tomorrow morning" in text
    assert "manage.py" not in text
    assert callbacks == []
    councillor = main_text(get(client_as(Role.SCRUTINY_MEMBER), "overview"))
    assert "Figures are being updated" in councillor and "manage.py" not in councillor
    admin = main_text(get(client_as(Role.ADMIN), "overview"))
    assert "No background worker is running" in admin and "manage.py refresh_kpis" in admin


# --- CSV --------------------------------------------------------------------------------------


def test_chart_data_csv_matches_the_table_and_keeps_the_filters(client_as, world):
    client = client_as(Role.DIRECTOR)
    url = reverse("dashboards:chart-data", args=["trends", "workforce-rates"]) + "?team=Beta"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0].endswith("Team: Beta")
    assert rows[1][0] == "Month end" and "Agency rate" in rows[1]
    assert rows[-1][2] == "100.0%"


def test_chart_data_csv_neutralises_spreadsheet_formulas(client_as, world):
    TeamFactory(name='=HYPERLINK("http://x")', service_area=world["alpha"].service_area)
    services.snapshots_refresh()
    client = client_as(Role.DIRECTOR)
    response = client.get(reverse("dashboards:chart-data", args=["trends", "turnover"]))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    team_csv = client.get(
        reverse("dashboards:chart-data", args=["leavers", "leavers-by-reason"])
        + "?team=%3DHYPERLINK(%22http://x%22)"
    )
    first = list(csv.reader(io.StringIO(team_csv.content.decode())))[0][0]
    assert first.startswith("'") or not first.startswith("=")


def test_chart_data_csv_for_scrutiny_is_suppressed(client_as, world):
    client = client_as(Role.SCRUTINY_MEMBER)
    url = reverse("dashboards:chart-data", args=["leavers", "leavers-by-reason"])
    text = client.get(url).content.decode()
    assert ",c," in text and ",2," not in text  # DfE's symbol in a file, with its key
    assert "c: hidden to protect confidentiality" in text


def test_unknown_chart_or_page_is_not_found(client_as, world):
    client = client_as(Role.DIRECTOR)
    assert client.get(reverse("dashboards:chart-data", args=["trends", "nope"])).status_code == 404
    assert (
        client.get(reverse("dashboards:chart-data", args=["nope", "turnover"])).status_code == 404
    )


# --- Other apps' sections --------------------------------------------------------------------


def test_overview_summarises_recommendations_by_committee_and_links_the_tracker(client_as, world):
    from recommendations.choices import DeliveryStatus
    from tests.recommendations.factories import (
        CommitteeFactory,
        ProgressUpdateFactory,
        RecommendationFactory,
        ReviewFactory,
    )

    review = ReviewFactory(committee=CommitteeFactory(name="Children's Select Committee"))
    delivered, in_progress, _silent = (RecommendationFactory(review=review) for _ in range(3))
    ProgressUpdateFactory(recommendation=delivered, status=DeliveryStatus.DELIVERED)
    ProgressUpdateFactory(recommendation=in_progress, status=DeliveryStatus.IN_PROGRESS)
    response = get(client_as(Role.SCRUTINY_MEMBER), "overview")
    assert response.context["recommendations"] == [
        {
            "council": "Demoshire County Council",
            "committee": "Children's Select Committee",
            "total": 3,
            "delivered": 1,
            "in_progress": 1,
            "other": 1,
            "overdue": response.context["recommendations"][0]["overdue"],
        }
    ]
    html = response.content.decode()
    assert "Scrutiny recommendations" in html and reverse("recommendations:tracker") in html


def test_no_recommendations_no_section(client_as, world):
    assert (
        "Scrutiny recommendations" not in get(client_as(Role.DIRECTOR), "overview").content.decode()
    )


def test_a_page_is_computed_once_until_the_figures_change(client_as, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(Role.SCRUTINY_MEMBER)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            get(client, "leavers")
        return len(captured)

    first, again = queries(), queries()
    assert again < first  # the leavers breakdown and cohorts were not read again
    services.snapshots_mark_stale()  # workforce data changed
    assert queries() > again  # computed again


def test_other_apps_kpi_families_have_a_section_with_suppression(client_as, world):
    from dashboards.kpis import FAMILIES

    expected = {name for name in FAMILIES if name != "workforce"}
    director = get(client_as(Role.DIRECTOR), "overview")
    assert {family["family"] for family in director.context["families"]} == expected
    html = director.content.decode()
    for family in director.context["families"]:
        assert f">{family['family'].capitalize()}</h2>" in html
    councillor = get(client_as(Role.SCRUTINY_MEMBER), "overview").context["families"]
    for family in councillor:
        for kpi in family["kpis"]:
            # 3 leavers in the year: exit interview shares would reveal them.
            if kpi["key"].startswith("exit_interview") and not kpi["hidden"]:
                assert kpi["value"] is None  # no agency leaver: no figure, nothing to hide
            if kpi["key"] == "exit_interview_offered_rate":
                assert kpi["hidden"] and kpi["display"] == "hidden"
            if kpi["unit"] == "people" and kpi["value"] is not None:
                assert not 0 < kpi["value"] < 5


def test_recruitment_funnel_and_time_to_hire_with_small_counts_hidden(client_as, world):
    from recruitment.models import Application  # noqa: F401  (the app is installed)

    director = get(client_as(Role.DIRECTOR), "recruitment")
    charts = {c.slug: c for c in director.context["charts"]}
    assert [row[0] for row in charts["recruitment-funnel"].rows] == [
        "Applications received",
        "Applicants interviewed",
        "Offers made",
        "Recruited starters",
    ]
    assert charts["recruitment-funnel"].rows[0][1] == "0 people"  # no applications here
    assert 'id="chart-time-to-hire"' in director.content.decode()
    councillor = get(client_as(Role.SCRUTINY_MEMBER), "recruitment")
    assert "Counts under 5 are hidden" in main_text(councillor)
