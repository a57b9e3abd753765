"""Starters from the recruitment pipeline, as known on the forecast's start date.

- **Accepted offers** not yet started nor closed on the date: each starts with the
  council's historical chance that an accepted offer starts, at the acceptance date plus
  its median acceptance-to-start time (an application records no planned start date;
  one already due starts in the first month).
- **Open vacancies** with no accepted offer: each is filled with the council's historical
  fill rate (vacancies filled / vacancies whose outcome was known), arriving the median
  time to hire (vacancy opened to start) after it opened, or in the first month if that
  has passed.
- **Cohorts** (NQSW / ASYE, Step Up, apprentices, PG diploma places) starting after the
  date: their places on their expected start dates.

Only rows dated on or before the start are used: applications accepted, started or
closed later count as they stood then. Cohorts record no date they were entered, so a
backtest from a past date would see cohorts entered later; the backtest therefore runs
on the historical starter rate alone.

The pipeline is used when recruitment is recorded: at least one application started in
the 12 months before the date. The model then takes starters from it for the months it
covers (up to the time to hire), instead of the historical rate, and puts a cohort's
places in its month instead of that calendar month's usual peak.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .history import GROUPS, ROLE_GROUP

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Pipeline:
    """Expected starts: (date, group index, count, chance each one starts)."""

    starts: list[tuple[dt.date, int, int, float]] = field(default_factory=list)
    horizon_months: int = 0  # months the offers and vacancies cover (time to hire)
    cohort_months: frozenset = frozenset()  # (year, month) with a cohort
    offers: int = 0
    vacancies: int = 0
    cohort_places: int = 0
    fill_rate: float | None = None
    time_to_hire_days: float | None = None

    @property
    def used(self) -> bool:
        return bool(self.starts)

    def describe(self) -> str:
        if not self.used:
            return "the council's historical starter rate (no recruitment pipeline recorded)"
        parts = []
        if self.offers:
            parts.append(f"{self.offers} accepted offer{'s' if self.offers != 1 else ''}")
        if self.vacancies:
            parts.append(
                f"{self.vacancies} open vacanc{'ies' if self.vacancies != 1 else 'y'} x the "
                f"historical fill rate of {100 * (self.fill_rate or 0):.0f}%, arriving "
                f"{(self.time_to_hire_days or 0) / DAYS_PER_MONTH:.1f} months after opening"
            )
        if self.cohort_places:
            parts.append(f"{self.cohort_places} cohort places on their start dates")
        return (
            "the recruitment pipeline (" + "; ".join(parts) + ") for the first "
            f"{self.horizon_months} month{'s' if self.horizon_months != 1 else ''}"
            + (" and the cohort months" if self.cohort_places else "")
            + ", then the council's historical starter rate"
        )


NO_PIPELINE = Pipeline()


def _median_days(pairs) -> float | None:
    days = [(b - a).days for a, b in pairs if a and b and b >= a]
    return float(np.median(days)) if days else None


def load_pipeline(*, as_of: dt.date) -> Pipeline:
    """The pipeline known on ``as_of`` from the recruitment records."""
    from django.db.models import Q

    from recruitment.models import Application, PipelineCohort, Vacancy

    first = as_of + dt.timedelta(days=1)
    recent = Application.objects.filter(
        started_on__gt=as_of - dt.timedelta(days=365), started_on__lte=as_of
    )
    if not recent.exists():
        return NO_PIPELINE
    started = list(
        Application.objects.filter(started_on__lte=as_of).values_list(
            "accepted_on", "started_on", "vacancy__opened_on"
        )
    )
    accept_to_start = _median_days((a, s) for a, s, _ in started) or 0.0
    time_to_hire = _median_days((o, s) for _, s, o in started)
    # Chance an accepted offer starts: of those whose outcome was known on the date.
    accepted_known = Application.objects.filter(accepted_on__lte=as_of).filter(
        Q(started_on__lte=as_of) | Q(closed_on__lte=as_of)
    )
    known = accepted_known.count()
    took_up = accepted_known.filter(started_on__lte=as_of).count()
    offer_rate = (took_up + 0.5) / (known + 1)
    starts: list[tuple[dt.date, int, int, float]] = []
    pending = Application.objects.filter(accepted_on__lte=as_of).filter(
        Q(started_on__isnull=True) | Q(started_on__gt=as_of),
        Q(closed_on__isnull=True) | Q(closed_on__gt=as_of),
    )
    offers = 0
    for accepted_on, role in pending.values_list("accepted_on", "vacancy__org_role"):
        when = max(accepted_on + dt.timedelta(days=accept_to_start), first)
        starts.append((when, ROLE_GROUP.get(int(role), 2), 1, offer_rate))
        offers += 1
    # Vacancies: the fill rate of those whose outcome was known on the date.
    filled_ids = set(
        Application.objects.filter(started_on__lte=as_of).values_list("vacancy_id", flat=True)
    )
    closed_ids = set(
        Vacancy.objects.filter(opened_on__lte=as_of, closed_on__lte=as_of).values_list(
            "id", flat=True
        )
    )
    decided = filled_ids | closed_ids
    fill_rate = (len(filled_ids) + 0.5) / (len(decided) + 1) if decided else None
    offered_ids = set(pending.values_list("vacancy_id", flat=True))
    open_vacancies = (
        Vacancy.objects.filter(opened_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .exclude(id__in=filled_ids | offered_ids)
        .values_list("opened_on", "org_role")
    )
    vacancies = 0
    if fill_rate is not None and time_to_hire is not None:
        for opened_on, role in open_vacancies:
            when = max(opened_on + dt.timedelta(days=time_to_hire), first)
            starts.append((when, ROLE_GROUP.get(int(role), 2), 1, fill_rate))
            vacancies += 1
    horizon = 0
    if starts:
        last = max(when for when, *_ in starts)
        horizon = max(1, (last.year - as_of.year) * 12 + last.month - as_of.month)
    cohort_months = set()
    places = 0
    for expected, count in PipelineCohort.objects.filter(expected_start__gt=as_of).values_list(
        "expected_start", "places"
    ):
        starts.append((expected, GROUPS.index("case_holders"), int(count), 1.0))
        cohort_months.add((expected.year, expected.month))
        places += int(count)
    return Pipeline(
        starts=starts,
        horizon_months=horizon,
        cohort_months=frozenset(cohort_months),
        offers=offers,
        vacancies=vacancies,
        cohort_places=places,
        fill_rate=fill_rate,
        time_to_hire_days=time_to_hire,
    )
