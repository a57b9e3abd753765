"""Date arithmetic every app shares: the same day some years earlier, the last day of a
month, completed years of service and the length-of-service bands. Pure functions, no
database (the limits on dates given as parameters are ``workforce.dates``)."""

from __future__ import annotations

import calendar
import datetime as dt

#: The length-of-service bands, in completed years: (key, label, from, to).
LENGTH_OF_SERVICE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("<1", "Under 1 year", 0, 1),
    ("1-<2", "1 to under 2 years", 1, 2),
    ("2-<3", "2 to under 3 years", 2, 3),
    ("3-<5", "3 to under 5 years", 3, 5),
    ("5+", "5 years or more", 5, None),
)


def years_before(date: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (later when negative); 29 February
    becomes 28 February in a year without one."""
    try:
        return date.replace(year=date.year - years)
    except ValueError:  # 29 February
        return date.replace(year=date.year - years, day=28)


def month_end(date: dt.date) -> dt.date:
    """The last day of ``date``'s month."""
    return date.replace(day=calendar.monthrange(date.year, date.month)[1])


def completed_years(start: dt.date, end: dt.date) -> int:
    """Whole years from ``start`` to ``end`` (a birthday-style count), never below 0."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def length_of_service_band(years: int) -> str:
    """The band key (``"<1"``, ``"1-<2"``, ``"2-<3"``, ``"3-<5"``, ``"5+"``) of
    ``years`` completed years."""
    for key, _label, low, high in LENGTH_OF_SERVICE_BANDS:
        if years >= low and (high is None or years < high):
            return key
    return LENGTH_OF_SERVICE_BANDS[0][0]


def length_of_service_label(start: dt.date, end: dt.date) -> str:
    """The band's label ("2 to under 3 years") of service from ``start`` to ``end``."""
    key = length_of_service_band(completed_years(start, end))
    return next(label for band, label, _low, _high in LENGTH_OF_SERVICE_BANDS if band == key)
