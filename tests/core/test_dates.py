"""The shared date arithmetic (``core.dates``) and shares (``core.numbers``): one copy,
used by the KPI engine, the dashboards and the exits analysis alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.dates import (
    completed_years,
    length_of_service_band,
    length_of_service_label,
    month_end,
    years_before,
)
from core.numbers import share


def test_years_before_handles_29_february():
    assert years_before(dt.date(2023, 9, 30), 1) == dt.date(2022, 9, 30)
    assert years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)
    assert years_before(dt.date(2024, 2, 29), 4) == dt.date(2020, 2, 29)
    assert years_before(dt.date(2023, 2, 28), -1) == dt.date(2024, 2, 28)  # an anniversary


def test_month_end():
    assert month_end(dt.date(2024, 2, 3)) == dt.date(2024, 2, 29)
    assert month_end(dt.date(2025, 12, 31)) == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("start", "end", "years", "band", "label"),
    [
        (dt.date(2015, 6, 1), dt.date(2016, 5, 31), 0, "<1", "Under 1 year"),
        (dt.date(2015, 6, 1), dt.date(2016, 6, 1), 1, "1-<2", "1 to under 2 years"),
        (dt.date(2013, 6, 2), dt.date(2016, 6, 1), 2, "2-<3", "2 to under 3 years"),
        (dt.date(2013, 6, 1), dt.date(2016, 6, 1), 3, "3-<5", "3 to under 5 years"),
        (dt.date(2011, 6, 2), dt.date(2016, 6, 1), 4, "3-<5", "3 to under 5 years"),
        (dt.date(2011, 6, 1), dt.date(2016, 6, 1), 5, "5+", "5 years or more"),
        (dt.date(1990, 1, 1), dt.date(2016, 6, 1), 26, "5+", "5 years or more"),
        (dt.date(2016, 6, 2), dt.date(2016, 6, 1), 0, "<1", "Under 1 year"),  # never negative
    ],
)
def test_length_of_service(start, end, years, band, label):
    assert completed_years(start, end) == years
    assert length_of_service_band(years) == band
    assert length_of_service_label(start, end) == label


def test_share_is_a_percentage_or_no_figure():
    assert share(1, 4) == Decimal(25)
    assert share(Decimal("0.5"), Decimal(2)) == Decimal(25)
    assert share(0, 3) == 0
    assert share(1, 0) is None and share(None, 3) is None and share(1, None) is None


def test_no_second_copy_of_years_before():
    """The arithmetic is written once (``core.dates``); the apps import it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ("core", "config", "workforce", "recruitment", "exits", "recommendations", "dashboards")
    copies = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if path not in (root / "core" / "dates.py", root / "core" / "numbers.py")
        and any(
            f"def {name}(" in path.read_text()
            for name in ("years_before", "_years_before", "completed_years", "share")
        )
    ]
    assert copies == []
