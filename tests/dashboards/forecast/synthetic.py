"""A synthetic council with known leaving rates, as plain rows (``History.from_rows``)
or loaded into the database (``load``), for the forecast's tests.

Employed staff leave with a known monthly probability by service (3% a month in the
first two years, 1% after), starters arrive at a known rate, agency placements fill a
fixed number of slots. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from dateutil.relativedelta import relativedelta

FIRST = dt.date(2018, 1, 1)
LAST = dt.date(2026, 1, 31)


def monthly_leave_probability(service_months: int) -> float:
    return 0.03 if service_months < 24 else 0.01


def rows(
    *,
    seed: int = 11,
    initial: int = 150,
    starters_per_month: float = 3.6,
    agency_slots: int = 45,
    first: dt.date = FIRST,
    last: dt.date = LAST,
) -> list[tuple]:
    """Rows shaped as ``workforce.selectors.employment_history_rows``."""
    rng = np.random.default_rng(seed)
    months = (last.year - first.year) * 12 + last.month - first.month
    out: list[tuple] = []
    ident = 0

    def month_day(m: int) -> dt.date:
        return first + relativedelta(months=m, day=15)

    def add(start_m: int, service0: int, agency: bool, role: int) -> None:
        nonlocal ident
        ident += 1
        end = None
        service = service0
        for m in range(max(start_m, 0), months):
            p = 0.15 if agency else monthly_leave_probability(service)
            if rng.random() < p:
                end = month_day(m + 1)
                break
            service += 1
        start = first + relativedelta(months=start_m, day=15) if start_m >= 0 else None
        if start is None:
            start = first - relativedelta(months=service0) + relativedelta(day=15)
        out.append(
            (
                ident,
                "agency" if agency else "permanent",
                start,
                end,
                None if agency or end is None else 3,
                start,
                None,
                Decimal("1"),
                role,
            )
        )
        return end

    roles = [5] * 8 + [3, 6]
    for _ in range(initial):
        add(-1, int(rng.integers(0, 120)), False, int(rng.choice(roles)))
    for m in range(months):
        for _ in range(rng.poisson(starters_per_month)):
            add(m, 0, False, int(rng.choice(roles)))
    for _ in range(agency_slots):  # a slot is refilled the month its placement ends
        m = -1
        while m < months:
            end = add(m, 0, True, 5)
            if end is None:
                break
            m = (end.year - first.year) * 12 + end.month - first.month
    return out


def load(rows_: list[tuple]) -> None:
    """Write ``rows_`` to the database (bulk, one person per employment)."""
    from tests.factories import AgencyFactory, PersonFactory, TeamFactory
    from workforce.models import Assignment, Employment, Person

    team = TeamFactory()
    agency = AgencyFactory()
    people = Person.objects.bulk_create(
        [
            PersonFactory.build(swe_number=f"SW{900000 + i}", staff_ref=None)
            for i in range(len(rows_))
        ]
    )
    employments = Employment.objects.bulk_create(
        [
            Employment(
                person=person,
                contract_type=contract,
                agency=agency if contract == "agency" else None,
                start_date=start,
                end_date=end,
                leaving_reason=None if contract == "agency" or end is None else 1,
                leaving_destination=destination,
            )
            for person, (_, contract, start, end, destination, *_rest) in zip(
                people, rows_, strict=True
            )
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                employment=employment,
                effective_from=row[5],
                team=team,
                org_role=row[8],
                fte=row[7],
                change_reason="start",
            )
            for employment, row in zip(employments, rows_, strict=True)
        ]
    )
