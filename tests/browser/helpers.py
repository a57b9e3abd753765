"""Small helpers for browser tests of the HR forms."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page


def fill_date(page: Page, legend: str, date: dt.date) -> None:
    """Type ``date`` into the GOV.UK date input (day, month, year) whose legend is ``legend``."""
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(date.day))
    group.get_by_label("Month").fill(str(date.month))
    group.get_by_label("Year").fill(str(date.year))
