"""The pure pay arithmetic (no database)."""

import datetime as dt
from decimal import Decimal

from pay.arithmetic import add_months, clawback_applies, month_ends, pounds, yearly_cost


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(dt.date(2024, 3, 15), 12) == dt.date(2025, 3, 15)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 30), 3) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 3, 15), -60) == dt.date(2019, 3, 15)


def test_month_ends_inclusive():
    assert month_ends(dt.date(2024, 1, 31), dt.date(2024, 3, 30)) == [
        dt.date(2024, 1, 31),
        dt.date(2024, 2, 29),
    ]


def test_yearly_cost_ni_only_above_the_threshold():
    cost = yearly_cost(
        pay=Decimal(8000), ni_rate=Decimal(15), ni_threshold=Decimal(9100), pension_rate=Decimal(0)
    )
    assert cost == Decimal(8000)
    cost = yearly_cost(
        pay=Decimal(38626), ni_rate=Decimal("13.8"), ni_threshold=Decimal(9100),
        pension_rate=Decimal(20),
    )  # fmt: skip
    assert pounds(cost) == Decimal("50425.79")


def test_clawback_window_is_before_the_anniversary_only():
    due = dt.date(2024, 3, 15)
    assert clawback_applies(due_date=due, leaving_date=dt.date(2025, 3, 14), months=12)
    assert not clawback_applies(due_date=due, leaving_date=dt.date(2025, 3, 15), months=12)
    assert not clawback_applies(due_date=due, leaving_date=dt.date(2025, 3, 16), months=12)
    assert not clawback_applies(due_date=due, leaving_date=dt.date(2024, 3, 1), months=12)
    assert not clawback_applies(due_date=due, leaving_date=dt.date(2024, 4, 1), months=0)
