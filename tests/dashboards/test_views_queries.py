"""Dashboard pages on councils of their own: a constant number of queries whatever the
data size, red RAG far from the target, and a council with no figures yet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from dashboards import services
from tests.dashboards.test_views import PAGES, TODAY, benchmarks, build_world, get, main_text
from tests.factories import ServiceAreaFactory, TeamFactory, employ
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db

START = TODAY - dt.timedelta(days=400)  # a shorter history: quicker refreshes
__all__ = ["benchmarks"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_overview_rag_red_when_far_below_the_target(client_as):
    build_world(employed=3, agency=6, leavers=0, start=START)
    text = main_text(get(client_as(Role.DIRECTOR), "overview"))
    # 3 + 3 ASYE employed against 6 agency: half the workforce is permanent.
    assert "Permanence rate (workers basis) 50.0%" in text and "Off target" in text


def test_no_figures_yet_says_so_without_numbers(client_as):
    for page in PAGES:
        text = main_text(get(client_as(Role.SCRUTINY_MEMBER), page))
        assert "have not been calculated yet" in text
        assert "Filter the figures" not in text


def _queries(client, page: str) -> int:
    """Queries of ``page`` computed afresh: an empty cache (so the session and the user's
    groups are read again too, on every page alike)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        get(client, page)
    return len(captured)


@pytest.mark.parametrize("role", [Role.SCRUTINY_MEMBER, Role.DIRECTOR])
def test_each_page_runs_the_same_number_of_queries_whatever_the_data_size(
    client_as, benchmarks, role
):
    build_world(employed=6, agency=2, leavers=1, start=START)
    client = client_as(role)
    get(client, "overview")  # Django's per-process caches (content types) filled
    small = {page: _queries(client, page) for page in PAGES}
    gamma = TeamFactory(name="Gamma", service_area=ServiceAreaFactory(name="Early Help"))
    for _ in range(25):
        worker = employ(team=gamma, start=START)
        workforce_services.caseload_record(employment=worker, date=TODAY, cases=12)
        employ(team=gamma, start=START, end=TODAY - dt.timedelta(days=40), reason=5)
        employ(team=gamma, start=START + dt.timedelta(days=20), is_asye=True)
    services.snapshots_refresh()
    large = {page: _queries(client, page) for page in PAGES}
    assert large == small
    assert max(small.values()) <= 16, small
