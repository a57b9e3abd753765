"""(i) The cost KPIs (issue 14) on the large council against a hand-written SQL floor.

``manage.py costs`` and the Pay and costs page work out the period's permanent pay bill
(``pay.selectors.paybill``) and agency spend (``pay.agency.agency_costs``); the pay KPI
family (``dashboards.kpis.pay``) works out the yearly cost of the permanent workforce on
each date. The floors compute the same figures in one SQL statement each, day by day
(``FLOOR_COSTS_SQL``) or date by date (``FLOOR_PAY_FAMILY_SQL``), so the case says how
far the product is from what the database alone needs. ``tests/pay/test_costs_floor.py``
checks that the floor and the product give the same figures on a small hand-made council.

The synthetic council has no pay: ``ensure_pay_data`` adds it once (the NJC spine from
``data/pay/``, the demo's on-cost rates, one spinal point per permanent employment in post
since April 2021, and a placement with rates for each agency worker).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection

from benchmarks.measure import repeat

#: The permanent pay bill (pay + employer NI above the threshold + pension, pro rata by
#: day, a year being 365 days) and the agency spend (hours x charge rate, else pay rate,
#: x active days / 7) from %(start)s to %(end)s inclusive, whole service.
FLOOR_COSTS_SQL = """
WITH days AS (
  SELECT d::date AS day,
    (SELECT max(effective_from) FROM pay_spinepoint WHERE effective_from <= d::date) AS year_start
  FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d
), costed AS (
  SELECT sp.annual_salary * a.fte AS pay, oc.employer_ni_rate AS ni,
    oc.employer_ni_threshold AS threshold, oc.pension_rate AS pension
  FROM days
  JOIN workforce_employment e ON e.contract_type <> 'agency' AND e.start_date <= days.day
    AND (e.end_date IS NULL OR e.end_date > days.day)
  JOIN workforce_assignment a ON a.employment_id = e.id AND a.effective_from <= days.day
    AND (a.effective_to IS NULL OR a.effective_to > days.day)
  JOIN pay_workerpoint wp ON wp.employment_id = e.id AND wp.effective_from <= days.day
    AND (wp.effective_to IS NULL OR wp.effective_to > days.day)
  JOIN pay_spinepoint sp ON sp.scp = wp.scp AND sp.effective_from = days.year_start
  LEFT JOIN LATERAL (
    SELECT * FROM pay_oncostrate r WHERE r.effective_from <= days.day
    ORDER BY r.effective_from DESC LIMIT 1
  ) oc ON true
)
SELECT
  (SELECT COALESCE(SUM(pay + COALESCE(GREATEST(pay - threshold, 0) * ni / 100, 0)
     + COALESCE(pay * pension / 100, 0)), 0) / 365 FROM costed),
  (SELECT COALESCE(SUM(p.hours_per_week * COALESCE(p.charge_rate, p.pay_rate)
     * GREATEST(LEAST(COALESCE(p.end_date - 1, %(end)s::date), %(end)s::date)
                - GREATEST(p.start_date, %(start)s::date) + 1, 0) / 7.0), 0)
   FROM agency_agencyplacement p
   WHERE p.start_date <= %(end)s AND (p.end_date IS NULL OR p.end_date > %(start)s))
"""

#: The pay KPI family's money figure on each date: the yearly cost (pay + on-costs at the
#: date's rates) of the permanent workers in post with a spinal point, whole service.
FLOOR_PAY_FAMILY_SQL = """
WITH dates AS (
  SELECT d, (SELECT max(effective_from) FROM pay_spinepoint WHERE effective_from <= d) AS year_start
  FROM unnest(%(dates)s::date[]) AS d
), costed AS (
  SELECT dates.d, sp.annual_salary * a.fte AS pay, oc.employer_ni_rate AS ni,
    oc.employer_ni_threshold AS threshold, oc.pension_rate AS pension
  FROM dates
  JOIN workforce_employment e ON e.contract_type <> 'agency' AND e.start_date <= dates.d
    AND (e.end_date IS NULL OR e.end_date > dates.d)
  JOIN workforce_assignment a ON a.employment_id = e.id AND a.effective_from <= dates.d
    AND (a.effective_to IS NULL OR a.effective_to > dates.d)
  JOIN pay_workerpoint wp ON wp.employment_id = e.id AND wp.effective_from <= dates.d
    AND (wp.effective_to IS NULL OR wp.effective_to > dates.d)
  JOIN pay_spinepoint sp ON sp.scp = wp.scp AND sp.effective_from = dates.year_start
  LEFT JOIN LATERAL (
    SELECT * FROM pay_oncostrate r WHERE r.effective_from <= dates.d
    ORDER BY r.effective_from DESC LIMIT 1
  ) oc ON true
)
SELECT d, COUNT(*), SUM(pay + COALESCE(GREATEST(pay - threshold, 0) * ni / 100, 0)
  + COALESCE(pay * pension / 100, 0))
FROM costed GROUP BY d ORDER BY d
"""


def floor_costs(*, start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """(permanent pay bill, agency spend) in pounds, unrounded, by the SQL floor."""
    with connection.cursor() as cur:
        cur.execute(FLOOR_COSTS_SQL, {"start": start, "end": end})
        paybill, spend = cur.fetchone()
    return Decimal(paybill), Decimal(spend)


def floor_pay_family(*, dates: list[dt.date]) -> dict[dt.date, tuple[int, Decimal]]:
    """Each date's (costed headcount, yearly cost) by the SQL floor."""
    with connection.cursor() as cur:
        cur.execute(FLOOR_PAY_FAMILY_SQL, {"dates": list(dates)})
        return {d: (n, Decimal(cost)) for d, n, cost in cur.fetchall()}


def ensure_pay_data() -> str:
    """Give the synthetic council pay (once); says what it added."""
    from django.conf import settings

    from agency.models import AgencyPlacement
    from pay import demo as pay_demo
    from pay import services
    from pay.models import OnCostRate, SpinePoint, WorkerPoint
    from workforce.choices import ContractType
    from workforce.models import Assignment, Employment

    added = []
    if not SpinePoint.objects.exists():
        path = settings.BASE_DIR / "data" / "pay" / "njc_pay_spine.csv"
        added.append(
            f"{services.pay_spine_import(text=path.read_text(encoding='utf-8'))} spine rows"
        )
    if not OnCostRate.objects.exists():
        for start, rate, threshold, note in pay_demo.ON_COSTS:
            OnCostRate.objects.create(
                effective_from=start, employer_ni_rate=Decimal(rate),
                employer_ni_threshold=Decimal(threshold), pension_rate=pay_demo.PENSION_RATE,
                note=note,
            )  # fmt: skip
    since = pay_demo.SPINE_START
    if not WorkerPoint.objects.exists():
        points = [
            WorkerPoint(
                employment_id=pk,
                effective_from=max(start, since),
                scp=26 + pk % 15,
                reason="start",
            )  # fmt: skip
            for pk, start in Employment.objects.exclude(contract_type=ContractType.AGENCY)
            .exclude(end_date__lte=since)
            .values_list("pk", "start_date")
        ]
        WorkerPoint.objects.bulk_create(points, batch_size=5000)
        added.append(f"{len(points)} spinal points")
    if not AgencyPlacement.objects.exists():
        teams = dict(
            Assignment.objects.order_by("employment_id", "-effective_from")
            .distinct("employment_id")
            .values_list("employment_id", "team_id")
        )
        placements = [
            AgencyPlacement(
                swe_number=e.person.swe_number,
                person=e.person,
                employment=e,
                agency=e.agency,
                team_id=teams.get(e.pk),
                role_category="social_worker",
                pay_rate=Decimal(30 + e.pk % 8),
                charge_rate=Decimal(40 + e.pk % 12),
                hours_per_week=Decimal("37"),
                start_date=e.start_date,
                end_date=e.end_date,
                notice_weeks=4,
                declared_la_months=36,
            )  # fmt: skip
            for e in Employment.objects.filter(contract_type=ContractType.AGENCY)
            .exclude(agency=None)
            .select_related("person")
        ]
        AgencyPlacement.objects.bulk_create(placements, batch_size=5000)
        added.append(f"{len(placements)} agency placements")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return ", ".join(added) or "nothing (already there)"


def costs_case(*, runs: int, as_of: dt.date, tmp: str) -> list:
    from benchmarks.cases import Row
    from dashboards.kpis.pay import pay_kpis
    from dashboards.kpis.scope import Scope
    from pay import agency, selectors
    from pay.arithmetic import month_ends, pounds

    print(f"  pay data: {ensure_pay_data()}", flush=True)
    start = as_of.replace(year=as_of.year - 1) + dt.timedelta(days=1)

    def product():
        bill = selectors.paybill(start=start, end=as_of)
        spend, _premium = agency.agency_costs(start=start, end=as_of)
        return bill.total, spend

    ours, floor = product(), floor_costs(start=start, end=as_of)
    print(
        f"  {start} to {as_of}: paybill product £{pounds(ours[0]):,} floor £{pounds(floor[0]):,}; "
        f"agency spend product £{pounds(ours[1]):,} floor £{pounds(floor[1]):,}",
        flush=True,
    )
    rows = [
        Row(
            "(i) cost KPIs: 12 months' permanent paybill + agency spend",
            repeat("costs", product, runs=runs),
            repeat("floor", lambda: floor_costs(start=start, end=as_of), runs=runs),
            "< 2 s",
            2.0,
        ),
        Row(
            "(i) `manage.py costs` figures (paybill, incentives paid and due, agency)",
            repeat(
                "all costs", lambda: selectors.costs(start=start, end=as_of), runs=max(3, runs // 4)
            ),
            None,
            "< 5 s",
            5.0,
        ),
    ]
    dates = month_ends(start, as_of)
    scope = Scope.parse("all")
    family = pay_kpis(dates=dates, scopes=[scope])
    floor_family = floor_pay_family(dates=dates)
    last = dates[-1]
    print(
        f"  pay family on {last}: product {family[(last, scope)]['paid_headcount']} costed, "
        f"£{pounds(family[(last, scope)]['permanent_pay_yearly_cost']):,} a year; floor "
        f"{floor_family[last][0]} costed, £{pounds(floor_family[last][1]):,}",
        flush=True,
    )
    rows.append(
        Row(
            "(i) pay KPI family, 12 month-ends, whole service",
            repeat(
                "pay family", lambda: pay_kpis(dates=dates, scopes=[scope]), runs=max(3, runs // 4)
            ),
            repeat("floor", lambda: floor_pay_family(dates=dates), runs=max(3, runs // 4)),
            "< 5 s",
            5.0,
        )
    )
    return rows
