"""What the workforce costs over a period, grouped so every scope is a sum: the permanent
pay bill with on-costs, agency cost and the agency premium over a permanent worker on
the equivalent grade, and the cost per case-holding FTE. The Pay and costs page, the
``costs`` command, the API, the KPI family ``costs`` (``dashboards/kpis/costs.py``) and
the what-if all call these functions, so they cannot disagree.

Groups are keyed by (team id, DfE role); a placement with no team recorded is keyed by
(None, role) and counts in the whole service and DfE role scopes only (as the agency
KPIs count it). A placement's DfE role is the one its role category counts under
(``agency.choices.ORG_ROLE_OF_CATEGORY``).

Definitions (``docs/pay-costs.md``):

- Agency cost of a placement: hours a week x hourly charge rate (the pay rate where no
  charge rate is recorded), a seventh of the week for each day active.
- Equivalent permanent cost: the spine salary of the equivalent grade's point (``top``,
  ``mid`` or ``bottom`` of the grade's range, ``AgencyEquivalentGrade``) in the pay year of
  each day, pro rata to the placement's hours (hours / ``PAY_FULL_TIME_HOURS``, 37), plus
  employer NI above the threshold and pension at the on-cost rates of each day; a 365th
  of the year for each day active.
- Agency premium: agency cost minus equivalent permanent cost. Not available (None) when
  any placement counted cannot be costed as permanent (no equivalent grade for its
  category, no point range for the grade or no spine on a day): a part-costed premium
  would understate it.

A fixed number of queries whatever the number of workers or placements; the arithmetic
is in Python (a council has hundreds of workers and tens of placements).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from .arithmetic import DAYS_PER_YEAR
from .choices import GradePoint
from .models import AgencyEquivalentGrade, GradePointRange
from .selectors import OnCosts, Spine, _active, day_ranges, permanent_employments

ZERO = Decimal(0)
DAYS_PER_WEEK = Decimal(7)
GroupKey = tuple  # (team id or None, DfE role)


def full_time_hours() -> Decimal:
    """A full-time week (NJC Green Book: 37 hours), ``settings.PAY_FULL_TIME_HOURS``."""
    return Decimal(str(getattr(settings, "PAY_FULL_TIME_HOURS", 37)))


def grade_point(*, low: int, high: int, point: str) -> int:
    """The spinal point standing for a grade spanning ``low`` to ``high``."""
    if point == GradePoint.BOTTOM:
        return low
    if point == GradePoint.MID:
        return (low + high) // 2
    return high


def premium_yearly_cost(
    *, hours_per_week: Decimal, hourly_cost: Decimal, permanent_yearly_cost: Decimal
) -> Decimal:
    """What one placement costs a year above a permanent worker: 365/7 weeks of hours x
    rate, minus the permanent yearly cost for the same hours (pure arithmetic)."""
    return hours_per_week * hourly_cost * DAYS_PER_YEAR / DAYS_PER_WEEK - permanent_yearly_cost


# --- Reference data, loaded once -------------------------------------------------------


class EquivalentGrades:
    """Each role category's equivalent grade and point, with the grades' point ranges over
    time (two queries): ``salary(category, on)``."""

    def __init__(self, spine: Spine | None = None) -> None:
        self.spine = spine or Spine()
        self.by_category = {
            row.role_category: row for row in AgencyEquivalentGrade.objects.select_related("grade")
        }
        self.ranges: dict[int, list[GradePointRange]] = defaultdict(list)
        grade_ids = {row.grade_id for row in self.by_category.values()}
        for row in GradePointRange.objects.filter(grade_id__in=grade_ids).order_by(
            "effective_from"
        ):
            self.ranges[row.grade_id].append(row)

    def change_dates(self, category: str) -> set[dt.date]:
        """Days the equivalent salary of ``category`` may change (besides pay years)."""
        row = self.by_category.get(category)
        if row is None:
            return set()
        found = set()
        for grade_range in self.ranges[row.grade_id]:
            found.add(grade_range.effective_from)
            if grade_range.effective_to:
                found.add(grade_range.effective_to)
        return found

    def scp(self, category: str, on: dt.date) -> int | None:
        row = self.by_category.get(category)
        if row is None:
            return None
        grade_range = _active(self.ranges[row.grade_id], on)
        if grade_range is None:
            return None
        return grade_point(low=grade_range.min_scp, high=grade_range.max_scp, point=row.point)

    def salary(self, category: str, on: dt.date) -> Decimal | None:
        """The full-time salary of the equivalent grade's point on ``on``, or None."""
        return self.spine.salary(self.scp(category, on), on)

    def missing_reason(self, category: str, on: dt.date, label: str) -> str:
        row = self.by_category.get(category)
        if row is None:
            return f"{label}: no equivalent grade set (admin, pay: agency equivalent grades)."
        if self.scp(category, on) is None:
            return f"{label}: {row.grade} has no spinal point range on {on:%d %b %Y}."
        return f"{label}: the pay spine has no salary for {row.grade} on {on:%d %b %Y}."


# --- Agency cost and premium -----------------------------------------------------------


@dataclass
class AgencyLine:
    """Agency cost, the equivalent permanent cost and the FTE-years of one group."""

    agency_cost: Decimal = ZERO
    permanent_cost: Decimal = ZERO
    fte_years: Decimal = ZERO
    placements: set = field(default_factory=set)
    missing: set = field(default_factory=set)

    def add(self, other: AgencyLine) -> None:
        self.agency_cost += other.agency_cost
        self.permanent_cost += other.permanent_cost
        self.fte_years += other.fte_years
        self.placements |= other.placements
        self.missing |= other.missing

    @property
    def premium(self) -> Decimal | None:
        """Agency cost minus equivalent permanent cost; None if any part is not costed."""
        return None if self.missing else self.agency_cost - self.permanent_cost


def _cuts(first: dt.date, stop: dt.date, fixed: Iterable[dt.date]) -> list[dt.date]:
    """``first``, ``stop`` and every first of a month and other fixed day between them."""
    cuts = {first, stop} | {d for d in fixed if first < d < stop}
    month = (first.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    while month < stop:
        cuts.add(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return sorted(cuts)


class AgencyCosting:
    """Placements' agency and equivalent permanent costs over periods (reference data
    loaded once: reuse one instance for many periods)."""

    def __init__(self, placements: list, *, spine: Spine | None = None, oncosts=None) -> None:
        from agency.choices import ORG_ROLE_OF_CATEGORY, RoleCategory

        self.placements = placements
        self.spine = spine or Spine()
        self.oncosts = oncosts or OnCosts()
        self.equivalents = EquivalentGrades(self.spine)
        self.hours = full_time_hours()
        self.roles = {cat: int(role) for cat, role in ORG_ROLE_OF_CATEGORY.items()}
        self.labels = dict(RoleCategory.choices)
        self.fixed = set(self.spine.year_starts) | set(self.oncosts.starts)

    @classmethod
    def between(cls, *, start: dt.date, end: dt.date, **kwargs) -> AgencyCosting:
        from agency.selectors import placements_active_between

        return cls(list(placements_active_between(start=start, end=end)), **kwargs)

    def lines(self, *, start: dt.date, end: dt.date, by: str = "group", include=None) -> dict:
        """``{key: AgencyLine}`` from ``start`` to ``end`` inclusive; ``by``: ``group``
        ((team id, DfE role)), ``month`` ("2025-03"), ``team`` (team name) or ``role``
        (role category label). ``include(team_id, org_role)``: only those placements."""
        found: dict = defaultdict(AgencyLine)
        stop_day = end + dt.timedelta(days=1)
        for p in self.placements:
            if include is not None and not include(p.team_id, self.roles[p.role_category]):
                continue
            first = max(start, p.start_date)
            stop = min(stop_day, p.end_date) if p.end_date else stop_day
            if first >= stop:
                continue
            hourly = p.charge_rate or p.pay_rate
            fte = p.hours_per_week / self.hours
            category = p.role_category
            label = self.labels.get(category, category)
            fixed = self.fixed | self.equivalents.change_dates(category)
            bounds = _cuts(first, stop, fixed)
            for a, b in zip(bounds, bounds[1:], strict=False):
                if by == "group":
                    key = (p.team_id, self.roles[category])
                elif by == "month":
                    key = f"{a:%Y-%m}"
                elif by == "team":
                    key = p.team.name if p.team_id else "No team recorded"
                else:
                    key = label
                line = found[key]
                days = Decimal((b - a).days)
                line.agency_cost += p.hours_per_week * hourly * days / DAYS_PER_WEEK
                line.fte_years += fte * days / DAYS_PER_YEAR
                line.placements.add(p.pk)
                salary = self.equivalents.salary(category, a)
                if salary is None:
                    line.missing.add(self.equivalents.missing_reason(category, a, label))
                    continue
                yearly = self.oncosts.yearly_cost(salary * fte, a)
                line.permanent_cost += yearly * days / DAYS_PER_YEAR
        return dict(found)


def scope_total(lines: dict, scope, teams: dict) -> AgencyLine:
    """The sum of the (team id, DfE role) ``lines`` a scope includes; a line with no team
    counts in the whole service and DfE role scopes only."""
    total = AgencyLine()
    for (team_id, org_role), line in lines.items():
        if in_scope(scope, teams, team_id, org_role):
            total.add(line)
    return total


def in_scope(scope, teams: dict, team_id: int | None, org_role: int) -> bool:
    kind = getattr(scope, "kind", "all") if scope is not None else "all"
    if kind == "all":
        return True
    team = teams.get(team_id)
    if team is None:
        return kind == "role" and org_role == int(scope.value)
    return scope.includes(team, org_role)


def agency_premium(*, start: dt.date, end: dt.date, scope=None, by: str | None = None):
    """The scope's agency cost, equivalent permanent cost and premium over the period
    (an ``AgencyLine``); with ``by`` (``month``, ``team``, ``role``) also the scope's
    lines by that."""
    from dashboards.kpis.scope import team_infos

    costing = AgencyCosting.between(start=start, end=end)
    teams = team_infos()
    total = scope_total(costing.lines(start=start, end=end), scope, teams)
    if by is None:
        return total
    lines = costing.lines(
        start=start, end=end, by=by,
        include=lambda team_id, role: in_scope(scope, teams, team_id, role),
    )  # fmt: skip
    return total, dict(sorted(lines.items()))


# --- The permanent pay bill by group ---------------------------------------------------


def paybill_groups(
    *, employments: list, start: dt.date, end: dt.date, spine: Spine, oncosts: OnCosts
) -> dict[GroupKey, Decimal]:
    """Permanent pay with on-costs from ``start`` to ``end`` inclusive by (team id, DfE
    role) of each day's assignment: the same arithmetic as ``pay.selectors.paybill``
    (spine salary of the point x FTE plus on-costs of each day, a 365th a day)."""
    totals: dict[GroupKey, Decimal] = defaultdict(Decimal)
    stop = end + dt.timedelta(days=1)
    fixed = set(spine.year_starts) | set(oncosts.starts)
    for employment in employments:
        first = max(start, employment.start_date)
        last = min(stop, employment.end_date) if employment.end_date else stop
        if first >= last:
            continue
        points = list(employment.pay_points.all())
        if not points:
            continue
        assignments = list(employment.assignments.all())
        changes = (
            d for row in (*points, *assignments) for d in (row.effective_from, row.effective_to)
        )
        for a, b in day_ranges(first, last, fixed, changes):
            assignment = _active(assignments, a)
            point = _active(points, a)
            if assignment is None or point is None:
                continue
            salary = spine.salary(point.scp, a)
            if salary is None:
                continue
            yearly = oncosts.yearly_cost(salary * assignment.fte, a)
            totals[(assignment.team_id, assignment.org_role)] += (
                yearly * Decimal((b - a).days) / DAYS_PER_YEAR
            )
    return dict(totals)


# --- Cost per case-holding FTE ---------------------------------------------------------


def cost_per_fte(*, paybill: Decimal, agency_cost: Decimal, case_holding_fte: Decimal | None):
    """(Permanent pay bill with on-costs + agency cost) / average case-holding FTE, or
    None with no case-holding FTE (pure arithmetic)."""
    if not case_holding_fte:
        return None
    return (paybill + agency_cost) / case_holding_fte


def month_ends_in(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last days of the months from ``start`` to ``end`` inclusive, or ``[end]`` when
    the period holds no month end: the days the case-holding FTE is averaged over."""
    from .arithmetic import month_ends

    return [d for d in month_ends(start, end) if d >= start] or [end]


@dataclass(frozen=True)
class PeriodCosts:
    """The period's cost figures for one scope (pounds, unrounded)."""

    paybill: Decimal
    agency: AgencyLine
    case_holding_fte: Decimal | None
    case_holding_headcount: Decimal | None

    @property
    def cost_per_case_holding_fte(self) -> Decimal | None:
        return cost_per_fte(
            paybill=self.paybill,
            agency_cost=self.agency.agency_cost,
            case_holding_fte=self.case_holding_fte,
        )


def period_costs(*, start: dt.date, end: dt.date, scope=None) -> PeriodCosts:
    """Pay bill, agency cost and premium, and the average case-holding FTE (from the KPI
    engine, ``pay.figures``) of one scope over a period."""
    from dashboards.kpis.scope import team_infos

    from .figures import case_holding_average

    spine, oncosts = Spine(), OnCosts()
    teams = team_infos()
    groups = paybill_groups(
        employments=permanent_employments(start=start, end=end),
        start=start, end=end, spine=spine, oncosts=oncosts,
    )  # fmt: skip
    paybill = sum(
        (value for (team, role), value in groups.items() if in_scope(scope, teams, team, role)),
        ZERO,
    )
    costing = AgencyCosting.between(start=start, end=end, spine=spine, oncosts=oncosts)
    agency = scope_total(costing.lines(start=start, end=end), scope, teams)
    fte, headcount = case_holding_average(start=start, end=end, scope=scope)
    return PeriodCosts(
        paybill=paybill, agency=agency, case_holding_fte=fte, case_holding_headcount=headcount
    )
