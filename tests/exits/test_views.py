"""Exits pages as users see them: small-number suppression on the councillors' page
(secondary suppression included), the one-time link in the browser's place (valid once,
expired, reused, guessed, rate-limited), the officer's pages and who sees what."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from exits import services
from exits.models import ExitQuestionnaire, ExitRecord, ExitTheme
from tests.factories import PersonFactory, TeamFactory, employ

pytestmark = pytest.mark.django_db

PERIOD = "?start=2024-01-01&end=2024-12-31"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def table(response, table_id: str) -> dict[str, list[str]]:
    """A table of the page as {row heading: [cell texts]}, header row under ""."""
    tree = lxml.html.fromstring(response.content.decode())
    found = tree.get_element_by_id(table_id)
    rows = {}
    for tr in found.iter("tr"):
        cells = [" ".join(c.text_content().split()) for c in tr if c.tag in ("th", "td")]
        rows["" if tr.getparent().tag == "thead" else cells[0]] = cells[1:]
    return rows


def leavers(n: int, *, reason: int = 1, team=None, themes=(), start=dt.date(2020, 1, 6)):
    """``n`` employed leavers in 2024 who answered, giving ``themes`` as reasons."""
    made = []
    for i in range(n):
        employment = employ(
            team=team, start=start, end=dt.date(2024, 3, 1) + dt.timedelta(days=i), reason=reason
        )
        services.questionnaire_submit(
            exit_record=employment.exit_record,
            answers={"free_text": f"Private words {employment.person.last_name}"},
            reasons=ExitTheme.objects.filter(name__in=themes),
        )
        made.append(employment)
    return made


# --- Suppression on the councillors' page --------------------------------------------


def test_scrutiny_members_see_small_counts_hidden_with_secondary_suppression(client_as):
    leavers(8, reason=1)  # resignation
    leavers(2, reason=5)  # retired: fewer than 5
    leavers(6, reason=4)  # dismissed: hidden too, or 16 - 8 - 6 would reveal the 2
    page = client_as(Role.SCRUTINY_MEMBER).get(reverse("exits:analysis") + PERIOD)
    assert page.status_code == 200
    reasons = table(page, "reasons")
    assert reasons["Resignation"][0] == "8"
    assert reasons["Retired"][0] == "fewer than 5"
    assert reasons["Dismissed"][0] == "hidden to protect another figure"  # 6: secondary
    assert reasons["Total"][0] == "16"
    assert "Private words" not in page.content.decode()


def test_hr_officers_see_the_same_table_unsuppressed(client_as):
    leavers(8, reason=1)
    leavers(2, reason=5)
    leavers(6, reason=4)
    page = client_as(Role.HR_OFFICER).get(reverse("exits:analysis") + PERIOD)
    reasons = table(page, "reasons")
    assert (reasons["Retired"][0], reasons["Dismissed"][0]) == ("2", "6")
    assert "suppression-note" not in page.content.decode()


def test_theme_grid_hides_a_small_team_and_its_partner_for_councillors(client_as):
    north, south = TeamFactory(name="North"), TeamFactory(name="South")
    leavers(3, team=north, themes=["Pay"])
    leavers(7, team=south, themes=["Pay"])
    url = reverse("exits:analysis") + PERIOD + "&by=team"
    grid = table(client_as(Role.LEAD_MEMBER).get(url), "themes-table")
    assert grid[""] == ["North", "South", "All"]
    partner = "hidden to protect another figure"  # 7, or 10 - 7 would reveal the 3
    assert grid["Pay"] == ["fewer than 5", partner, "10"]
    assert grid["Leavers who answered"] == ["fewer than 5", partner, "10"]
    full = table(client_as(Role.DIRECTOR).get(url), "themes-table")
    assert full["Pay"] == ["3", "7", "10"]


def test_service_managers_see_only_their_teams_themes_suppressed(client_as):
    mine, other = TeamFactory(name="Mine"), TeamFactory(name="Other")
    leavers(6, team=mine, themes=["Culture"])
    leavers(5, team=other, themes=["Pay"])
    page = client_as(Role.SERVICE_MANAGER, teams=[mine]).get(
        reverse("exits:analysis") + PERIOD + "&by=team"
    )
    grid = table(page, "themes-table")
    assert grid[""] == ["Mine", "All"]
    assert grid["Culture"] == ["6", "6"] and grid["Pay"] == ["0", "0"]
    assert "Private words" not in page.content.decode()


def test_leaving_within_years_is_hidden_when_a_band_inside_is(client_as):
    leavers(2, start=dt.date(2023, 9, 1))  # under 1 year
    leavers(6, start=dt.date(2022, 9, 1))  # 1 to under 2
    leavers(7, start=dt.date(2019, 9, 1))  # 4 years
    page = client_as(Role.SCRUTINY_MEMBER).get(reverse("exits:analysis") + PERIOD)
    text = " ".join(
        lxml.html.fromstring(page.content).get_element_by_id("within-years").text_content().split()
    )
    assert "within 1 year of starting: fewer than 5" in text
    assert "within 2 years of starting: fewer than 5" in text  # 8 would reveal the 2
    hr = client_as(Role.HR_OFFICER).get(reverse("exits:analysis") + PERIOD)
    text = " ".join(
        lxml.html.fromstring(hr.content).get_element_by_id("within-years").text_content().split()
    )
    assert "within 2 years of starting: 8" in text


def test_a_bad_period_is_explained_not_a_crash(client_as):
    page = client_as(Role.HR_OFFICER).get(
        reverse("exits:analysis") + "?start=2024-12-01&end=2024-01-01"
    )
    assert page.status_code == 200
    assert "The end of the period cannot be before its start." in page.content.decode()


# --- The leaver's one-time link ---------------------------------------------------------


def _link(**kwargs):
    employment = employ(
        person=PersonFactory(last_name="Featherstonehaugh"), end=dt.date(2025, 3, 31)
    )
    _, token = services.questionnaire_link_create(exit_record=employment.exit_record, **kwargs)
    return employment.exit_record, reverse("exits:questionnaire", kwargs={"token": token})


def test_the_link_shows_the_questionnaire_and_nothing_about_the_leaver(client):
    _, url = _link()
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Why are you leaving?" in body and "I feel safe" in body
    assert "Featherstonehaugh" not in body
    assert page["Cache-Control"] == "no-store"


def test_the_link_works_once(client):
    record, url = _link()
    pay = ExitTheme.objects.get(name="Pay")
    response = client.post(
        url,
        {
            "reasons": [pay.pk],
            "score_safe": "2",
            "destination": "agency",
            "free_text": "Better pay elsewhere",
        },
    )
    assert "Your answers have been sent" in response.content.decode()
    questionnaire = ExitQuestionnaire.objects.get(exit_record=record)
    assert questionnaire.completed_through_link and questionnaire.score_safe == 2
    assert list(questionnaire.reasons.all()) == [pay]
    again = client.get(url)
    assert again.status_code == 404
    assert "This link does not work" in again.content.decode()
    assert client.post(url, {"free_text": "twice"}).status_code == 404
    assert ExitQuestionnaire.objects.count() == 1


def test_an_expired_link_gets_the_plain_page(client):
    _, url = _link(now=timezone.now() - dt.timedelta(days=30))
    page = client.get(url)
    assert page.status_code == 404
    assert "This link does not work" in page.content.decode()
    assert "Featherstonehaugh" not in page.content.decode()


def test_a_guessed_link_gets_the_plain_page(client):
    _link()
    page = client.get(reverse("exits:questionnaire", kwargs={"token": "a" * 43}))
    assert page.status_code == 404 and "This link does not work" in page.content.decode()


def test_too_many_failed_tries_from_one_address_are_refused_even_with_a_good_link(client, settings):
    settings.EXIT_LINK_MAX_FAILURES = 3
    _, url = _link()
    for n in range(3):
        assert (
            client.get(reverse("exits:questionnaire", kwargs={"token": f"guess{n}"})).status_code
            == 404
        )
    blocked = client.get(url)
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.content.decode()
    other = client.get(url, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_a_bad_answer_is_shown_next_to_the_question(client):
    record, url = _link()
    page = client.post(url, {"score_happy": "9"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert not ExitQuestionnaire.objects.filter(exit_record=record).exists()


# --- The officer's pages ---------------------------------------------------------------


def test_hr_makes_a_link_that_is_shown_once(client_as):
    employment = employ(end=dt.date(2025, 3, 31))
    hr = client_as(Role.HR_OFFICER)
    page = hr.post(reverse("exits:link-create", kwargs={"pk": employment.exit_record.pk}))
    body = page.content.decode()
    assert "Copy this link now" in body
    link_url = lxml.html.fromstring(body).get_element_by_id("questionnaire-link").text_content()
    hr.logout()
    assert hr.get(link_url).status_code == 200


def test_coding_page_suggests_themes_and_the_officer_confirms(client_as):
    employment = leavers(1, themes=[])[0]
    questionnaire = employment.exit_record.questionnaire
    questionnaire.free_text = "I was bullied and the parking was impossible"
    questionnaire.save()
    hr = client_as(Role.HR_OFFICER)
    url = reverse("exits:coding", kwargs={"pk": employment.exit_record.pk})
    page = hr.get(url).content.decode()
    suggestions = lxml.html.fromstring(page).get_element_by_id("suggestions").text_content()
    assert "Discrimination, bullying or racism" in suggestions and "bullied" in suggestions
    assert "Travel, parking and car costs" in suggestions
    bullying = ExitTheme.objects.get(name="Discrimination, bullying or racism")
    response = hr.post(
        url, {"themes": [bullying.pk], "quote": "I was bullied", "quote_approved": "on"}
    )
    assert response.status_code == 302
    questionnaire.refresh_from_db()
    assert list(questionnaire.themes.all()) == [bullying] and questionnaire.quote_approved


def test_officer_fills_in_the_questionnaire_and_sees_the_answers(client_as):
    employment = employ(end=dt.date(2025, 3, 31))
    hr = client_as(Role.HR_OFFICER)
    pk = employment.exit_record.pk
    response = hr.post(
        reverse("exits:questionnaire-enter", kwargs={"pk": pk}),
        {"score_supported": "1", "would_return": "no", "free_text": "No supervision for months"},
    )
    assert response.status_code == 302
    detail = hr.get(reverse("exits:record-detail", kwargs={"pk": pk})).content.decode()
    assert "No supervision for months" in detail
    assert ExitRecord.objects.get(pk=pk).completed_on == timezone.localdate()


def test_the_record_list_shows_overdue_leavers(client_as):
    late = employ(
        person=PersonFactory(last_name="Overdue"), end=timezone.localdate() - dt.timedelta(days=60)
    )
    employ(
        person=PersonFactory(last_name="Recent"), end=timezone.localdate() - dt.timedelta(days=2)
    )
    page = client_as(Role.HR_OFFICER).get(reverse("exits:record-list") + "?status=overdue")
    body = page.content.decode()
    assert "Overdue" in body and late.person.last_name in body and "Recent" not in body


def test_directors_see_aggregates_but_not_answers(client_as):
    employment = leavers(1)[0]
    director = client_as(Role.DIRECTOR)
    assert (
        director.get(
            reverse("exits:record-detail", kwargs={"pk": employment.exit_record.pk})
        ).status_code
        == 403
    )
    assert director.get(reverse("exits:analysis")).status_code == 200


def test_the_offer_form_reports_every_problem(client_as):
    employment = employ(end=dt.date(2025, 3, 31))
    page = client_as(Role.HR_OFFICER).post(
        reverse("exits:record-edit", kwargs={"pk": employment.exit_record.pk}),
        {
            "offered_on": "2025-04-10",
            "completed_on": "2025-04-01",
            "response": "declined",
            "version": 1,
        },
    )
    body = page.content.decode()
    assert "Choose how the exit interview was offered." in body
    assert "cannot be before the offer" in body
    assert "A declined interview cannot have a completed date." in body


@pytest.mark.parametrize(
    "by",
    [
        "quarter",
        "team",
        "service_area",
        "length_of_service",
        "route",
        "ethnicity",
        "gender",
        "contract",
    ],
)
def test_every_breakdown_of_themes_shows(client_as, by):
    leavers(2, themes=["Pay"])
    page = client_as(Role.SCRUTINY_MEMBER).get(reverse("exits:analysis") + PERIOD + f"&by={by}")
    assert page.status_code == 200
    assert table(page, "themes-table")["Pay"][-1] == "fewer than 5"


def test_an_unknown_breakdown_is_a_message_not_a_crash(client_as):
    page = client_as(Role.HR_OFFICER).get(reverse("exits:analysis") + "?by=postcode")
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_hr_edits_a_themes_keyword_rules_on_the_page(client_as):
    hr = client_as(Role.HR_OFFICER)
    pay = ExitTheme.objects.get(name="Pay")
    url = reverse("exits:theme-edit", kwargs={"pk": pay.pk})
    refused = hr.post(url, {"name": "Culture", "keywords": "pay", "is_active": "on"})
    assert "There is already a theme called" in refused.content.decode()
    saved = hr.post(url, {"name": "Pay", "keywords": "pay\nremuneration", "is_active": "on"})
    assert saved.status_code == 302
    pay.refresh_from_db()
    assert pay.phrases == ["pay", "remuneration"]
