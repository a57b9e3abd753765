"""Property tests: on random small workforces the set-based period pay bill
(``selectors.paybill``) and incentives paid (``selectors.incentives_paid``) give exactly
the figures of a straightforward reference: the per-worker walk over model instances
they replaced, with the spine looked up row by row. Exactly: the same unrounded
Decimals to the last digit, and the same worker counts.

The workforces have spinal point changes (and points the spine does not have, or drops
after March 2023), FTE, team and role changes, gaps without a point, leavers, agency
workers, on-cost rate changes and payments, over periods across pay years, in every
kind of scope.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from dashboards.kpis.scope import Scope
from pay import selectors
from pay.arithmetic import DAYS_PER_YEAR
from pay.models import IncentivePayment, IncentiveScheme, OnCostRate, SpinePoint, WorkerPoint
from tests.factories import AgencyFactory, PersonFactory, ServiceAreaFactory, TeamFactory
from tests.pay.conftest import SPINE
from workforce.choices import ContractType
from workforce.models import Assignment, Employment

FIRST_DAY = dt.date(2020, 1, 1)
SPAN = 6 * 365 + 120  # to the spring of 2026: before the spine, and every pay year
SCPS = [1, 5, 26, 29, 33, 38, 43, 60]  # 1: dropped after March 2023; 60: never on it

period = st.tuples(st.integers(0, SPAN), st.integers(0, 800))
on_cost = st.tuples(
    st.integers(0, SPAN),  # from
    st.integers(0, 1500).map(lambda n: Decimal(n) / 100),  # NI %
    st.integers(0, 12000).map(Decimal),  # threshold
    st.integers(0, 2500).map(lambda n: Decimal(n) / 100),  # pension %
)
change = st.tuples(
    st.integers(1, 700),  # days after the previous one
    st.integers(0, 2),  # team
    st.sampled_from([3, 4, 5, 6]),  # DfE role
    st.sampled_from(["1", "0.5", "0.8", "0.333333", "0.6"]).map(Decimal),
)
point = st.tuples(st.integers(0, 700), st.sampled_from(SCPS))  # days after the previous
worker = st.fixed_dictionaries(
    {
        "contract": st.sampled_from(
            [ContractType.PERMANENT, ContractType.PERMANENT, ContractType.FIXED_TERM]
            + [ContractType.AGENCY]
        ),
        "start": st.integers(0, SPAN),
        "length": st.one_of(st.none(), st.integers(0, 1500)),
        "assignments": st.lists(change, min_size=1, max_size=3),
        "points": st.lists(point, max_size=3),
        "payments": st.lists(st.tuples(st.integers(0, 1200), st.integers(1, 5000)), max_size=2),
    }
)
scope = st.sampled_from(
    [
        None,
        Scope("all"),
        Scope("caseholding"),
        Scope("area", "Area 0"),
        Scope("team", "Team 1"),
        Scope("role", "5"),
        Scope("role", "3"),
    ]
)


def day(offset: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=offset)


def reference_paybill(*, start: dt.date, end: dt.date, scope=None) -> selectors.Paybill:
    """The pay bill as it was worked out before it was set-based: per worker, over
    prefetched model instances, each stretch between changes costed on its own, in
    worker and date order (the order matters to the last digit of an unrounded sum)."""
    salaries = {
        (scp, start): salary
        for scp, start, salary in SpinePoint.objects.values_list(
            "scp", "effective_from", "annual_salary"
        )
    }
    year_starts = sorted({start for _, start in salaries})

    def salary_of(scp, on):  # the point's row of the latest pay year starting by ``on``
        years = [s for s in year_starts if s <= on]
        return salaries.get((scp, years[-1])) if years and scp is not None else None

    oncosts = selectors.OnCosts()
    stop = end + dt.timedelta(days=1)
    fixed = set(year_starts) | set(oncosts.starts)
    total = pay_total = Decimal(0)
    workers = without = 0
    for employment in selectors.permanent_employments(start=start, end=end):
        first = max(start, employment.start_date)
        last = min(stop, employment.end_date) if employment.end_date else stop
        if first >= last:
            continue
        points = list(employment.pay_points.all())
        assignments = list(employment.assignments.all())
        cuts = {first, last} | {d for d in fixed if first < d < last}
        for row in (*points, *assignments):
            for d in (row.effective_from, row.effective_to):
                if d and first < d < last:
                    cuts.add(d)
        bounds = sorted(cuts)
        costed = counted = False
        for a, b in zip(bounds, bounds[1:], strict=False):
            assignment = selectors._active(assignments, a)
            if assignment is None or not selectors._in_scope(scope, assignment):
                continue
            counted = True
            point = selectors._active(points, a)
            salary = salary_of(point.scp if point else None, a)
            if salary is None:
                continue
            costed = True
            pay = salary * assignment.fte
            days = Decimal((b - a).days)
            pay_total += pay * days / DAYS_PER_YEAR
            total += oncosts.yearly_cost(pay, a) * days / DAYS_PER_YEAR
        workers += counted
        without += counted and not costed
    return selectors.Paybill(
        total=total, pay=pay_total, workers=workers, workers_without_point=without
    )


def reference_incentives_paid(*, start: dt.date, end: dt.date, scope=None) -> Decimal:
    """Payments by payment: the team and role on the day paid, else the last one."""
    total = Decimal(0)
    for payment in IncentivePayment.objects.filter(paid_on__gte=start, paid_on__lte=end):
        assignments = list(payment.employment.assignments.all())
        assignment = selectors._active(assignments, payment.paid_on) or max(
            assignments, key=lambda a: a.effective_from
        )
        if scope is None or selectors._in_scope(scope, assignment):
            total += payment.amount
    return total


class PaybillPropertyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("import_pay_spine", str(SPINE), stdout=StringIO())
        areas = [ServiceAreaFactory(name=f"Area {n}") for n in range(2)]
        cls.teams = [
            TeamFactory(name=f"Team {n}", service_area=areas[n % 2], is_case_holding=n != 2)
            for n in range(3)
        ]
        cls.scheme = IncentiveScheme.objects.create(
            name="Retention", kind="retention_payment", amount=Decimal(5000),
            start_date=FIRST_DAY,
        )  # fmt: skip

    def build(self, workers: list[dict], rates: list[tuple]) -> None:
        for start, ni, threshold, pension in {rate[0]: rate for rate in rates}.values():
            OnCostRate.objects.create(
                effective_from=day(start), employer_ni_rate=ni,
                employer_ni_threshold=threshold, pension_rate=pension,
            )  # fmt: skip
        for w in workers:
            start = day(w["start"])
            end = None if w["length"] is None else start + dt.timedelta(days=w["length"])
            agency = w["contract"] == ContractType.AGENCY
            employment = Employment.objects.create(
                person=PersonFactory(), contract_type=w["contract"], start_date=start,
                end_date=end, agency=AgencyFactory() if agency else None,
            )  # fmt: skip
            froms, date = [], start
            for gap, *_ in w["assignments"]:
                froms.append(date)
                date += dt.timedelta(days=gap)
            for (_, team, role, fte), first, following in zip(
                w["assignments"], froms, [*froms[1:], None], strict=True
            ):
                Assignment.objects.create(
                    employment=employment, effective_from=first, effective_to=following,
                    team=self.teams[team], org_role=role, fte=fte, change_reason="start",
                )  # fmt: skip
            froms, date = [], start
            for gap, _ in w["points"]:
                date += dt.timedelta(days=gap)
                if not froms or date > froms[-1]:
                    froms.append(date)
            for (_, scp), first, following in zip(
                w["points"], froms, [*froms[1:], None], strict=False
            ):
                WorkerPoint.objects.create(
                    employment=employment, effective_from=first, effective_to=following,
                    scp=scp, reason="start",
                )  # fmt: skip
            for n, (after, amount) in enumerate(w["payments"]):
                IncentivePayment.objects.create(
                    scheme=self.scheme, employment=employment, due_date=day(n),
                    amount=Decimal(amount), paid_on=start + dt.timedelta(days=after),
                )  # fmt: skip

    @settings(
        max_examples=60, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(
        workers=st.lists(worker, min_size=1, max_size=6),
        rates=st.lists(on_cost, max_size=3),
        periods=st.lists(period, min_size=1, max_size=3),
        scopes=st.lists(scope, min_size=1, max_size=3),
    )
    def test_the_set_based_figures_are_the_references_to_the_last_digit(
        self, workers, rates, periods, scopes
    ):
        self.build(workers, rates)
        for (first, length), scope_ in zip(periods, scopes * 3, strict=False):
            start, end = day(first), day(first + length)
            assert selectors.paybill(start=start, end=end, scope=scope_) == reference_paybill(
                start=start, end=end, scope=scope_
            ), (start, end, scope_)
            assert selectors.incentives_paid(
                start=start, end=end, scope=scope_
            ) == reference_incentives_paid(start=start, end=end, scope=scope_)
