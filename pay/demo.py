"""Demo pay on top of the workforce demo (``manage.py seed_demo``), modelled on the seeds.

- The NJC pay spine 2021/22 to 2025/26 from ``data/pay/njc_pay_spine.csv``.
- The demo council's grades on the spine (bands like Medway's and Tameside's: ASYE
  SCP 26-28, Level 2 29-31, Level 3 32-34, advanced practitioner 35-38 ...).
- The grade an agency worker of each DfE role category is compared with for the agency
  premium (``EQUIVALENT_GRADES``).
- Employer on-costs: NI at the published rates and thresholds from April 2021, and a
  19.5% LGPS employer rate (a typical council figure, not any one council's).
- Every permanent worker's spinal point: a point in their grade when they join or change
  grade, then an increment each 1 April up to the top of the grade (the one due next
  April is left for HR to confirm). Before April 2021 there is no spine, so no salary.
- Surrey's £5,000 market supplement for the Family Safeguarding teams and for IROs
  (seed 001, recommendation 1); Buckinghamshire's retention payment, a third after the
  first year and two thirds after the second, repaid if leaving within 12 months (seed
  002); a £2,000 golden hello paid half after probation and half after a year (Reading).
- Every payment due up to the end of last month recorded as paid; this month's left due.

Everything is written with ``bulk_create`` (synthetic history, like a payroll feed).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from workforce import demo as workforce_demo
from workforce.choices import ContractType, OrgRole
from workforce.models import Employment

from . import selectors, services
from .arithmetic import month_end
from .choices import IncentiveKind, PointChangeReason
from .models import (
    AgencyEquivalentGrade,
    GradePointRange,
    IncentiveInstalment,
    IncentivePayment,
    IncentiveScheme,
    OnCostRate,
    WorkerPoint,
)

SPINE_FILE = Path(settings.BASE_DIR) / "data" / "pay" / "njc_pay_spine.csv"
SPINE_START = dt.date(2021, 4, 1)

#: Demo grade key -> (lowest, highest spinal point).
GRADE_POINTS = {
    "l1": (26, 28),
    "l2": (29, 31),
    "l3": (32, 34),
    "ap": (35, 38),
    "iro": (36, 38),
    "atm": (38, 40),
    "tm": (40, 43),
    "sm": (43, 43),
}

ON_COSTS = [
    (dt.date(2021, 4, 1), "13.8", "8840", "Employer NI 13.8% above £8,840"),
    (dt.date(2022, 4, 1), "15.05", "9100", "Health and Social Care Levy: 15.05% above £9,100"),
    (dt.date(2022, 11, 6), "13.8", "9100", "Levy reversed: 13.8% above £9,100"),
    (dt.date(2025, 4, 1), "15", "5000", "Employer NI 15% above £5,000"),
]
PENSION_RATE = Decimal("19.5")
#: The agency premium's equivalent permanent grade per DfE role category (grade key,
#: point): experienced social worker at the top of Level 3 (3 years' PQE), a senior social
#: worker at the bottom of the advanced practitioner band, the others at the top.
EQUIVALENT_GRADES = {
    "social_worker": ("l3", "top"),
    "senior_social_worker": ("ap", "bottom"),
    "advanced_practitioner": ("ap", "top"),
    "team_manager": ("tm", "top"),
    "iro_cp_chair": ("iro", "top"),
}
SCHEME_NAMES = (
    "Market supplement: Family Safeguarding (Surrey model)",
    "Market supplement: independent reviewing officers (Surrey model)",
    "Retention payment: thirds (Buckinghamshire model)",
    "Golden hello: half after probation, half after a year",
)


def _aprils(after: dt.date, before: dt.date) -> list[dt.date]:
    return [
        dt.date(year, 4, 1)
        for year in range(after.year, before.year + 1)
        if after < dt.date(year, 4, 1) < before
    ]


def _worker_points(ctx, ranges: dict[int, tuple[int, int]]) -> list[WorkerPoint]:
    """Points for every permanent employment from its assignments' grades."""
    rows: list[WorkerPoint] = []
    employments = Employment.objects.exclude(contract_type=ContractType.AGENCY).prefetch_related(
        "assignments"
    )
    for employment in employments:
        periods: list[list] = []  # [grade_id, from, to]
        for a in sorted(employment.assignments.all(), key=lambda a: a.effective_from):
            if a.grade_id is None or a.grade_id not in ranges:
                continue
            if periods and periods[-1][0] == a.grade_id and periods[-1][2] == a.effective_from:
                periods[-1][2] = a.effective_to
            else:
                periods.append([a.grade_id, a.effective_from, a.effective_to])
        points: list[list] = []  # [scp, from, to, reason]
        for grade_id, start, end in periods:
            low, high = ranges[grade_id]
            start = max(start, SPINE_START)
            if end is not None and end <= start:
                continue
            scp = min(high, low + ctx.rng.choice((0, 0, 1)))
            reason = PointChangeReason.START if not points else PointChangeReason.REGRADE
            if points and points[-1][2] is None:
                points[-1][2] = start
            points.append([scp, start, end, reason])
            for april in _aprils(start, min(end or ctx.today, ctx.today + dt.timedelta(days=1))):
                if scp >= high:
                    break
                points[-1][2] = april
                scp += 1
                points.append([scp, april, end, PointChangeReason.INCREMENT])
        for scp, start, end, reason in points:
            rows.append(
                WorkerPoint(
                    employment=employment,
                    scp=scp,
                    effective_from=start,
                    effective_to=end,
                    reason=reason,
                )  # fmt: skip
            )
    return rows


@workforce_demo.section("pay and incentives")
def build_pay(ctx: workforce_demo.DemoContext) -> None:
    services.pay_spine_import(text=SPINE_FILE.read_text(encoding="utf-8"))
    ranges = {}
    for key, (low, high) in GRADE_POINTS.items():
        grade = ctx.grades.get(key)
        if grade is None:
            continue
        GradePointRange.objects.update_or_create(
            grade=grade, effective_from=SPINE_START, defaults={"min_scp": low, "max_scp": high}
        )
        ranges[grade.pk] = (low, high)
    for category, (key, point) in EQUIVALENT_GRADES.items():
        if key in ctx.grades:
            AgencyEquivalentGrade.objects.update_or_create(
                role_category=category, defaults={"grade": ctx.grades[key], "point": point}
            )
    for start, rate, threshold, note in ON_COSTS:
        OnCostRate.objects.update_or_create(
            effective_from=start,
            defaults={
                "employer_ni_rate": Decimal(rate),
                "employer_ni_threshold": Decimal(threshold),
                "pension_rate": PENSION_RATE,
                "note": note,
            },
        )
    # A re-run on a wiped council (same reference data) starts the schemes afresh.
    IncentiveScheme.objects.filter(name__in=SCHEME_NAMES).delete()
    points = _worker_points(ctx, ranges)
    WorkerPoint.objects.bulk_create(points, batch_size=1000)

    two_years_ago = dt.date(ctx.today.year - 2, 4, 1)
    fs = IncentiveScheme.objects.create(
        name="Market supplement: Family Safeguarding (Surrey model)",
        kind=IncentiveKind.MARKET_SUPPLEMENT, amount=Decimal("5000"), start_date=two_years_ago,
    )  # fmt: skip
    fs.teams.set([t for t in ctx.teams.values() if t.name.startswith("Family Safeguarding")])
    iro = IncentiveScheme.objects.create(
        name="Market supplement: independent reviewing officers (Surrey model)",
        kind=IncentiveKind.MARKET_SUPPLEMENT, amount=Decimal("5000"), start_date=two_years_ago,
    )  # fmt: skip
    if "iro" in ctx.grades:
        iro.grades.set([ctx.grades["iro"]])
    retention = IncentiveScheme.objects.create(
        name="Retention payment: thirds (Buckinghamshire model)",
        kind=IncentiveKind.RETENTION_PAYMENT, amount=Decimal("3000"),
        start_date=dt.date(ctx.today.year - 3, 4, 1), clawback_months=12,
        org_roles=[OrgRole.CASE_HOLDER.value, OrgRole.SENIOR_PRACTITIONER.value],
    )  # fmt: skip
    hello = IncentiveScheme.objects.create(
        name="Golden hello: half after probation, half after a year",
        kind=IncentiveKind.RECRUITMENT_BONUS, amount=Decimal("2000"),
        start_date=two_years_ago, clawback_months=12,
        org_roles=[OrgRole.CASE_HOLDER.value],
    )  # fmt: skip
    IncentiveInstalment.objects.bulk_create(
        [
            IncentiveInstalment(scheme=retention, months_after=12, share=Decimal(1) / 3),
            IncentiveInstalment(scheme=retention, months_after=24, share=Decimal(2) / 3),
            IncentiveInstalment(scheme=hello, months_after=6, share=Decimal("0.5")),
            IncentiveInstalment(scheme=hello, months_after=12, share=Decimal("0.5")),
        ]
    )
    last_month_end = ctx.today.replace(day=1) - dt.timedelta(days=1)
    start = dt.date(ctx.today.year - 3, 4, 1)
    dues = selectors.incentive_dues(
        start=start, end=last_month_end,
        employments=selectors.permanent_employments(start=start, end=last_month_end),
    )  # fmt: skip
    IncentivePayment.objects.bulk_create(
        [
            IncentivePayment(
                scheme=d.scheme,
                employment=d.employment,
                due_date=d.due_date,
                amount=d.amount,
                paid_on=month_end(d.due_date),
            )  # fmt: skip
            for d in dues
        ],
        batch_size=1000,
    )
    ctx.counts["pay points"] = len(points)
    ctx.counts["incentive payments"] = len(dues)
    ctx.say(f"  pay: {len(points)} spinal points, {len(dues)} incentive payments recorded")


from . import benchmark_demo  # noqa: E402, F401 - registers the section after this one
