"""The pure arithmetic of pay (no database): month steps, on-costs, pro-rating, clawback
windows. Tested on its own in ``tests/pay/test_arithmetic.py``."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")
DAYS_PER_YEAR = Decimal(365)


def pounds(value: Decimal | int | float) -> Decimal:
    """Rounded to the penny, half up."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def add_months(date: dt.date, months: int) -> dt.date:
    """``date`` plus whole months; the 31st of a shorter month becomes its last day."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def month_end(date: dt.date) -> dt.date:
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every last day of a month from ``start`` to ``end`` inclusive."""
    dates, current = [], month_end(start)
    while current <= end:
        dates.append(current)
        current = month_end(current + dt.timedelta(days=1))
    return dates


def yearly_cost(
    *, pay: Decimal, ni_rate: Decimal, ni_threshold: Decimal, pension_rate: Decimal
) -> Decimal:
    """What a year's ``pay`` costs the employer: pay, plus employer NI at ``ni_rate`` % on
    pay above ``ni_threshold``, plus pension at ``pension_rate`` % of pay (unrounded)."""
    ni = max(Decimal(0), pay - ni_threshold) * ni_rate / 100
    return pay + ni + pay * pension_rate / 100


def clawback_applies(*, due_date: dt.date, leaving_date: dt.date, months: int) -> bool:
    """A payment due on ``due_date`` is repaid when the worker leaves *before* the end of
    the clawback period, ``months`` after it fell due; leaving on or after that day owes
    nothing."""
    if months <= 0 or leaving_date < due_date:
        return False
    return leaving_date < add_months(due_date, months)
