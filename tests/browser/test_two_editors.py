"""Two HR officers edit the same person in two real browsers (Playwright, system Chromium):
the second save is refused with who changed what, keeps what they typed, and the first
change stands (issue 17: no lost updates)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from core.roles import Role
from tests.factories import PersonFactory
from workforce.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def _signed_in(browser: Browser, live_server, username: str):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-phase-banner")).to_contain_text("Signed in as")
    return page


def test_the_second_of_two_saves_is_refused_and_nothing_is_lost(
    browser: Browser, live_server, make_user
):
    person = PersonFactory(first_name="Ann", last_name="Smith")
    for username, first, last in (("sam", "Sam", "Patel"), ("jo", "Jo", "Brown")):
        user = make_user(Role.HR_OFFICER, username=username, password=PASSWORD)
        user.first_name, user.last_name = first, last
        user.save()
    edit = f"{live_server.url}/workforce/people/{person.pk}/edit/"
    sam, jo = (_signed_in(browser, live_server, name) for name in ("sam", "jo"))
    sam.goto(edit)
    jo.goto(edit)

    sam.get_by_label("Last name").fill("Jones")
    sam.get_by_role("button", name="Save details").click()
    expect(sam.locator(".govuk-notification-banner--success")).to_be_visible()

    jo.get_by_label("First name").fill("Anne")
    jo.get_by_role("button", name="Save details").click()
    summary = jo.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Sam Patel changed this record at")
    expect(summary).to_contain_text("Last name: Smith → Jones")
    expect(jo.get_by_label("First name")).to_have_value("Anne")
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Ann", "Jones")

    # Having seen Sam's change, Jo keeps it and saves again: accepted.
    jo.get_by_label("Last name").fill("Jones")
    jo.get_by_role("button", name="Save details").click()
    expect(jo.locator(".govuk-notification-banner--success")).to_be_visible()
    assert Person.objects.filter(pk=person.pk, first_name="Anne", last_name="Jones").exists()
