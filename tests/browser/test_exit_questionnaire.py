"""A leaver completes the exit questionnaire through the one-time link in a real browser
(Playwright driving the system Chromium), then the HR officer sees the answers and the
suggested themes. The link's pages pass axe; the link does not work a second time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.roles import Role
from exits.models import ExitQuestionnaire
from exits.services import exit_themes_ensure_defaults
from tests.browser.axe import assert_accessible
from tests.factories import PersonFactory, employ

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-phase-banner")).to_contain_text(f"Signed in as {username}")


def test_leaver_completes_the_questionnaire_through_the_link(
    page: Page, live_server, make_user, browser
):
    exit_themes_ensure_defaults()
    leaver = PersonFactory(first_name="Amara", last_name="Okonkwo-Leaving")
    employ(
        person=leaver, start=dt.date(2021, 9, 6), end=timezone.localdate() - dt.timedelta(days=3)
    )
    make_user(Role.HR_OFFICER, username="hr.exits", password=PASSWORD)
    base = live_server.url

    # The HR officer makes the one-time link from the leaver's exit record.
    sign_in(page, base, "hr.exits")
    page.get_by_role("link", name="Exit interviews").first.click()
    page.get_by_role("link", name="Not yet offered").click()
    page.get_by_role("link", name="Amara Okonkwo-Leaving").click()
    page.get_by_role("link", name="Send a questionnaire link").click()
    page.get_by_role("button", name="Make the link").click()
    link = page.locator("#questionnaire-link").inner_text().strip()
    assert "/exits/q/" in link

    # The leaver, with no account, opens it in their own browser.
    leaver_context = browser.new_context()
    leaver_page = leaver_context.new_page()
    leaver_page.goto(link)
    expect(
        leaver_page.get_by_role("heading", name="Why are you leaving?", exact=True)
    ).to_be_visible()
    expect(leaver_page.locator("body")).not_to_contain_text("Okonkwo")
    assert_accessible(leaver_page)
    leaver_page.get_by_label("Workload and caseload").check()
    leaver_page.get_by_label("Management and supervision").check()
    leaver_page.get_by_role("group", name="I feel safe").get_by_label("2 - disagree").check()
    leaver_page.get_by_role("group", name="I feel happy to go to work").get_by_label(
        "1 - strongly disagree"
    ).check()
    leaver_page.get_by_label("Agency social work").check()
    leaver_page.get_by_role("group", name="Would you come back to work for us?").get_by_label(
        "Not sure"
    ).check()
    leaver_page.get_by_label("Is there anything else you want to tell us?").fill(
        "My caseload was over 30 and I was bullied when I raised it."
    )
    leaver_page.get_by_role("button", name="Send your answers").click()
    expect(leaver_page.locator(".govuk-panel")).to_contain_text("Thank you")

    # The same link does not work again, and shows nothing.
    leaver_page.goto(link)
    expect(leaver_page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(leaver_page)
    leaver_context.close()
    assert ExitQuestionnaire.objects.get().score_safe == 2

    # The officer sees the answers and the themes the keyword rules suggest.
    page.goto(f"{base}/exits/?status=completed")
    page.get_by_role("link", name="Amara Okonkwo-Leaving").click()
    expect(page.locator("#free-text")).to_contain_text("I was bullied when I raised it")
    expect(page.locator(".govuk-summary-list").last).to_contain_text(
        "Workload and caseload; Management and supervision"
    )
    page.get_by_role("link", name="Code the themes").click()
    expect(page.locator("#suggestions")).to_contain_text("Discrimination, bullying or racism")
    expect(page.get_by_label("Discrimination, bullying or racism")).to_be_checked()
    page.get_by_role("button", name="Confirm themes").click()
    expect(page.locator(".govuk-summary-list").last).to_contain_text(
        "Discrimination, bullying or racism"
    )

    # The analysis page counts the answer (HR sees it unsuppressed) and passes axe.
    page.goto(f"{base}/exits/analysis/?by=length_of_service")
    expect(page.locator("#themes-table")).to_contain_text("Discrimination, bullying or racism")
    assert_accessible(page)
