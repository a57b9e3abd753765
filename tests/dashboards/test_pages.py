"""The dashboard pages' figures without HTTP: each page module's function takes the
filters and who is looking (suppressed or not) and gives the charts, rows and summaries
the page renders. The views only read the request, call it and render."""

from __future__ import annotations

import pytest
from django.db import transaction

from dashboards import selectors
from dashboards.kpis import Scope
from dashboards.views import chart_data
from dashboards.views.base import PAGES
from dashboards.views.benchmarks import benchmarks_page
from dashboards.views.caseloads import caseloads_page
from dashboards.views.leavers import leavers_page
from dashboards.views.overview import overview_page
from dashboards.views.trends import trends_page
from tests.dashboards.test_views import build_world
from workforce.disclosure import Audience

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(scope="module")
def shared_as_of(django_db_setup, django_db_blocker):
    """One council for the module (``test_views.build_world``), rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_world(employed=12, agency=3, leavers=2)
            yield selectors.snapshot_month_ends()[0]
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_of(shared_as_of, db):
    return shared_as_of


def by_slug(built: dict) -> dict:
    return {chart.slug: chart for chart in built["charts"]}


def test_leavers_figures_for_named_and_suppressed_audiences(as_of):
    named = by_slug(
        leavers_page(as_of=as_of, scope=Scope("all"), years=3, limit=LIMIT, suppress=False)
    )
    assert named["leavers-by-reason"].rows[0][:2] == ["Resignation", "2"]
    assert named["leavers-by-reason"].summary.endswith(
        "2 leavers; the largest group was Resignation (100.0%)."
    )
    hidden = by_slug(
        leavers_page(as_of=as_of, scope=Scope("all"), years=3, limit=LIMIT, suppress=True)
    )
    assert hidden["leavers-by-reason"].rows[0][1] == "fewer than 5"
    assert "2 leavers" not in hidden["leavers-by-reason"].summary


def test_trends_charts_and_summaries(as_of):
    built = by_slug(
        trends_page(as_of=as_of, scope=Scope("all"), years=1, limit=LIMIT, suppress=False)
    )
    assert list(built) == ["workforce-rates", "turnover", "starters-leavers"]
    rates = built["workforce-rates"]
    assert rates.summary.startswith("Permanence rate")
    assert rates.rows[-1][0] == as_of.strftime("%-d %b %Y")
    assert len(rates.rows[0]) == len(rates.columns)


def test_caseloads_team_table_and_one_persons_figures(as_of):
    named = caseloads_page(
        as_of=as_of,
        scope=Scope("all"),
        limit=LIMIT,
        suppress=False,
        audience=Audience.named(),
        latest=True,
    )
    teams = {row[0]: row for row in named["team_table"]["rows"]}
    assert set(teams) == {"Alpha", "Beta"}
    assert teams["Beta"][6] == "3.0"  # three agency workers, 1 FTE each
    councillor = caseloads_page(
        as_of=as_of,
        scope=Scope("all"),
        limit=LIMIT,
        suppress=True,
        audience=Audience.councillor(),
        latest=True,
    )
    overall = councillor["charts"][0].rows[-1]
    # the highest and lowest caseloads are one person's figure each
    assert overall[2] == overall[3] == "hidden (one person's figure)"


def test_overview_tiles_hide_what_a_small_count_reveals(as_of):
    def tile(suppress: bool) -> dict:
        built = overview_page(as_of=as_of, scope=Scope("all"), limit=LIMIT, suppress=suppress)
        return next(t for t in built["tiles"] if t["key"] == "agency_rate")

    assert tile(False)["hidden"] is False and tile(False)["value"] is not None
    assert tile(True)["hidden"] is True


def test_benchmarks_without_dfe_figures_draw_no_chart(db):
    assert benchmarks_page(limit=LIMIT, suppress=False)["charts"] == []


def test_every_page_with_charts_has_its_csv():
    with_charts = {name for name, _ in PAGES} - {"overview", "forecast"}
    assert set(chart_data.PAGE_VIEWS) == with_charts
