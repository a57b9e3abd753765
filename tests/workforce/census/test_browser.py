"""An HR officer imports the census return in a real browser: a broken file shows every
problem and saves nothing; the sample return is previewed, confirmed and imported."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core.roles import Role
from tests.browser.axe import assert_accessible
from workforce.models import Person

from .helpers import SAMPLE_XML, employed, return_xml

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-for-tests-1"


def test_hr_officer_uploads_previews_and_imports_a_return(
    page: Page, live_server, make_user, tmp_path
):
    make_user(Role.HR_OFFICER, username="hr.officer", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    bad = tmp_path / "bad.xml"
    bad.write_bytes(return_xml(2023, [employed("SW1", "2020-01-06", Ethnicity="ZZZZ")]))
    page.goto(f"{live_server.url}/workforce/census/upload/")
    assert_accessible(page)
    page.get_by_label("Census return file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1 problem found")
    row = page.locator("#problems tbody tr")
    expect(row).to_contain_text("record 1")
    expect(row).to_contain_text("Ethnicity")
    expect(row).to_contain_text("ZZZZ")
    expect(page.get_by_role("button", name="Import the return")).to_have_count(0)
    assert_accessible(page)
    assert Person.objects.count() == 0

    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("Census return file").set_input_files(str(SAMPLE_XML))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check what the import will do")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("SW0000000003")
    assert_accessible(page)
    assert Person.objects.count() == 0
    page.get_by_role("button", name="Import the return").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Census return imported")
    assert Person.objects.count() == 4


def test_the_progress_page_refreshes_itself_until_the_worker_is_done(
    page: Page, live_server, make_user, monkeypatch
):
    """With the worker busy, the upload shows an accessible waiting page; once the worker
    has checked the file, the page turns into the preview by itself."""
    from workforce import tasks

    held = []
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda *args: held.append(args))
    make_user(Role.HR_OFFICER, username="hr.officer", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("hr.officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/workforce/census/upload/")
    page.get_by_label("Census return file").set_input_files(str(SAMPLE_XML))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Checking the census return")).to_be_visible()
    expect(page.locator("#job-status")).to_contain_text("Waiting to start")
    assert_accessible(page)
    for args in held:  # the worker gets to it
        tasks.run_import_job.apply(args=args)
    expect(page.get_by_role("heading", name="Check what the import will do")).to_be_visible(
        timeout=15_000
    )
    assert Person.objects.count() == 0
