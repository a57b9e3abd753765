"""Demo exit interviews on top of the workforce demo (``manage.py seed_demo``).

Every leaver already has an exit record (made by the signal as the demo records each
leaving). For leavers of the last three years this adds what a council would have: offers
(improving year on year; agency leavers offered less often, as Surrey found), answers for
about half of them, the themes an officer confirmed (the most recent quarter left to
code), a few approved anonymised quotes, and the retention period applied to older text.

The story the analysis should show: workload and caseload and management lead
everywhere; agency pay pulls people to agency work; and in one service area - Children
in Care and Care Leavers - discrimination and bullying is a visible theme with low "I
feel safe" scores, as the Surrey exit interviews surfaced.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from core.locking import UNCHECKED
from workforce import demo as workforce_demo
from workforce.choices import LeaverDestination

from . import services
from .choices import RETENTION_STATEMENTS, Channel, Conductor, Destination
from .models import ExitRecord, ExitTheme

BULLYING_AREA = "Children in Care and Care Leavers"
BULLYING = "Discrimination, bullying or racism"

#: Usual weight of each theme as a reason; the bullying area adds to BULLYING.
WEIGHTS = {
    "Workload and caseload": 30,
    "Management and supervision": 18,
    "Pay": 12,
    "Agency pay": 10,
    "Career progression": 10,
    "Flexible / hybrid working": 9,
    "Travel, parking and car costs": 6,
    "Housing and cost of living": 5,
    BULLYING: 3,
    "IT and admin burden": 8,
    "Culture": 8,
    "Personal or caring": 7,
    "Retirement": 2,
    "Relocation": 5,
}

#: What leavers write, by theme (the keyword rules find these words again).
SENTENCES = {
    "Workload and caseload": [
        "My caseload went above 25 and never came down.",
        "The workload is relentless and I was working overtime every week.",
    ],
    "Management and supervision": [
        "I had three managers in a year and supervision was often cancelled.",
        "Supervision was about numbers, never about the families.",
    ],
    "Pay": ["The pay has not kept up; a neighbouring council offered a better salary."],
    "Agency pay": ["Agency pay is nearly double for the same job, so I am going agency."],
    "Career progression": ["There was no route to senior practitioner for me here."],
    "Flexible / hybrid working": [
        "I asked for flexible working around school hours and was refused."
    ],
    "Travel, parking and car costs": [
        "Parking at the office costs me a fortune and mileage rates are low."
    ],
    "Housing and cost of living": ["With rent this high I cannot afford to live in the county."],
    BULLYING: [
        "I was bullied by a senior colleague and nothing was done when I raised it.",
        "I experienced racism from colleagues and felt singled out in the team.",
        "There were microaggressions in meetings and I felt excluded.",
    ],
    "IT and admin burden": ["Recording takes longer than the visits; the systems keep crashing."],
    "Culture": ["There is a blame culture and morale in the office is low."],
    "Personal or caring": ["My caring responsibilities at home have increased."],
    "Retirement": ["I am retiring after thirty years in social work."],
    "Relocation": ["We are relocating to the north for my partner's job."],
}

DESTINATION_FROM_DFE = {
    LeaverDestination.OTHER_ENGLISH_COUNCIL: Destination.SOCIAL_WORK_ELSEWHERE,
    LeaverDestination.OUTSIDE_ENGLAND: Destination.SOCIAL_WORK_ELSEWHERE,
    LeaverDestination.OTHER_NON_COUNCIL_SW: Destination.SOCIAL_WORK_ELSEWHERE,
    LeaverDestination.AGENCY: Destination.AGENCY,
}


def _weighted_sample(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    pool = dict(weights)
    chosen = []
    for _ in range(min(k, len(pool))):
        names, values = zip(*pool.items(), strict=True)
        pick = rng.choices(names, weights=values)[0]
        chosen.append(pick)
        pool.pop(pick)
    return chosen


def build(*, rng: random.Random, as_of: dt.date, stdout) -> None:
    """Offers, answers, coded themes and quotes for the leavers of the three years to
    ``as_of`` (the exit records themselves already exist)."""
    services.exit_themes_ensure_defaults()
    services.exit_records_backfill()
    themes = {theme.name: theme for theme in ExitTheme.objects.all()}
    first = as_of.replace(year=as_of.year - 3)
    records = (
        ExitRecord.objects.filter(employment__end_date__gte=first, employment__end_date__lte=as_of)
        .select_related("employment")
        .prefetch_related("employment__assignments__team__service_area")
        .order_by("employment__end_date", "pk")
    )
    counts = {"offered": 0, "answered": 0}
    code_before = as_of - dt.timedelta(days=90)
    for record in records:
        employment = record.employment
        left = employment.end_date
        assignments = sorted(employment.assignments.all(), key=lambda a: a.effective_from)
        area = assignments[-1].team.service_area.name if assignments else ""
        years_ago = (as_of - left).days / 365
        offer_chance = (0.45 if employment.is_agency else 0.9) - 0.12 * years_ago
        if rng.random() > offer_chance:
            continue
        offered_on = left - dt.timedelta(days=rng.randint(0, 20))
        offered_on = max(offered_on, employment.start_date)
        completes = rng.random() < 0.75 and left + dt.timedelta(days=21) <= as_of
        declined = not completes and rng.random() < 0.4
        services.exit_record_update(
            exit_record=record,
            offered_on=offered_on,
            channel=rng.choice(list(Channel.values)),
            conductor=rng.choices(
                list(Conductor.values), weights=[3, 2, 3, 2 if years_ago < 1.5 else 0]
            )[0],
            response="declined" if declined else ("accepted" if completes else ""),
            today=as_of,
            version=UNCHECKED,  # the demo council: no person is editing
        )
        counts["offered"] += 1
        if not completes:
            continue
        weights = dict(WEIGHTS)
        bullying_area = area == BULLYING_AREA
        if bullying_area:
            weights[BULLYING] = 35
        if employment.leaving_destination == LeaverDestination.AGENCY:
            weights["Agency pay"] = 40
        if employment.leaving_reason == 5:  # retired
            weights["Retirement"] = 60
        reasons = _weighted_sample(rng, weights, rng.choice([1, 2, 2, 3]))
        text = " ".join(rng.choice(SENTENCES[name]) for name in reasons[:2])
        answers = {"free_text": text}
        for field, _ in RETENTION_STATEMENTS:
            base = 3.2 - (0.4 if "Workload and caseload" in reasons else 0)
            if field == "score_safe" and BULLYING in reasons:
                base = 1.6
            if field == "score_supported" and "Management and supervision" in reasons:
                base = 2.0
            answers[field] = min(5, max(1, round(rng.gauss(base, 0.9))))
        answers["destination"] = DESTINATION_FROM_DFE.get(
            employment.leaving_destination,
            Destination.LEAVING_PROFESSION if rng.random() < 0.5 else "",
        )
        answers["would_return"] = rng.choices(["yes", "no", "not_sure"], weights=[3, 3, 4])[0]
        answers["would_recommend"] = rng.choices(["yes", "no", "not_sure"], weights=[4, 3, 3])[0]
        completed_at = dt.datetime.combine(
            min(as_of, left + dt.timedelta(days=rng.randint(0, 20))), dt.time(11)
        )
        questionnaire = services.questionnaire_submit(
            exit_record=record,
            answers=answers,
            reasons=[themes[name] for name in reasons if name in themes],
            now=timezone.make_aware(completed_at),
        )
        counts["answered"] += 1
        if left < code_before:
            suggested = [theme for theme, _ in services.themes_suggest(text=text)]
            approved = bullying_area and BULLYING in reasons and rng.random() < 0.5
            services.questionnaire_code(
                questionnaire=questionnaire,
                themes={*suggested, *(themes[name] for name in reasons)},
                quote=SENTENCES[reasons[0]][0] if approved or rng.random() < 0.1 else "",
                quote_approved=approved,
                today=min(as_of, left + dt.timedelta(days=30)),
            )
    erased = services.exit_text_erase_expired(today=as_of)
    if stdout:
        stdout(
            f"  exits: {counts['offered']} exit interviews offered, {counts['answered']} "
            f"questionnaires answered, free text of {erased} erased after the retention period"
        )


@workforce_demo.section("exits")
def build_exits(ctx: workforce_demo.DemoContext) -> None:
    build(rng=random.Random(ctx.seed + 5), as_of=ctx.today, stdout=ctx.stdout)
