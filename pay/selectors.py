"""Reads of the pay app: salaries from the spine as of a date, increments due, incentive
payments due, a leaver's clawback, and the period costs (pay bill with on-costs,
incentives paid and due). A handful of queries per call, then arithmetic in Python over
the permanent workers of the period (a council has hundreds, not millions)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q

from workforce.choices import ContractType
from workforce.models import Assignment, Employment

from . import agency
from .arithmetic import (
    DAYS_PER_YEAR,
    add_months,
    clawback_applies,
    month_ends,
    pounds,
    yearly_cost,
)
from .choices import RECURRING_KINDS, IncentiveKind
from .models import (
    GradePointRange,
    IncentivePayment,
    IncentiveScheme,
    OnCostRate,
    SpinePoint,
    WorkerPoint,
)

# --- The spine, grades and on-costs ----------------------------------------------------


class Spine:
    """The whole pay spine in memory (one query): ``salary(scp, on)``."""

    def __init__(self) -> None:
        self._points: dict[int, tuple[list[dt.date], list[Decimal]]] = {}
        for scp, start, salary in SpinePoint.objects.order_by("scp", "effective_from").values_list(
            "scp", "effective_from", "annual_salary"
        ):
            starts, salaries = self._points.setdefault(scp, ([], []))
            starts.append(start)
            salaries.append(salary)
        self.year_starts = sorted({s for starts, _ in self._points.values() for s in starts})
        self._salaries: dict[tuple[int, int], Decimal | None] = {}

    def salary(self, scp: int | None, on: dt.date) -> Decimal | None:
        """The full-time annual salary of ``scp`` in the pay year in force on ``on``; None
        before the spine starts or for a point the spine no longer has (SCP 1 after
        March 2023)."""
        if scp is None or scp not in self._points:
            return None
        # The same for every day of a pay year: worked out once a point and year.
        key = (scp, bisect_right(self.year_starts, on))
        if key not in self._salaries:
            self._salaries[key] = self._salary(scp, on)
        return self._salaries[key]

    def _salary(self, scp: int, on: dt.date) -> Decimal | None:
        starts, salaries = self._points[scp]
        index = bisect_right(starts, on) - 1
        if index < 0:
            return None
        # A point deleted in a later pay year has no row for it: no salary from then on.
        later = [s for s in self.year_starts if starts[index] < s <= on]
        return None if later else salaries[index]


def spine_salary(*, scp: int, on: dt.date) -> Decimal | None:
    """The full-time annual salary of spinal point ``scp`` on ``on``."""
    return Spine().salary(scp, on)


class OnCosts:
    """Every on-cost rate in memory (one query): ``on(date)``."""

    def __init__(self) -> None:
        self.rates = list(OnCostRate.objects.order_by("effective_from"))
        self.starts = [rate.effective_from for rate in self.rates]

    def on(self, date: dt.date) -> OnCostRate | None:
        index = bisect_right(self.starts, date) - 1
        return self.rates[index] if index >= 0 else None

    def yearly_cost(self, pay: Decimal, date: dt.date) -> Decimal:
        rate = self.on(date)
        if rate is None:
            return pay
        return yearly_cost(
            pay=pay, ni_rate=rate.employer_ni_rate, ni_threshold=rate.employer_ni_threshold,
            pension_rate=rate.pension_rate,
        )  # fmt: skip


def grade_range_on(*, grade_id: int | None, on: dt.date) -> GradePointRange | None:
    if grade_id is None:
        return None
    return (
        GradePointRange.objects.filter(grade_id=grade_id, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("-effective_from")
        .first()
    )


def increment_date_on_or_after(date: dt.date) -> dt.date:
    """The council's next annual increment date (``PAY_INCREMENT_MONTH_DAY``, default
    1 April) on or after ``date``."""
    month, day = getattr(settings, "PAY_INCREMENT_MONTH_DAY", (4, 1))
    candidate = dt.date(date.year, month, day)
    return candidate if candidate >= date else dt.date(date.year + 1, month, day)


# --- Workers ---------------------------------------------------------------------------


def _active(rows: Iterable, on: dt.date, start: str = "effective_from", end: str = "effective_to"):
    for row in rows:
        if getattr(row, start) <= on and (getattr(row, end) is None or getattr(row, end) > on):
            return row
    return None


def active_row(rows: Iterable[tuple], on: dt.date) -> tuple | None:
    """The first of ``rows`` (``(effective_from, effective_to, ...)`` tuples) in force on
    ``on``: ``_active`` for the plain rows of ``permanent_rows``."""
    for row in rows:
        if row[0] <= on and (row[1] is None or row[1] > on):
            return row
    return None


@dataclass(frozen=True)
class PermanentRows:
    """The permanent employments in post at some time in a period, as plain tuples.

    ``spans``: employment id -> (start date, end date), in ``Employment``'s order (the
    order ``permanent_employments`` lists them in); ``assignments``: employment id ->
    [(effective_from, effective_to, team id, DfE role, FTE)] and ``points``: employment
    id -> [(effective_from, effective_to, SCP)], each by ``effective_from``."""

    spans: dict[int, tuple[dt.date, dt.date | None]]
    assignments: dict[int, list[tuple]]
    points: dict[int, list[tuple]]


def permanent_rows(*, start: dt.date, end: dt.date) -> PermanentRows:
    """``permanent_employments``' employments with their assignments and spinal points in
    three ``values_list`` queries: no model instances, for the set-based readers (the
    period pay bill, the pay KPI family) that walk thousands of workers."""
    permanent = (
        Employment.objects.exclude(contract_type=ContractType.AGENCY)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
    )
    spans = {
        pk: (first, last)
        for pk, first, last in permanent.values_list("pk", "start_date", "end_date")
    }
    return PermanentRows(
        spans,
        assignments=_by_employment(
            Assignment.objects.filter(employment__in=permanent), *ASSIGNMENT_FIELDS
        ),
        points=_by_employment(
            WorkerPoint.objects.filter(employment__in=permanent),
            "effective_from", "effective_to", "scp",
        ),
    )  # fmt: skip


#: An assignment row of ``permanent_rows``.
ASSIGNMENT_FIELDS = ("effective_from", "effective_to", "team_id", "org_role", "fte")


def _by_employment(queryset, *fields: str) -> dict[int, list[tuple]]:
    """``fields`` of the dated rows of ``queryset`` (assignments, spinal points) by
    employment id, each employment's by ``effective_from`` (one query)."""
    rows: dict[int, list[tuple]] = {}
    for employment_id, *row in queryset.order_by("employment_id", "effective_from").values_list(
        "employment_id", *fields
    ):
        rows.setdefault(employment_id, []).append(tuple(row))
    return rows


def assignment_when_paid(rows: list[tuple], paid_on: dt.date) -> tuple:
    """The assignment row a payment counts under: the one in force on the day paid, else
    (paid after leaving) the last one."""
    return active_row(rows, paid_on) or max(rows, key=lambda row: row[0])


def permanent_employments(
    *, start: dt.date, end: dt.date, pks: list[int] | None = None
) -> list[Employment]:
    """Permanent (non-agency) employments in post at some time from ``start`` to ``end``
    inclusive, with their assignments (and teams) and spinal points (three queries)."""
    qs = Employment.objects.all() if pks is None else Employment.objects.filter(pk__in=pks)
    return list(
        qs.exclude(contract_type=ContractType.AGENCY)
        .filter(start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("team", "team__service_area", "grade"),
            ),
            Prefetch("pay_points", queryset=WorkerPoint.objects.order_by("effective_from")),
        )
    )


@dataclass(frozen=True)
class WorkerPay:
    employment: Employment
    assignment: Assignment
    scp: int | None
    annual_salary: Decimal | None  # full time

    @property
    def pay(self) -> Decimal | None:
        """The worker's annual pay: the full-time salary x FTE."""
        if self.annual_salary is None:
            return None
        return self.annual_salary * self.assignment.fte


def worker_pay_on(
    *,
    employment: Employment,
    on: dt.date,
    spine: Spine | None = None,
    assignments: Sequence[Assignment] | None = None,
    points: Sequence[WorkerPoint] | None = None,
) -> WorkerPay | None:
    """A worker's grade, point and salary on ``on`` (None if not in post that day).
    ``assignments`` and ``points``: the employment's, already listed (the KPI batch asks
    for hundreds of dates; listing them once per worker rather than once per date halves
    the pay KPIs' time)."""
    if employment.start_date > on or (employment.end_date and employment.end_date <= on):
        return None
    assignment = _active(employment.assignments.all() if assignments is None else assignments, on)
    if assignment is None:
        return None
    point = _active(employment.pay_points.all() if points is None else points, on)
    scp = point.scp if point else None
    return WorkerPay(
        employment=employment, assignment=assignment, scp=scp,
        annual_salary=(spine or Spine()).salary(scp, on),
    )  # fmt: skip


def pay_on(*, on: dt.date, scope=None) -> list[WorkerPay]:
    """Every permanent worker in post on ``on`` (in ``scope``) with their pay."""
    spine = Spine()
    rows = []
    for employment in permanent_employments(start=on, end=on):
        row = worker_pay_on(employment=employment, on=on, spine=spine)
        if row and _in_scope(scope, row.assignment):
            rows.append(row)
    return rows


def _in_scope(scope, assignment: Assignment) -> bool:
    if scope is None or scope.kind == "all":
        return True
    from dashboards.kpis.scope import TeamInfo

    team = assignment.team
    info = TeamInfo(team.id, team.name, team.service_area.name, team.is_case_holding)
    return scope.includes(info, assignment.org_role)


@dataclass(frozen=True)
class IncrementDue:
    employment: Employment
    grade_name: str
    from_scp: int
    to_scp: int
    from_salary: Decimal | None
    to_salary: Decimal | None


def increments_due(*, on: dt.date) -> list[IncrementDue]:
    """Workers due an annual increment on ``on``: permanent, in post, on a point below the
    top of their grade's range on that date, and not already moved on that date."""
    spine = Spine()
    ranges = {}
    for row in (
        GradePointRange.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("effective_from")
    ):
        ranges[row.grade_id] = row
    due = []
    for employment in permanent_employments(start=on, end=on):
        row = worker_pay_on(employment=employment, on=on, spine=spine)
        if row is None or row.scp is None:
            continue
        point = _active(employment.pay_points.all(), on)
        grade_range = ranges.get(row.assignment.grade_id)
        if grade_range is None or point.effective_from == on or row.scp >= grade_range.max_scp:
            continue
        due.append(
            IncrementDue(
                employment=employment,
                grade_name=str(row.assignment.grade),
                from_scp=row.scp,
                to_scp=row.scp + 1,
                from_salary=row.annual_salary,
                to_salary=spine.salary(row.scp + 1, on),
            )  # fmt: skip
        )
    return sorted(due, key=lambda d: (d.employment.person.last_name, d.employment.pk))


# --- Incentives ------------------------------------------------------------------------


@dataclass
class PaymentDue:
    scheme: IncentiveScheme
    employment: Employment
    due_date: dt.date
    amount: Decimal
    paid: IncentivePayment | None = None
    assignment: Assignment | None = field(default=None, repr=False)


def _schemes() -> list[IncentiveScheme]:
    return list(IncentiveScheme.objects.prefetch_related("teams", "grades", "instalments"))


def _qualifies(scheme: IncentiveScheme, assignment: Assignment | None, on: dt.date) -> bool:
    if assignment is None:
        return False
    if scheme.start_date > on or (scheme.end_date and scheme.end_date <= on):
        return False
    team_ids = {team.pk for team in scheme.teams.all()}
    grade_ids = {grade.pk for grade in scheme.grades.all()}
    roles = {int(code) for code in scheme.org_roles}
    return (
        (not team_ids or assignment.team_id in team_ids)
        and (not grade_ids or assignment.grade_id in grade_ids)
        and (not roles or assignment.org_role in roles)
    )


def _anchor(scheme: IncentiveScheme, employment: Employment) -> dt.date | None:
    """The date a one-off incentive's instalments count from, or None if the worker is
    not covered: new starters in the scheme's period for recruitment and relocation;
    anyone in post during it for retention (from the later of start and scheme start)."""
    if scheme.kind == IncentiveKind.RETENTION_PAYMENT:
        anchor = max(employment.start_date, scheme.start_date)
    else:
        anchor = employment.start_date
    if anchor < scheme.start_date or (scheme.end_date and anchor >= scheme.end_date):
        return None
    if employment.end_date and employment.end_date <= anchor:
        return None
    return anchor


def _dues_for(
    scheme: IncentiveScheme, employment: Employment, start: dt.date, end: dt.date
) -> list[PaymentDue]:
    assignments = employment.assignments.all()
    dues = []
    if scheme.kind in RECURRING_KINDS:
        for date in month_ends(start, end):
            if employment.start_date > date or (
                employment.end_date and employment.end_date <= date
            ):
                continue
            assignment = _active(assignments, date)
            if _qualifies(scheme, assignment, date):
                amount = pounds(scheme.amount * assignment.fte / 12)
                dues.append(PaymentDue(scheme, employment, date, amount, assignment=assignment))
        return dues
    anchor = _anchor(scheme, employment)
    if anchor is None or not _qualifies(scheme, _active(assignments, anchor), anchor):
        return dues
    for instalment in scheme.instalments.all():
        date = add_months(anchor, instalment.months_after)
        if not start <= date <= end:
            continue
        if employment.end_date and employment.end_date <= date:
            continue  # left before it fell due: nothing to pay
        amount = pounds(scheme.amount * instalment.share)
        dues.append(
            PaymentDue(scheme, employment, date, amount, assignment=_active(assignments, date))
        )
    return dues


def incentive_dues(
    *, start: dt.date, end: dt.date, scope=None, employments: list[Employment] | None = None
) -> list[PaymentDue]:
    """Every incentive payment falling due from ``start`` to ``end`` inclusive, with what
    HR recorded as paid for it (if anything). A worker who has left before a payment's
    date is not due it."""
    schemes = _schemes()
    if employments is None:
        # Retention instalments fall due up to years after the start: look far enough back.
        employments = permanent_employments(start=start, end=end)
    paid = {
        (p.scheme_id, p.employment_id, p.due_date): p
        for p in IncentivePayment.objects.filter(
            due_date__gte=start,
            due_date__lte=end,
            employment__in=[e.pk for e in employments],
        )  # fmt: skip
    }
    dues = []
    for employment in employments:
        for scheme in schemes:
            for due in _dues_for(scheme, employment, start, end):
                if due.assignment is not None and not _in_scope(scope, due.assignment):
                    continue
                due.paid = paid.get((scheme.pk, employment.pk, due.due_date))
                dues.append(due)
    return sorted(dues, key=lambda d: (d.due_date, d.employment.person.last_name, d.scheme.name))


@dataclass(frozen=True)
class ClawbackLine:
    scheme: IncentiveScheme
    due_date: dt.date
    amount: Decimal
    recorded_paid: bool
    repay_until: dt.date


@dataclass(frozen=True)
class Clawback:
    leaving_date: dt.date | None
    lines: tuple[ClawbackLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


def clawback_for(*, employment: Employment, leaving_date: dt.date | None = None) -> Clawback:
    """What a leaver repays: each one-off incentive instalment that fell due before they
    left, if they leave less than the scheme's ``clawback_months`` after it fell due. The
    amount is what HR recorded as paid, or the instalment if nothing was recorded."""
    leaving = leaving_date or employment.end_date
    if leaving is None:
        return Clawback(None, ())
    employment = Employment.objects.prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("team"))
    ).get(pk=employment.pk)
    paid = {(p.scheme_id, p.due_date): p for p in employment.incentive_payments.all()}
    lines = []
    for scheme in _schemes():
        if scheme.kind in RECURRING_KINDS or not scheme.clawback_months:
            continue
        for due in _dues_for(scheme, employment, employment.start_date, leaving):
            if due.due_date >= leaving:
                continue
            if not clawback_applies(
                due_date=due.due_date, leaving_date=leaving, months=scheme.clawback_months
            ):
                continue
            payment = paid.get((scheme.pk, due.due_date))
            lines.append(
                ClawbackLine(
                    scheme=scheme,
                    due_date=due.due_date,
                    amount=payment.amount if payment else due.amount,
                    recorded_paid=payment is not None,
                    repay_until=add_months(due.due_date, scheme.clawback_months),
                )  # fmt: skip
            )
    return Clawback(leaving, tuple(lines))


# --- Costs over a period ---------------------------------------------------------------


@dataclass(frozen=True)
class Paybill:
    total: Decimal  # pay plus on-costs, pounds (unrounded)
    pay: Decimal
    workers: int
    workers_without_point: int


def paybill(*, start: dt.date, end: dt.date, scope=None) -> Paybill:
    """The permanent pay bill from ``start`` to ``end`` inclusive: each permanent worker's
    salary from the spine (their point, the pay year of each day) x FTE, plus on-costs in
    force each day, pro rata by days (a year is 365 days). Workers with no spinal point
    recorded are counted, not costed.

    Set-based reads (``permanent_rows``: three ``values_list`` queries, no model
    instances), then each worker's period cut where their point or assignment changes, a
    pay year starts or the on-cost rates change; salaries and scope tests are worked out
    once a point and pay year, once a (team, DfE role). The pieces are added in the
    order of the workers and of the days, so the unrounded Decimal totals are the same
    to the last digit as adding them day range by day range, worker by worker."""
    from dashboards.kpis.scope import team_infos

    from .costing import in_scope

    spine, oncosts = Spine(), OnCosts()
    rows = permanent_rows(start=start, end=end)
    everyone = scope is None or scope.kind == "all"
    teams = {} if everyone else team_infos()
    included: dict[tuple, bool] = {}
    stop = end + dt.timedelta(days=1)
    fixed = sorted(d for d in {*spine.year_starts, *oncosts.starts} if start < d < stop)
    total = pay_total = Decimal(0)
    workers = without = 0
    for pk, (hired, left) in rows.spans.items():
        first = max(start, hired)
        last = min(stop, left) if left else stop
        if first >= last:
            continue
        points = rows.points.get(pk, [])
        assignments = rows.assignments.get(pk, [])
        costed = counted = False
        changes = (d for row in (*points, *assignments) for d in row[:2])
        for a, b in day_ranges(first, last, fixed, changes):
            assignment = active_row(assignments, a)
            if assignment is None:
                continue
            group = assignment[2:4]  # (team id, DfE role)
            if not everyone:
                if group not in included:
                    included[group] = in_scope(scope, teams, *group)
                if not included[group]:
                    continue
            counted = True
            point = active_row(points, a)
            salary = spine.salary(point[2] if point else None, a)
            if salary is None:
                continue
            costed = True
            pay = salary * assignment[4]
            days = Decimal((b - a).days)
            pay_total += pay * days / DAYS_PER_YEAR
            total += oncosts.yearly_cost(pay, a) * days / DAYS_PER_YEAR
        workers += counted
        without += counted and not costed
    return Paybill(total=total, pay=pay_total, workers=workers, workers_without_point=without)


def day_ranges(first: dt.date, last: dt.date, fixed: Iterable[dt.date], changes: Iterable):
    """The day ranges ``[a, b)`` that cut ``[first, last)`` at each of the ``fixed`` dates
    (pay years, on-cost rates) and ``changes`` (a worker's point and assignment starts and
    ends; None for an open end) inside it, in date order."""
    cuts = {first, last}
    cuts.update(d for d in fixed if first < d < last)
    cuts.update(d for d in changes if d and first < d < last)
    bounds = sorted(cuts)
    return zip(bounds, bounds[1:], strict=False)


def incentives_paid(*, start: dt.date, end: dt.date, scope=None) -> Decimal:
    """Incentive payments HR recorded as paid from ``start`` to ``end`` inclusive (scope:
    the worker's team and role on the day paid). Two ``values_list`` queries."""
    from dashboards.kpis.scope import team_infos

    from .costing import in_scope

    payments = IncentivePayment.objects.filter(paid_on__gte=start, paid_on__lte=end)
    if scope is None or scope.kind == "all":
        return sum(payments.values_list("amount", flat=True), Decimal(0))
    payments = list(payments.values_list("employment_id", "paid_on", "amount"))
    assignments = _by_employment(
        Assignment.objects.filter(employment__in={row[0] for row in payments}),
        *ASSIGNMENT_FIELDS,
    )
    teams = team_infos()
    total = Decimal(0)
    for employment_id, paid_on, amount in payments:
        assignment = assignment_when_paid(assignments.get(employment_id, []), paid_on)
        if in_scope(scope, teams, assignment[2], assignment[3]):
            total += amount
    return total


def costs(*, start: dt.date, end: dt.date, scope=None) -> dict:
    """The cost figures of a period, in pounds (two decimals): what ``manage.py costs``
    prints and the Pay and costs page shows. Agency figures come from ``pay.agency``, the
    case-holding FTE from the KPI engine (``pay.figures``), the arithmetic of the premium
    and of the cost per case-holding FTE from ``pay.costing``."""
    from .costing import cost_per_fte
    from .figures import case_holding_average

    bill = paybill(start=start, end=end, scope=scope)
    lookback = add_months(start, -60)  # retention instalments fall due years after starting
    dues = incentive_dues(
        start=start, end=end, scope=scope,
        employments=permanent_employments(start=lookback, end=end),
    )  # fmt: skip
    line = agency.agency_line(start=start, end=end, scope=scope)
    spend, premium = line.agency_cost, line.premium
    fte, headcount = case_holding_average(start=start, end=end, scope=scope)
    # No permanent worker costed from the spine: no pay data, so no cost per FTE.
    per_fte = (
        cost_per_fte(paybill=bill.total, agency_cost=spend, case_holding_fte=fte)
        if bill.workers > bill.workers_without_point
        else None
    )
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "scope": str(scope) if scope is not None else "all",
        "permanent_paybill": pounds(bill.total),
        "incentives_paid": pounds(incentives_paid(start=start, end=end, scope=scope)),
        "incentives_due": pounds(sum((d.amount for d in dues), Decimal(0))),
        "agency_spend": None if spend is None else pounds(spend),
        "agency_premium": None if premium is None else pounds(premium),
        "cost_per_case_holding_fte": None if per_fte is None else pounds(per_fte),
        "permanent_workers": bill.workers,
        "workers_without_point": bill.workers_without_point,
        "agency_placements": len(line.placements),
        "agency_fte_years": line.fte_years,
        "agency_equivalent_cost": None if premium is None else line.permanent_cost,
        "premium_missing": sorted(line.missing),
        "case_holding_fte": fte,
        "case_holding_headcount": headcount,
    }
