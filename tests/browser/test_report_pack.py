"""A director makes a committee report pack in a real browser: from the navigation to the
form, the pack built (in-process here, as in development), then the Word document
downloaded and opened; no serious accessibility violations on the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.axe import assert_accessible
from tests.factories import TeamFactory, employ

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def role_groups(transactional_db, settings, tmp_path):
    from django.contrib.auth.models import Group

    settings.MEDIA_ROOT = tmp_path / "media"
    for role in Role:
        Group.objects.get_or_create(name=role.value)


def test_a_director_creates_a_pack_and_downloads_it(page: Page, live_server, make_user, tmp_path):
    team = TeamFactory(name="North")
    for _ in range(6):
        employ(team=team, start=dt.date(2020, 1, 6))
    make_user(Role.DIRECTOR, username="director", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Report packs").click()
    expect(page.get_by_role("heading", name="Report packs")).to_be_visible()
    page.get_by_role("link", name="Create a report pack").click()
    assert_accessible(page)
    page.get_by_label("Title of the report").fill("Workforce update for scrutiny")
    page.get_by_role("radio", name="Custom dates").check()
    page.get_by_label("First day of the period").fill("2023-04-01")
    page.get_by_label("Last day of the period").fill("2024-03-31")
    page.get_by_label("Recruitment", exact=True).uncheck()
    page.get_by_role("button", name="Create report").click()

    expect(page.get_by_role("heading", name="Workforce update for scrutiny")).to_be_visible()
    expect(page.locator("#pack-status")).to_contain_text("Ready", timeout=60_000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Word document").click()
    path = tmp_path / "pack.docx"
    download_info.value.save_as(path)
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "3. Workforce" in headings
    assert not any(h.endswith("Recruitment") for h in headings)

    page.get_by_role("link", name="Report packs").first.click()
    expect(page.get_by_role("table")).to_contain_text("Workforce update for scrutiny")
    expect(page.get_by_role("table")).to_contain_text("1 Apr 2023 to 31 Mar 2024")


def test_a_director_edits_the_summary_and_downloads_both_versions(
    page: Page, live_server, make_user, tmp_path
):
    team = TeamFactory(name="North")
    for _ in range(6):
        employ(team=team, start=dt.date(2020, 1, 6))
    make_user(Role.DIRECTOR, username="director", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    for audience, label in (
        ("public", re.compile("^For publication")),
        ("not for publication", re.compile("^Not for publication")),
    ):
        page.goto(f"{live_server.url}/dashboards/reports/new/")
        page.get_by_role("radio", name=label).check()
        page.get_by_label("Lead member").fill(f"Cllr Lead ({audience})")
        page.get_by_label("Summary", exact=True).fill(
            f"Summary written by the director ({audience})."
        )
        page.get_by_role("radio", name="Custom dates").check()
        page.get_by_label("First day of the period").fill("2023-04-01")
        page.get_by_label("Last day of the period").fill("2024-03-31")
        page.get_by_role("button", name="Create report").click()
        expect(page.locator("#pack-status")).to_contain_text("Ready", timeout=90_000)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Word document").click()
        download = download_info.value
        assert download.suggested_filename == (
            f"Social work workforce report 2024-03-31 ({audience}).docx"
        )
        path = tmp_path / f"{audience}.docx"
        download.save_as(path)
        document = Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"Summary written by the director ({audience})." in text
        header = document.sections[0].header.paragraphs[0].text
        assert ("Schedule 12A" in header) == (audience == "not for publication")
    # the text of the last pack is offered again for the next one
    page.goto(f"{live_server.url}/dashboards/reports/new/")
    expect(page.get_by_label("Lead member")).to_have_value("Cllr Lead (not for publication)")
    expect(page.get_by_label("Wards affected")).to_have_value("All")
