"""The demo's pipeline cohorts start on two different Septembers, whatever the date."""

import datetime as dt

import pytest

from recruitment.demo import cohort_septembers


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2026, 11, 30), (dt.date(2027, 9, 1), dt.date(2028, 9, 1))),
        (dt.date(2026, 3, 31), (dt.date(2026, 9, 1), dt.date(2027, 9, 1))),
        (dt.date(2026, 9, 1), (dt.date(2027, 9, 1), dt.date(2028, 9, 1))),
        (dt.date(2026, 8, 31), (dt.date(2026, 9, 1), dt.date(2027, 9, 1))),
    ],
)
def test_two_years_cohorts_never_share_a_start_date(as_of, expected):
    assert cohort_septembers(as_of) == expected
