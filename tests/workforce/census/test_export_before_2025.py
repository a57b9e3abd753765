"""Returns of 2024 and earlier are byte for byte what they were before the 2025 pay items
(issue 14): the golden files were written by the export as it stood before those items
were added (commit d0d1bda), and only the XML's ``DateTime`` (the moment of export) is
masked. Regenerate only for a deliberate change: ``CSWW_GOLDEN_WRITE=1 pytest <this file>``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

import pytest

from workforce.census.services import census_export, census_import
from workforce.models import CensusReturn, Council

from .helpers import FIXTURES, SAMPLE_XML
from .test_export import build_council

pytestmark = pytest.mark.django_db
GOLDEN = FIXTURES / "golden"
WRITE = os.environ.get("CSWW_GOLDEN_WRITE") == "1"


def masked(data: bytes) -> bytes:
    return re.sub(rb"<DateTime>[^<]*</DateTime>", b"<DateTime>-</DateTime>", data)


def check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if WRITE:
        path.write_bytes(masked(data))
    assert masked(data) == path.read_bytes(), f"{name} changed"


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_the_sample_years_export_is_unchanged(fmt):
    Council.objects.create(name="Sample", lea_code="999")
    assert census_import(data=SAMPLE_XML.read_bytes()).errors == []
    check(f"sample-2023.{fmt}", census_export(year=2023, format=fmt))


@pytest.mark.parametrize("fmt", ["xml", "csv"])
@pytest.mark.parametrize("year", [2023, 2024])
def test_a_small_councils_export_is_unchanged(fmt, year):
    build_council()
    CensusReturn.objects.create(
        year=2024,
        reference_date=dt.date(2024, 9, 30),
        lea="999",
        vacancies_fte=Decimal("1.5"),
        agency_cover_fte=Decimal("1"),
        agency_cover_headcount=1,
    )
    check(f"council-{year}.{fmt}", census_export(year=year, format=fmt))
