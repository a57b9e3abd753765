"""The exits dashboard page: the themes leavers gave in the 12 months to the date
(small counts hidden from councillors), exit interview coverage over time, and figures
that follow the exit questionnaires without waiting for a KPI refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from dashboards import services
from exits import services as exits_services
from exits.models import ExitTheme
from tests.dashboards.test_views import get, main_text
from tests.factories import ServiceAreaFactory, TeamFactory, employ

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HIDDEN = "hidden (small numbers)"


@pytest.fixture(autouse=True)
def default_exit_themes(db):
    exits_services.exit_themes_ensure_defaults()


def answered(n: int, *, themes: tuple[str, ...], team, days_ago: int = 60) -> list:
    """``n`` social workers of ``team`` who left ``days_ago`` days ago and answered the
    questionnaire giving ``themes``."""
    questionnaires = []
    for index in range(n):
        employment = employ(
            team=team,
            start=TODAY - dt.timedelta(days=900),
            end=TODAY - dt.timedelta(days=days_ago + index),
            reason=1,
        )
        questionnaires.append(
            exits_services.questionnaire_submit(
                exit_record=employment.exit_record,
                answers={"free_text": f"Private words of {employment.person.last_name}"},
                reasons=ExitTheme.objects.filter(name__in=themes),
            )
        )
    return questionnaires


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two teams' leavers and their answers, with the KPI snapshots refreshed: built once
    for the module inside a transaction rolled back after it (each test runs in a
    savepoint of it, so what a test changes is undone before the next)."""
    with django_db_blocker.unblock(), transaction.atomic():
        exits_services.exit_themes_ensure_defaults()
        alpha = TeamFactory(name="Alpha", service_area=ServiceAreaFactory(name="Safeguarding"))
        beta = TeamFactory(name="Beta", service_area=ServiceAreaFactory(name="Children in Care"))
        for _ in range(8):
            employ(team=alpha, start=TODAY - dt.timedelta(days=900))
        made = answered(6, themes=("Workload and caseload",), team=alpha)
        made += answered(2, themes=("Pay", "Workload and caseload"), team=beta)
        services.snapshots_refresh()
        yield {"alpha": alpha, "beta": beta, "questionnaires": made}
        transaction.set_rollback(True)


def themes(response) -> dict[str, str]:
    chart = next(c for c in response.context["charts"] if c.slug == "exit-themes")
    return dict(chart.rows)


def test_directors_see_every_theme_and_councillors_no_small_count(client_as, world):
    director = get(client_as(Role.DIRECTOR), "exits")
    assert themes(director)["Workload and caseload"] == "8"
    assert themes(director)["Pay"] == "2"
    text = main_text(director)
    assert "8 leavers answered the exit questionnaire" in text
    assert "Workload and caseload (8)" in text
    assert "Exit interview coverage" in text
    assert "Private words" not in director.content.decode()

    councillor = get(client_as(Role.SCRUTINY_MEMBER), "exits")
    assert themes(councillor)["Workload and caseload"] == "8"
    assert themes(councillor)["Pay"] == HIDDEN
    assert "Pay (2)" not in main_text(councillor)
    assert "Pay (hidden)" in councillor.content.decode()  # the chart's label: no bar
    assert "Pay (hidden)" not in director.content.decode()


def test_a_team_with_few_answers_hides_every_theme_from_councillors(client_as, world):
    councillor = get(client_as(Role.SCRUTINY_MEMBER), "exits", "?team=Beta")
    assert set(themes(councillor).values()) == {HIDDEN}
    assert "Fewer than 5 leavers answered" in main_text(councillor)
    director = get(client_as(Role.DIRECTOR), "exits", "?team=Beta")
    assert themes(director)["Pay"] == "2" and themes(director)["Workload and caseload"] == "2"


def test_role_scopes_say_the_themes_are_the_whole_services(client_as, world):
    text = main_text(get(client_as(Role.DIRECTOR), "exits", "?caseholding=on"))
    assert "the themes below are the whole service's" in text


def test_themes_confirmed_by_an_officer_show_at_once(client_as, world):
    """Coding an answer changes no workforce record (the KPI snapshots stay current), so
    the page's cache key follows the questionnaires too."""
    director = client_as(Role.DIRECTOR)
    assert themes(get(director, "exits"))["Pay"] == "2"
    exits_services.questionnaire_code(
        questionnaire=world["questionnaires"][0], themes=ExitTheme.objects.filter(name="Pay")
    )
    assert not services.snapshots_status().is_stale
    assert themes(get(director, "exits"))["Pay"] == "3"
