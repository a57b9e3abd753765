"""Demo agency register on top of the workforce demo (``manage.py seed_demo``).

Every agency placement of the demo council active since the rules came in (31 October
2024) gets its placement details, with the mix a council's agency lead would recognise:
most within the rules; some paid above the South East cap (most signed off by both the
DCS and the chief executive, a few by one only); a few long notice periods, missing
references, short experience, unapproved project-team workers; and two workers who left a
neighbouring council's permanent post weeks before starting (from its regional file).
Written with ``bulk_create``: a few queries whatever the size.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from workforce import demo as workforce_demo
from workforce.choices import ContractType
from workforce.models import Employment

from . import rules
from .choices import RoleCategory, role_category_for
from .models import AgencyPlacement, CapSignOff, RegionalLeaver, RegionalPriceCap
from .regional import swe_hash

RULES_FROM = rules.RULES_IN_FORCE
REGION = "South East"
#: Demo caps (illustrative, not a region's agreed figures), pounds an hour.
CAPS = {
    RoleCategory.SOCIAL_WORKER: Decimal("38.00"),
    RoleCategory.SENIOR_SOCIAL_WORKER: Decimal("41.00"),
    RoleCategory.ADVANCED_PRACTITIONER: Decimal("44.00"),
    RoleCategory.TEAM_MANAGER: Decimal("48.00"),
    RoleCategory.IRO_CP_CHAIR: Decimal("45.00"),
}
NEIGHBOUR_LA = "886"  # Kent, in the South East
PENNY = Decimal("0.01")


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP)


def build(*, rng: random.Random, region: str = REGION, stdout=None) -> dict:
    RegionalPriceCap.objects.bulk_create(
        [
            RegionalPriceCap(
                region=region,
                role_category=category,
                effective_from=RULES_FROM,
                hourly_cap=cap,
                includes="Pay rate, employer's National Insurance and apprenticeship levy",
            )
            for category, cap in CAPS.items()
        ],
        ignore_conflicts=True,
    )
    employments = (
        Employment.objects.filter(contract_type=ContractType.AGENCY)
        .exclude(end_date__lte=RULES_FROM)
        .select_related("person", "agency")
        .prefetch_related("assignments__grade")
        .order_by("start_date", "pk")
    )
    placements, sign_offs, leavers = [], [], []
    for employment in employments:
        assignment = min(employment.assignments.all(), key=lambda a: a.effective_from, default=None)
        category = role_category_for(
            assignment.org_role if assignment else None,
            assignment.grade.name if assignment and assignment.grade else "",
        )
        cap = CAPS[category]
        roll = rng.random()
        over = roll < 0.12
        pay = cap + _money(rng.uniform(1, 6)) if over else cap - _money(rng.uniform(0, 5))
        start = employment.start_date
        placement = AgencyPlacement(
            swe_number=employment.person.swe_number,
            person=employment.person,
            employment=employment,
            agency=employment.agency,
            team=assignment.team if assignment else None,
            role_category=category,
            pay_rate=pay,
            charge_rate=_money(float(pay) * rng.uniform(1.22, 1.38)),
            hours_per_week=Decimal("37") if rng.random() < 0.85 else Decimal("30"),
            start_date=start,
            end_date=employment.end_date,
            notice_weeks=4 if rng.random() < 0.9 else rng.choice([6, 8, 12]),
            reference_obtained_on=(
                start - dt.timedelta(days=rng.randint(3, 40)) if rng.random() < 0.9 else None
            ),
            reference_given_on=(
                employment.end_date + dt.timedelta(days=rng.randint(1, 20))
                if employment.end_date and rng.random() < 0.8
                else None
            ),
            declared_la_months=rng.randint(36, 180) if rng.random() < 0.92 else rng.randint(12, 34),
        )
        if rng.random() < 0.1:
            placement.is_project_team = True
            placement.project_worker_approved = rng.random() < 0.6
            placement.project_costs_broken_down = rng.random() < 0.7
        placements.append(placement)
        if over and rng.random() < 0.75:
            roles = ["dcs", "chief_executive"] if rng.random() < 0.8 else ["dcs"]
            for role in roles:
                sign_offs.append(
                    (
                        placement,
                        CapSignOff(
                            role=role,
                            signed_by="Director of Children's Services"
                            if role == "dcs"
                            else "Chief Executive",
                            signed_on=start - dt.timedelta(days=rng.randint(1, 10)),
                            reason="Specialist court work; no worker available within the cap.",
                        ),
                    )
                )
        if len(leavers) < 2 and rng.random() < 0.1 and start > RULES_FROM + dt.timedelta(60):
            digest = swe_hash(employment.person.swe_number)
            if digest:
                leavers.append(
                    RegionalLeaver(
                        swe_hash=digest,
                        leaving_date=start - dt.timedelta(days=rng.randint(20, 60)),
                        la_code=NEIGHBOUR_LA,
                    )
                )
    # The demo owns these workers' placements: a second run replaces them.
    AgencyPlacement.objects.filter(swe_number__in={p.swe_number for p in placements}).delete()
    AgencyPlacement.objects.bulk_create(placements)
    for placement, sign_off in sign_offs:
        sign_off.placement = placement
    CapSignOff.objects.bulk_create([sign_off for _, sign_off in sign_offs])
    RegionalLeaver.objects.bulk_create(leavers, ignore_conflicts=True)
    if stdout:
        stdout(
            f"  agency: {len(placements)} placements, {len(sign_offs)} cap sign-offs, "
            f"{len(leavers)} regional leavers"
        )
    return {"placements": len(placements), "sign_offs": len(sign_offs), "leavers": len(leavers)}


@workforce_demo.section("agency placements")
def build_agency(ctx: workforce_demo.DemoContext) -> None:
    region = ctx.council.region_name if ctx.council and ctx.council.region_name else REGION
    build(rng=random.Random(ctx.seed + 13), region=region, stdout=ctx.stdout)
