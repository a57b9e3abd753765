"""Acceptance 4: the product's rate formulas reproduce DfE's published rates.

For every England, region and council row of DfE's indicators file
(data/dfe/csww_indicators_2017_to_2025.csv, 2017-2025) whose needed columns are numbers,
``dashboards.kpis.rates`` applied to the row's FTE columns gives the published
``turnover_rate_fte``, ``agency_rate_fte``, ``vacancy_rate_fte`` and ``caseload_fte`` (and
``absence_rate_fte``, which confirms the 253 working days) to within 0.15 (DfE rounds
its inputs to 1 dp before publishing). Cells holding DfE's symbols (c, x, z, u, low) are
skipped for that measure only.

Ten published rates (of about 7,300 checked) cannot be reproduced from the same row's
own published inputs by any of the formulas: DfE's rate and its inputs disagree in the
file itself (e.g. North East 2024: 271.5 leavers / 2,158.1 in post = 12.6%, published
14.0; Isles of Scilly 2023: 15 cases / 1.5 FTE = 10.0, published 9.7 from unrounded
FTE). They are listed below with the published figure, so any other difference - or a
change in these - fails the test.
"""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

from dashboards.kpis import rates

DFE_FILE = Path(__file__).resolve().parents[2] / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
TOLERANCE = Decimal("0.15")

#: (year, level, area, measure) -> the published rate that disagrees with its own inputs.
DFE_INCONSISTENT = {
    ("2024", "National", "England", "agency_rate_fte"): Decimal("16.2"),
    ("2024", "Regional", "West Midlands", "agency_rate_fte"): Decimal("13.9"),
    ("2023", "Regional", "London", "agency_rate_fte"): Decimal("23.2"),
    ("2023", "Regional", "Outer London", "agency_rate_fte"): Decimal("23"),
    ("2024", "Regional", "North East", "turnover_rate_fte"): Decimal("14"),
    ("2022", "Regional", "North East", "turnover_rate_fte"): Decimal("14.8"),
    ("2023", "Local authority", "Isles of Scilly", "caseload_fte"): Decimal("9.7"),
    ("2024", "Regional", "West Midlands", "absence_rate_fte"): Decimal("3.8"),
    ("2024", "Regional", "South West", "absence_rate_fte"): Decimal("3.3"),
    ("2023", "Regional", "North West", "absence_rate_fte"): Decimal("3.9"),
}

MEASURES = {
    "turnover_rate_fte": (
        ("leavers_fte", "inpost_fte"),
        lambda leavers, inpost: rates.turnover_rate(leavers_fte=leavers, inpost_fte=inpost),
    ),
    "agency_rate_fte": (
        ("agency_fte", "inpost_fte"),
        lambda agency, inpost: rates.agency_rate(agency_fte=agency, inpost_fte=inpost),
    ),
    "vacancy_rate_fte": (
        ("vacancy_fte", "inpost_fte"),
        lambda vacancy, inpost: rates.vacancy_rate(vacancy_fte=vacancy, inpost_fte=inpost),
    ),
    "absence_rate_fte": (
        ("working_days_lost_fte", "inpost_fte"),
        lambda days, inpost: rates.absence_rate(working_days_lost=days, inpost_fte=inpost),
    ),
    "caseload_fte": (
        ("cases", "case_holders_fte"),
        lambda cases, holders: rates.caseload(cases=cases, case_holders_fte=holders),
    ),
}


def number(cell: str) -> Decimal | None:
    try:
        value = Decimal(cell.replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with DFE_FILE.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("measure", list(MEASURES))
def test_published_rates_are_reproduced(rows, measure):
    inputs, formula = MEASURES[measure]
    checked, misses = 0, {}
    for row in rows:
        published = number(row[measure])
        values = [number(row[column]) for column in inputs]
        if published is None or None in values:
            continue
        ours = formula(*values)
        if ours is None:
            continue
        checked += 1
        if abs(ours - published) > TOLERANCE:
            area = row["la_name"] or row["region_name"] or row["country_name"]
            misses[(row["time_period"], row["geographic_level"], area, measure)] = published
    print(f"{measure}: {checked} rows checked, {len(misses)} known DfE inconsistencies")
    assert checked > 1400, f"only {checked} rows had the columns for {measure}"
    assert misses == {k: v for k, v in DFE_INCONSISTENT.items() if k[3] == measure}


def test_england_2023_example(rows):
    england = next(
        row
        for row in rows
        if row["time_period"] == "2023" and row["geographic_level"] == "National"
    )
    inpost = number(england["inpost_fte"])
    assert inpost == Decimal("33119.1")
    turnover = rates.turnover_rate(leavers_fte=number(england["leavers_fte"]), inpost_fte=inpost)
    assert f"{turnover:.1f}" == "15.9"
    caseload = rates.caseload(
        cases=number(england["cases"]), case_holders_fte=number(england["case_holders_fte"])
    )
    assert f"{caseload:.1f}" == "16.0"
