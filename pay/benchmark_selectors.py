"""Reads for pay benchmarking: where the council's own grade ranges sit among its
neighbours' for each role in a pay year (Tameside's Greater Manchester comparison, seed
004 tables 2-4; Surrey's annual salary benchmarking, seed 001 recommendation 1).

The council's range for a role: the grades whose point range is marked with that
``benchmark_role`` and in force on the pay year's first day (1 April), from the lowest
point's full-time salary to the highest point's, on the NJC spine of that pay year.
Several grades marked with one role: the lowest minimum and the highest maximum."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .choices import BenchmarkRole
from .models import GradePointRange, PayBenchmark
from .selectors import Spine


@dataclass(frozen=True)
class Range:
    council: str
    minimum: Decimal
    maximum: Decimal
    ours: bool = False


@dataclass(frozen=True)
class RoleComparison:
    role: str
    label: str
    ours: Range | None
    grades: tuple[str, ...]  # the council's grades benchmarked as this role
    ranges: tuple[Range, ...]  # neighbours and ours, highest maximum first
    neighbours: int
    median_minimum: Decimal | None
    median_maximum: Decimal | None
    minimum_rank: int | None  # 1 = the highest minimum of all (ties share a rank)
    maximum_rank: int | None

    @property
    def councils(self) -> int:
        return len(self.ranges)


def pay_year_start(pay_year: str) -> dt.date:
    return dt.date(int(pay_year[:4]), 4, 1)


def benchmark_years() -> list[str]:
    """The pay years with neighbours' ranges loaded, latest first."""
    years = PayBenchmark.objects.values_list("pay_year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def own_ranges(*, pay_year: str, spine: Spine | None = None) -> dict[str, tuple[Range, list[str]]]:
    """The council's own range for each benchmarked role in ``pay_year``."""
    on = pay_year_start(pay_year)
    spine = spine or Spine()
    found: dict[str, tuple[Decimal, Decimal, list[str]]] = {}
    for row in (
        GradePointRange.objects.exclude(benchmark_role="")
        .filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .select_related("grade")
        .order_by("grade__sort_order", "grade__name")
    ):
        low, high = spine.salary(row.min_scp, on), spine.salary(row.max_scp, on)
        if low is None or high is None:
            continue
        if row.benchmark_role in found:
            old_low, old_high, grades = found[row.benchmark_role]
            found[row.benchmark_role] = (min(low, old_low), max(high, old_high), grades)
        else:
            found[row.benchmark_role] = (low, high, [])
        found[row.benchmark_role][2].append(row.grade.name)
    return {
        role: (Range("", low, high, ours=True), grades)
        for role, (low, high, grades) in found.items()
    }


def _rank(value: Decimal, values: list[Decimal]) -> int:
    return 1 + sum(1 for v in values if v > value)


def benchmark_comparison(*, pay_year: str, council_name: str) -> list[RoleComparison]:
    """Each role with neighbours' ranges in ``pay_year``: the ranges (ours marked), the
    neighbours' medians and where ours ranks."""
    by_role: dict[str, list[Range]] = {}
    for b in PayBenchmark.objects.filter(pay_year=pay_year).order_by("council"):
        if b.council.casefold() == council_name.casefold():
            continue  # our own figures come from our grades, not a loaded row
        by_role.setdefault(b.role, []).append(Range(b.council, b.minimum, b.maximum))
    own = own_ranges(pay_year=pay_year)
    rows = []
    for role in BenchmarkRole:
        neighbours = by_role.get(role.value, [])
        if not neighbours:
            continue
        ours, grades = own.get(role.value, (None, []))
        if ours is not None:
            ours = Range(council_name, ours.minimum, ours.maximum, ours=True)
        everyone = [*neighbours, *([ours] if ours else [])]
        everyone.sort(key=lambda r: (-r.maximum, -r.minimum, r.council))
        rows.append(
            RoleComparison(
                role=role.value,
                label=role.label,
                ours=ours,
                grades=tuple(grades),
                ranges=tuple(everyone),
                neighbours=len(neighbours),
                median_minimum=Decimal(statistics.median(r.minimum for r in neighbours)),
                median_maximum=Decimal(statistics.median(r.maximum for r in neighbours)),
                minimum_rank=_rank(ours.minimum, [r.minimum for r in everyone]) if ours else None,
                maximum_rank=_rank(ours.maximum, [r.maximum for r in everyone]) if ours else None,
            )
        )
    return rows
