"""The caseloads page when the current week is only partly entered (issue 12, part 4):
the headline is the latest complete week, the week in progress says how many teams have
entered, and a team yet to enter says "not entered" rather than a zero FTE and a change
of minus its FTE."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from dashboards import services
from tests.factories import TeamFactory, employ
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
LAST_MONDAY = THIS_MONDAY - dt.timedelta(days=7)


def label(date: dt.date) -> str:
    return date.strftime("%-d %b %Y")


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def partly_entered():
    """North (18 case-holders, 15 cases each), South (6, 10 each) and East (6, 20 each)
    all entered last week; this week only East has entered so far (today)."""
    start = LAST_MONDAY - dt.timedelta(days=40)
    staff = {
        name: [employ(team=TeamFactory(name=name), start=start) for _ in range(size)]
        for name, size in (("North", 18), ("South", 6))
    }
    east = TeamFactory(name="East")
    staff["East"] = [employ(team=east, start=start) for _ in range(6)]
    cases = {"North": 15, "South": 10, "East": 20}
    for name, workers in staff.items():
        for worker in workers:
            workforce_services.caseload_record(
                employment=worker, date=LAST_MONDAY + dt.timedelta(days=2), cases=cases[name]
            )
    for worker in staff["East"]:
        workforce_services.caseload_record(employment=worker, date=TODAY, cases=21)
    services.snapshots_refresh()


def test_the_headline_is_the_latest_complete_week(client_as, partly_entered):
    response = client_as(Role.DIRECTOR).get(reverse("dashboards:caseloads"))
    assert response.status_code == 200
    chart = response.context["charts"][0]
    # (18 x 15 + 6 x 10 + 6 x 20) / 30 = 15.0, not East's 21.0 alone
    assert chart.summary.startswith(f"In the week of {label(LAST_MONDAY)} the average caseload")
    assert "15.0 cases per social worker" in chart.summary
    assert f"Week beginning {label(THIS_MONDAY)}: 1 of 3 teams have entered" in chart.summary
    assert chart.rows[-1][0] == label(THIS_MONDAY) and chart.rows[-1][-1] == "1 of 3 teams"
    assert chart.rows[-2][-1] == "3 of 3 teams"


def test_teams_yet_to_enter_say_not_entered(client_as, partly_entered):
    response = client_as(Role.DIRECTOR).get(reverse("dashboards:caseloads"))
    table = response.context["team_table"]
    assert table["week"] == THIS_MONDAY
    rows = {row[0]: row for row in table["rows"]}
    assert rows["North"][1:] == ["not entered"] * 7
    assert rows["South"][1:] == ["not entered"] * 7
    assert rows["East"][1] == "21.0" and rows["East"][-1] == "0.0"  # FTE unchanged
    text = main_text(response)
    assert "-18" not in text and "Caseloads entered by 1 of 3 teams." in text


def test_councillors_see_the_page_with_teams_not_entered(client_as, partly_entered):
    response = client_as(Role.SCRUTINY_MEMBER).get(reverse("dashboards:caseloads"))
    assert response.status_code == 200
    rows = {row[0]: row for row in response.context["team_table"]["rows"]}
    assert rows["North"][1] == "not entered"
