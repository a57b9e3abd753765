"""The retention page tells admins what is kept how long, from the settings in force, and
says the same as docs/privacy.md."""

from __future__ import annotations

import pathlib

import lxml.html
import pytest
from django.urls import reverse

from core.retention import period, retention_rules
from core.roles import Role

pytestmark = pytest.mark.django_db

PRIVACY = pathlib.Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def rows(response) -> list[list[str]]:
    doc = lxml.html.fromstring(response.content.decode())
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in doc.xpath('//table[@id="retention"]/tbody/tr')
    ]


def test_admins_see_every_kind_of_record_and_its_period(client_as):
    response = client_as(Role.ADMIN).get(reverse("core:retention"))
    assert response.status_code == 200
    table = {what: how_long for what, how_long, _ in rows(response)}
    assert table["Exit questionnaire free text and quotes"] == "2 years after the leaving date"
    assert table["Committee report packs and their files"] == (
        "2 years after the pack was asked for"
    )
    assert table["Audit log (who changed what, and when)"].startswith("Until an administrator")
    assert any(what.startswith("Leavers' workforce records") for what in table)


def test_admins_find_it_in_the_menu_and_others_do_not(client_as):
    url = reverse("core:retention")
    assert f'href="{url}"' in client_as(Role.ADMIN).get(reverse("core:retention")).content.decode()
    hr_page = client_as(Role.HR_OFFICER).get(reverse("workforce:person-list"))
    assert f'href="{url}"' not in hr_page.content.decode()


def test_the_page_follows_the_council_settings(client_as, settings):
    settings.REPORT_PACK_RETENTION_DAYS = 1095
    settings.EXIT_TEXT_RETENTION_DAYS = 400
    table = {w: h for w, h, _ in rows(client_as(Role.ADMIN).get(reverse("core:retention")))}
    assert table["Committee report packs and their files"].startswith("3 years")
    assert table["Exit questionnaire free text and quotes"].startswith("400 days")


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.DIRECTOR, Role.SCRUTINY_MEMBER])
def test_other_roles_are_refused(client_as, role):
    assert client_as(role).get(reverse("core:retention")).status_code == 403


def test_docs_privacy_says_the_same_as_the_page_at_the_defaults():
    text = PRIVACY.read_text()
    table = [line for line in text.splitlines() if line.startswith("| ")]
    for rule in retention_rules():
        assert f"| {rule.what} | {rule.how_long} | {rule.how} |" in table, rule.what


def test_periods_read_as_people_say_them():
    assert [period(d) for d in (730, 365, 14, 1, 400)] == [
        "2 years", "1 year", "14 days", "1 day", "400 days",
    ]  # fmt: skip
