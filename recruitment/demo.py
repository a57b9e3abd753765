"""Demo recruitment history on top of the workforce demo (``manage.py seed_demo``).

Consistent with the workforce: every employed (non-agency) starter of the last year
becomes the hire of a vacancy in their team and grade, opened two to four months before
their start, advertised on a channel (some through a recruitment partner, with a cost),
with a handful of other applicants shortlisted, interviewed, rejected or withdrawn; the
hire's application is linked to the employment already recorded, so induction check-ins
are planned (the older ones recorded as held). Open vacancies today have applicants at
every stage, some covered by an agency worker in the team; pipeline cohorts (NQSW,
Step Up, apprenticeship, PG diploma) are expected over the next two years. Everything is
written through ``recruitment.services`` and comes from the ``rng`` passed in.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from workforce import demo as workforce_demo
from workforce.choices import ContractType
from workforce.models import Assignment, Employment
from workforce.selectors import employment_active_q

from . import services
from .choices import Check, Outcome, Route, Stage
from .models import InductionCheckIn

CHANNELS = [
    # channel, partner, cost range (pounds), weight
    ("careers_site", "", (0, 0), 4),
    ("linkedin", "", (400, 900), 2),
    ("job_board", "", (250, 600), 2),
    ("social_media", "", (100, 300), 1),
    ("partner", "Reed", (1500, 4000), 2),
    ("partner", "Demoshire Talent Partners", (2000, 5000), 1),
    ("university", "", (150, 400), 1),
]
LOSS = [
    (Stage.APPLIED, Outcome.REJECTED, "not_shortlisted"),
    (Stage.SHORTLISTED, Outcome.WITHDRAWN, "accepted_elsewhere"),
    (Stage.INTERVIEWED, Outcome.REJECTED, "unsuccessful_interview"),
    (Stage.INTERVIEWED, Outcome.REJECTED, "unsuccessful_interview"),
    (Stage.OFFERED, Outcome.WITHDRAWN, "offer_declined"),
]
#: Who makes the pre-employment checks in the demo council (invented names).
CHECKERS = ["Dana Whitlock (HR advisor)", "Omar Feld (recruitment officer)"]
PATH = [Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.OFFERED, Stage.ACCEPTED, Stage.CHECKS]


def cohort_septembers(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """The two cohort start dates the demo plans: the next 1 September after ``as_of``
    and the one a year later (never the same September twice, which would put two years'
    cohorts on one day and make the forecast jump)."""
    first = as_of.year if dt.date(as_of.year, 9, 1) > as_of else as_of.year + 1
    return dt.date(first, 9, 1), dt.date(first + 1, 9, 1)


def _pick(rng: random.Random, weighted):
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


class _Builder:
    """Records the history through the services. Each service call updates the application
    it is given (stage, dates, version), so the next one goes on from it without reading
    it again."""

    def __init__(self, rng: random.Random, as_of: dt.date, faker) -> None:
        self.rng, self.as_of, self.faker = rng, as_of, faker
        self.counts = {"vacancies": 0, "applications": 0, "hires": 0}

    def campaign(self, vacancy, opened_on: dt.date):
        channel, partner, (low, high), _ = _pick(self.rng, CHANNELS)
        return services.campaign_create(
            title=f"{vacancy.grade} - {vacancy.team}",
            channel=channel,
            partner=partner,
            opened_on=opened_on,
            closes_on=opened_on + dt.timedelta(days=21),
            cost=self.rng.randint(low, high) if high else None,
            vacancies=[vacancy],
        )

    def apply(self, vacancy, campaign, applied_on: dt.date, route: str, swe: str = ""):
        self.counts["applications"] += 1
        first, last = self.faker.first_name(), self.faker.last_name()
        return services.application_create(
            vacancy=vacancy, campaign=campaign, first_name=first, last_name=last,
            email=f"{first}.{last}@example.org".lower(), route=route, applied_on=applied_on,
            swe_number=swe,
        )  # fmt: skip

    def advance(self, application, stages, day: dt.date, last_day: dt.date) -> dt.date:
        for stage in stages:
            day = min(day + dt.timedelta(days=self.rng.randint(3, 12)), last_day)
            services.application_move(
                application=application, stage=stage, date=day, version=application.version
            )
        return day

    def record_checks(self, application, day: dt.date) -> None:
        """Each pre-employment check on its own; the last one completes the stage."""
        for check in Check:
            services.application_check_record(
                application=application, check=check, date=day, version=application.version,
                checked_by=self.rng.choice(CHECKERS),
            )  # fmt: skip

    def close(self, application, outcome, reason, day: dt.date) -> None:
        services.application_close(
            application=application, outcome=outcome, close_reason=reason, date=day,
            version=application.version,
        )  # fmt: skip

    def others(self, vacancy, campaign, last_day: dt.date, n: int) -> None:
        """Applicants who did not get the job."""
        for _ in range(n):
            applied = campaign.opened_on + dt.timedelta(days=self.rng.randint(1, 18))
            if applied > last_day:
                continue
            application = self.apply(vacancy, campaign, applied, Route.EXPERIENCED)
            stage, outcome, reason = self.rng.choice(LOSS)
            stages = PATH[: PATH.index(stage) + 1] if stage != Stage.APPLIED else []
            if stage == Stage.OFFERED:
                stages = [Stage.INTERVIEWED, Stage.OFFERED]
            day = self.advance(application, stages, applied, last_day)
            if self.rng.random() < 0.85:
                self.close(application, outcome, reason, min(day + dt.timedelta(days=2), last_day))

    def hire(self, employment: Employment, assignment: Assignment) -> None:
        start = employment.start_date
        opened = start - dt.timedelta(days=self.rng.randint(60, 120))
        leaver = (
            Employment.objects.filter(
                end_date__gt=opened - dt.timedelta(days=120), end_date__lte=opened,
                assignments__team=assignment.team, replacement_vacancies__isnull=True,
            )
            .exclude(contract_type=ContractType.AGENCY)
            .order_by("-end_date", "pk")
            .first()
        )  # fmt: skip
        vacancy = services.vacancy_open(
            team=assignment.team, grade=assignment.grade, fte=str(assignment.fte),
            reason="replacement" if leaver else "new_post", leaver_employment=leaver,
            opened_on=opened,
        )  # fmt: skip
        self.counts["vacancies"] += 1
        campaign = self.campaign(vacancy, opened + dt.timedelta(days=self.rng.randint(0, 7)))
        route = Route.NQSW if assignment.is_asye else Route.EXPERIENCED
        applied = campaign.opened_on + dt.timedelta(days=self.rng.randint(1, 10))
        person = employment.person
        application = services.application_create(
            vacancy=vacancy, campaign=campaign, first_name=person.first_name,
            last_name=person.last_name, route=route, applied_on=applied,
            swe_number=person.swe_number,
        )  # fmt: skip
        self.counts["applications"] += 1
        last_day = start - dt.timedelta(days=1)
        span = (last_day - applied).days
        step = max(1, span // 6)
        day = applied
        for stage in PATH:
            day = min(day + dt.timedelta(days=self.rng.randint(max(1, step - 3), step)), last_day)
            if stage == Stage.CHECKS:
                self.record_checks(application, day)
                continue
            services.application_move(
                application=application, stage=stage, date=day, version=application.version
            )
        services.application_start_link(
            application=application, employment=employment, version=application.version
        )
        self.counts["hires"] += 1
        self.others(vacancy, campaign, min(last_day, self.as_of), self.rng.randint(2, 7))

    def open_vacancy(self, team, grade, agency_cover) -> None:
        opened = self.as_of - dt.timedelta(days=self.rng.randint(10, 150))
        vacancy = services.vacancy_open(
            team=team, grade=grade, fte="1", reason="new_post", opened_on=opened,
            agency_cover=agency_cover,
        )  # fmt: skip
        self.counts["vacancies"] += 1
        campaign = self.campaign(vacancy, opened + dt.timedelta(days=self.rng.randint(0, 5)))
        for _ in range(self.rng.randint(2, 6)):
            applied = campaign.opened_on + dt.timedelta(days=self.rng.randint(1, 20))
            if applied > self.as_of:
                continue
            application = self.apply(vacancy, campaign, applied, Route.EXPERIENCED)
            depth = self.rng.randint(0, 4)
            self.advance(application, PATH[:depth], applied, self.as_of)


def build(
    *, rng: random.Random, as_of: dt.date, stdout: Callable[[str], None] | None = None
) -> dict:
    """Add the recruitment history described in the module docstring."""
    from faker import Faker

    faker = Faker("en_GB")
    faker.seed_instance(rng.randint(0, 2**31))
    builder = _Builder(rng, as_of, faker)
    since = as_of - dt.timedelta(days=365)
    starters = (
        Employment.objects.filter(start_date__gt=since, start_date__lte=as_of)
        .exclude(contract_type=ContractType.AGENCY)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    for employment in starters:
        first = employment.assignments.select_related("team", "grade").order_by("effective_from")
        assignment = first.first()
        if assignment is None or assignment.grade is None:
            continue
        builder.hire(employment, assignment)
    # Check-ins: those due more than two weeks ago were mostly held.
    for check_in in InductionCheckIn.objects.filter(due_by__lt=as_of - dt.timedelta(days=14)):
        if rng.random() < 0.9:
            held = min(check_in.due_by, as_of)
            services.induction_check_in_complete(check_in=check_in, completed_on=held)
    # Vacancies open today, some covered by an agency worker in the team.
    agency_now = list(
        Assignment.objects.filter(
            employment_active_q(as_of, prefix="employment__"),
            employment__contract_type=ContractType.AGENCY,
            effective_to__isnull=True,
            grade__isnull=False,
        ).select_related("team", "grade", "employment")
    )
    rng.shuffle(agency_now)
    for assignment in agency_now[: max(3, len(agency_now) // 3)]:
        builder.open_vacancy(assignment.team, assignment.grade, assignment.employment)
    # Pipelines over the next two years.
    for september in cohort_septembers(as_of):
        for route, name, provider, places in [
            ("nqsw_cohort", "NQSW / ASYE cohort", "Demoshire Academy", rng.randint(8, 14)),
            ("step_up", "Step Up to Social Work", "South East partnership", rng.randint(2, 5)),
            ("apprenticeship", "Degree apprentices", "Demoshire University", rng.randint(3, 6)),
            ("pg_diploma", "PG diploma places", "Demoshire University", rng.randint(1, 4)),
        ]:
            services.pipeline_cohort_create(
                route=route, name=f"{name} {september.year}", provider=provider, places=places,
                expected_start=september,
            )  # fmt: skip
    if stdout:
        stdout(
            f"  recruitment: {builder.counts['vacancies']} vacancies, "
            f"{builder.counts['applications']} applications, {builder.counts['hires']} hires"
        )
    return builder.counts


@workforce_demo.section("recruitment")
def build_recruitment(ctx: workforce_demo.DemoContext) -> None:
    build(rng=ctx.rng, as_of=ctx.today, stdout=ctx.say)
