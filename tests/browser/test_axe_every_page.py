"""axe-core on every page each role can open, forms shown with their errors included.

One seeded world (the permission matrix's ``build_world``, plus enough people and
vacancies for their lists to have a second page, so the one pagination include is checked
too) and one live server. For each role, every HTML page the permission matrix says the role may
open (``tests/**/permissions*.py``, 200 on GET; downloads and the API left out) is opened
in Chromium and checked with axe (WCAG 2.0-2.2 A and AA and best practice, serious and
critical, as ``tests/browser/axe.py``). Lists are opened both with the matrix's filters
and without, so their pagination shows. Each page with a form that writes (POST) is then
sent once with its boxes emptied, and the page showing the errors is checked too.

To stay fast, a page whose content (``<main>``) is exactly what an earlier role was shown
is not checked again (same markup, same result); each role's own header and navigation
are checked with the whole of its first page, and on every other page axe checks
``<main>`` (a fifth quicker), which holds everything that differs from page to page and
by role (buttons, forms, suppressed figures), and the test checks what only the whole
page has: a title and a main heading.

Every problem found is listed at the end, by role and page, so one run shows them all.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from core.roles import Role
from tests.browser.axe import axe_in_every_document, axe_violations, describe
from tests.factories import PersonFactory, employ

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Pages that are files, not HTML (opened by the matrix, not by axe).
DOWNLOADS = {"recommendations:tracker-docx", "recommendations:tracker-xlsx"}
#: Lists opened without filters too (names of the permission matrix); people and
#: vacancies are long enough in the world below to show the pagination component.
PAGINATED = {"workforce:person-list", "recruitment:vacancy-list", "exits:record-list"}
#: What differs between two renderings of the same content (the CSRF token).
MAIN_ID = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
#: The first form in <main> that writes (POST) and has any box to fill.
FORM = """[...document.querySelectorAll("main form")].filter(
  (f) => (f.getAttribute("method") || "").toLowerCase() === "post" &&
    f.querySelector("input:not([type=hidden]):not([type=submit]), select, textarea"))[0]"""
#: What the test reads from a page, in one round trip: its own content (``<main>``; a
#: role's header and navigation are checked on its first page), whether it has a title and a
#: main heading, and whether it has a form to send empty.
PAGE_FACTS = (
    "() => ({main: (document.querySelector('main') || document.body).outerHTML,"
    " titled: Boolean(document.title.trim() && document.querySelector('h1')),"
    " form: Boolean(" + FORM + ")})"
)
#: Empty that form's boxes and send it.
SEND_EMPTY = (
    "() => { const form = " + FORM + ";"
    """
  for (const el of form.elements) {
    if (["hidden", "submit", "button"].includes(el.type) || el.tagName === "BUTTON") continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = false;
    else el.value = "";
  }
  HTMLFormElement.prototype.submit.call(form);
}"""
)


def _pages_by_role(world) -> dict[Role, list[tuple[str, str]]]:
    """(name, url) of every HTML page each role may open, from the permission matrix."""
    from django.urls import reverse

    from tests.test_permission_matrix import EXPECTED, URLS, _url

    pages: dict[Role, list[tuple[str, str]]] = {role: [] for role in Role}
    for name in sorted(URLS):
        access = EXPECTED.get(name)
        if access is None or access.api or access.ok_status != 200 or name in DOWNLOADS:
            continue
        url = _url(name, access, world)
        for role in Role:
            if role in access.roles or access.any_signed_in:
                pages[role].append((name, url))
                if name in PAGINATED:
                    kwargs = access.kwargs(world) if access.kwargs else {}
                    pages[role].append((f"{name} (all)", reverse(name, kwargs=kwargs)))
    return pages


def _build_world():
    from recruitment import services as recruitment
    from tests.test_permission_matrix import build_world

    world = build_world()
    for n in range(30):  # a second page of people
        employ(person=PersonFactory(), team=world.team, start=dt.date(2020, 1, 6 + n % 20))
    for n in range(10):  # leavers (exit records; the exit list's second page is at 51)
        employ(
            person=PersonFactory(), team=world.team, start=dt.date(2019, 1, 7),
            end=dt.date(2024, 1, 1) + dt.timedelta(days=n),
        )  # fmt: skip
    for _ in range(26):  # a second page of vacancies
        recruitment.vacancy_open(
            team=world.team, grade=world.grade, fte="1", reason="new_post",
            opened_on=dt.date(2024, 3, 4),
        )  # fmt: skip
    return world


def _sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_every_page_each_role_can_open_passes_axe(page: Page, live_server, django_user_model):
    axe_in_every_document(page.context)
    world = _build_world()
    problems: list[str] = []
    sent: set[str] = set()
    checked = 0
    seen: set[str] = set()
    for role, pages in _pages_by_role(world).items():
        user = django_user_model.objects.create_user(
            username=f"axe-{role.name.lower()}", password="pw-for-tests-1"
        )
        user.groups.add(Group.objects.get(name=role.value))
        if role == Role.SERVICE_MANAGER:
            world.team.managers.add(user)
        _sign_in(page, live_server, user)
        header_checked = False
        for name, url in pages:
            where = f"{role.value}: {url} ({name})"
            try:
                response = page.goto(live_server.url + url)
            except PlaywrightError as exc:  # a file download, not a page
                if "Download" in str(exc):
                    continue
                raise
            if response is None or response.status != 200:
                problems.append(f"{where}: answered {response and response.status}")
                continue
            facts = page.evaluate(PAGE_FACTS)
            main = MAIN_ID.sub("", facts["main"])
            if main in seen and header_checked:  # content shown (and checked) before
                continue
            seen.add(main)
            # The role's header and navigation once, on its first page; then the page's
            # own content (<main>), and what only the whole page has: a title of its own.
            violations = axe_violations(page, context="main" if header_checked else None)
            header_checked = True
            if not facts["titled"]:
                problems.append(f"{where}: no title or no main heading (h1)")
            checked += 1
            if violations:
                problems.append(f"{where}\n{describe(violations)}")
            base = name.split(" ")[0]
            if base in sent or role == Role.ADMIN:
                continue
            if not facts["form"]:
                continue
            with page.expect_navigation():
                page.evaluate(SEND_EMPTY)
            sent.add(base)
            violations = axe_violations(page, context="main")
            checked += 1
            if violations:
                problems.append(f"{where}, sent empty\n{describe(violations)}")
    assert checked > 100, checked  # every role's pages were really opened
    assert not problems, "\n".join(problems)
