"""The demo council: a believable, deterministic "Demoshire County Council" to try the
product on (``manage.py seed_demo``, run by ``make run``) and for later issues' dashboards
and reports to draw.

Everything comes from one ``random.Random(seed)`` (and Faker's en_GB names seeded from
it), so the same seed, years, scale and today give the same people, dates and FTEs.

What it builds, in sections run in order over one ``DemoContext``:

- ``build_reference_data``: the Council row, 4 service areas, 14 teams (12 case-holding),
  local grades with their DfE roles, fictional locum agencies, and the establishment:
  funded posts per team and grade, with growth over the years (new rows from 1 April).
- ``build_history``: a weekly simulation over ``years`` full census years (1 October to
  30 September) ending on the most recent 30 September, continued to today. Starters,
  leavers (DfE ReasonLeave / LeaverDestination), ASYE cohorts each September (ASYE for a
  year, then "ASYE completed"), agency placements starting and ending, agency-to-permanent
  conversions, returners, team moves, FTE changes and grade progressions. Vacancies are
  filled by agency or permanent recruitment so that the agency share follows a plausible
  path (rising to about a quarter, then easing to about a fifth). Every person,
  employment, leaving and change is written through ``workforce.services``, so the same
  rules apply and the audit trail is written. Three shortcuts keep it quick, all for the
  demo's build only: the audit entries are written together when it ends
  (``core.audit.audit_in_bulk``), foreign keys, unique and check constraints are
  enforced by the database alone, without Django's query per rule per save
  (``core.validation.checked_by_database``), and the KPI snapshots' change receivers
  note the build as a change to everything instead of working out each save's dates and
  teams (``core.wholesale``).
- ``build_caseloads``: every Friday, cases held by each case holder (DfE roles 4 and 5 in
  case-holding teams), from what was stored: a per-worker random walk round a team
  level (15-18), protected for ASYEs (about 10-12) and pro rata for part-timers.
- ``build_absence``: sickness absence spells for employed staff (a few days a year each,
  some long-term).

Caseload and absence rows are high-volume and are written in bulk with
``config.bulk.rows_insert`` (no per-row audit entries: they are synthetic imports, like a
case-system feed).

Later issues add their own demo data by registering a section from their app's
``demo.py`` module (found by ``autodiscover_modules("demo")``)::

    from workforce import demo

    @demo.section("recruitment")
    def build_recruitment(ctx: demo.DemoContext) -> None:
        ...  # use ctx.rng, ctx.faker, ctx.teams, ctx.last_census, ctx.today

Sections run in registration order after the workforce ones, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from config.bulk import rows_insert
from core.audit import audit_in_bulk
from core.locking import UNCHECKED
from core.validation import checked_by_database
from core.wholesale import wholesale

from . import selectors, services
from .choices import (
    CaseloadSource,
    ChangeReason,
    ContractType,
    Ethnicity,
    Gender,
    LeaverDestination,
    OrgRole,
    QualificationRoute,
    QualLevel,
    ReasonLeave,
    StartOrigin,
)
from .models import (
    Agency,
    Assignment,
    CaseloadSnapshot,
    Council,
    Employment,
    Grade,
    Person,
    Post,
    ServiceArea,
    SicknessAbsence,
    Team,
)

DEFAULT_SEED = 20251
DEFAULT_YEARS = 6

COUNCIL_NAME = "Demoshire County Council"
COUNCIL_LEA = "999"
COUNCIL_REGION = "South East"

#: The service area whose teams the demo service manager manages (see demo_logins).
DEMO_MANAGER_AREA = "Safeguarding and Family Support"

D = dt.date
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


# --- Reference data -------------------------------------------------------------------


@dataclass(frozen=True)
class GradeSpec:
    key: str
    name: str
    org_role: int
    sort_order: int
    is_asye: bool = False


GRADES = [
    GradeSpec("l1", "Level 1 (ASYE)", OrgRole.CASE_HOLDER, 10, is_asye=True),
    GradeSpec("l2", "Level 2 social worker", OrgRole.CASE_HOLDER, 20),
    GradeSpec("l3", "Level 3 experienced social worker", OrgRole.CASE_HOLDER, 30),
    GradeSpec("ap", "Advanced practitioner", OrgRole.SENIOR_PRACTITIONER, 40),
    GradeSpec("iro", "Independent reviewing officer", OrgRole.QUALIFIED_NO_CASES, 45),
    GradeSpec("atm", "Assistant team manager", OrgRole.FIRST_LINE_MANAGER, 50),
    GradeSpec("tm", "Team manager", OrgRole.FIRST_LINE_MANAGER, 60),
    GradeSpec("sm", "Service manager", OrgRole.MIDDLE_MANAGER, 70),
]

AGENCIES = [  # fictional locum agencies, with how often each supplies a worker
    ("Harbourline Social Care Recruitment", 5),
    ("Kestrel Locums", 4),
    ("Brightwater Children's Services Staffing", 3),
    ("Meridian Care Professionals", 3),
    ("Oakfield Social Work Solutions", 2),
    ("Northgate Locum Partners", 1),
]


@dataclass(frozen=True)
class TeamSpec:
    """A demo team: its establishment at the end (scale 1) per post group: ``sm`` service
    manager, ``tm`` team manager, ``atm`` assistant team managers, ``ap`` advanced
    practitioners, ``sw`` social workers (Levels 1-3, or the team's own practitioner
    grade in teams that hold no cases)."""

    code: str
    name: str
    area: str
    case_holding: bool
    caseload: float  # typical cases per FTE for a Level 2-3 case holder
    atm: int
    ap: int
    sw: int
    growth: float = 0.015  # establishment growth a year (practitioner posts)
    step_year: int | None = None  # years before the end when it was expanded
    step: float = 0.0  # how much smaller it was before that
    sw_grade: str = "sw"  # "sw" = Level 2/3 posts; else a grade key
    sw_role: int = OrgRole.CASE_HOLDER
    ap_role: int = OrgRole.SENIOR_PRACTITIONER
    service_manager: bool = False  # the service area's service manager sits here


AREAS = [
    "Front Door and Assessment",
    "Safeguarding and Family Support",
    "Children in Care and Care Leavers",
    "Quality, Review and Practice Development",
]

TEAMS = [
    TeamSpec("FD", "Front Door (MASH)", AREAS[0], True, 17.5, 1, 1, 12, service_manager=True),
    TeamSpec("ASN", "Assessment North", AREAS[0], True, 20.0, 2, 1, 17),
    TeamSpec("ASS", "Assessment South", AREAS[0], True, 20.0, 2, 1, 17),
    TeamSpec("CPN", "Child Protection North", AREAS[1], True, 18.5, 2, 2, 18, service_manager=True),
    TeamSpec("CPS", "Child Protection South", AREAS[1], True, 18.5, 2, 2, 18),
    TeamSpec("CIN", "Children in Need", AREAS[1], True, 19.0, 1, 1, 14),
    TeamSpec("FSE", "Family Safeguarding East", AREAS[1], True, 17.0, 2, 2, 16, 0.015, 4, 0.25),
    TeamSpec("FSW", "Family Safeguarding West", AREAS[1], True, 17.0, 2, 2, 16, 0.015, 4, 0.25),
    TeamSpec("CCN", "Children in Care North", AREAS[2], True, 17.0, 2, 1, 16, service_manager=True),
    TeamSpec("CCS", "Children in Care South", AREAS[2], True, 17.0, 2, 1, 16),
    TeamSpec("CL", "Care Leavers", AREAS[2], True, 18.0, 1, 1, 11),
    TeamSpec("DCT", "Disabled Children", AREAS[2], True, 15.5, 1, 1, 12),
    TeamSpec(
        "IRO", "Independent Reviewing and Conference Chairs", AREAS[3], False, 0, 0, 0, 13,
        sw_grade="iro", sw_role=OrgRole.QUALIFIED_NO_CASES, service_manager=True,
    ),
    TeamSpec(
        "QA", "Quality Assurance and Practice Development", AREAS[3], False, 0, 0, 6, 0,
        ap_role=OrgRole.QUALIFIED_NO_CASES, growth=0.03,
    ),
]  # fmt: skip


#: Post groups: service manager, team manager, assistant team managers, advanced
#: practitioners, social workers (whose grades progress within the group).
GROUPS = ("sm", "tm", "atm", "ap", "sw")


# --- Yearly shape of the simulation (index 0 = the first census year) -----------------

#: Share of social worker FTE supplied by agencies that recruiting steers towards.
AGENCY_TARGET = [0.18, 0.2, 0.26, 0.3, 0.3, 0.29, 0.28]
#: Annual chance an employed social worker leaves (before length-of-service effects).
LEAVE_RATE = [0.14, 0.16, 0.18, 0.17, 0.16, 0.15, 0.15]
#: Annual chance an agency worker is taken on permanently.
CONVERSION_RATE = [0.05, 0.05, 0.07, 0.10, 0.14, 0.14, 0.14]
#: ASYE cohort each September (scale 1).
ASYE_COHORT = [12, 14, 15, 16, 17, 16, 16]
#: Caseload pressure by year (1 = the team's typical level).
CASELOAD_PRESSURE = [0.96, 1.0, 1.06, 1.08, 1.03, 0.99, 0.98]

#: Recruiting aims to fill this share of the establishment (the rest stays vacant).
FILL_TARGET = Decimal("0.98")
#: Average agency placement length in weeks.
AGENCY_PLACEMENT_WEEKS = 40


def _year_value(values: list, index: int):
    return values[max(0, min(index, len(values) - 1))]


def last_census_date(today: dt.date | None = None) -> dt.date:
    """The most recent 30 September on or before ``today``."""
    today = today or timezone.localdate()
    census = D(today.year, 9, 30)
    return census if census <= today else D(today.year - 1, 9, 30)


def census_dates(*, years: int = DEFAULT_YEARS, today: dt.date | None = None) -> list[dt.date]:
    """The census dates the demo covers, oldest first (``years`` of them)."""
    last = last_census_date(today)
    return [D(last.year - years + 1 + i, 9, 30) for i in range(years)]


# --- The context shared by the sections ----------------------------------------------


@dataclass
class Sim:
    """One employment being simulated (mirrors the stored Employment and its terms)."""

    person: Person
    employment: Employment
    team: TeamSpec
    group: str
    grade: str
    org_role: int
    fte: Decimal
    is_asye: bool
    agency: bool
    start: dt.date
    last_change: dt.date
    grade_since: dt.date
    age_at_start: int
    asye_due: dt.date | None = None
    end: dt.date | None = None


@dataclass
class Pending:
    start: dt.date
    team: TeamSpec
    group: str
    agency: bool
    fte: Decimal
    returner: Person | None = None
    asye: bool = False


@dataclass
class DemoContext:
    """Everything the sections share: options, the random stream, reference data, and
    what was built (for the summary and for later sections)."""

    seed: int
    years: int
    scale: float
    today: dt.date
    rng: random.Random
    faker: object
    last_census: dt.date
    start: dt.date  # first day of the first census year
    council: Council | None = None
    areas: dict[str, ServiceArea] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    grades: dict[str, Grade] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)
    establishment: dict[tuple[str, str], list[tuple[dt.date, Decimal]]] = field(
        default_factory=dict
    )
    counts: dict[str, int] = field(default_factory=dict)
    stdout: Callable[[str], None] | None = None

    def census_year_index(self, date: dt.date) -> int:
        """0 for the first census year (1 Oct to 30 Sep), 1 for the next..."""
        first_end = D(self.start.year + 1, 9, 30)
        return (date.year - first_end.year) + (1 if date > D(date.year, 9, 30) else 0)

    def say(self, message: str) -> None:
        if self.stdout:
            self.stdout(message)


_sections: list[tuple[str, Callable[[DemoContext], None]]] = []


def section(name: str):
    """Register a demo section (a function of the context), run after those before it."""

    def register(fn: Callable[[DemoContext], None]):
        if name not in {n for n, _ in _sections}:
            _sections.append((name, fn))
        return fn

    return register


@dataclass
class DemoSummary:
    census_date: dt.date
    people: int
    employments: int
    in_post_fte: Decimal
    agency_fte: Decimal
    agency_share: float
    caseload_rows: int
    absence_rows: int
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"People: {self.people}; employments and agency placements: {self.employments}",
            f"On {self.census_date:%d %B %Y}: {self.in_post_fte:.1f} FTE employed in post, "
            f"{self.agency_fte:.1f} FTE agency ({self.agency_share:.1%} agency)",
            f"Weekly caseload rows: {self.caseload_rows}; sickness absence records: "
            f"{self.absence_rows}",
        ]


def seed_demo(
    *,
    seed: int = DEFAULT_SEED,
    years: int = DEFAULT_YEARS,
    scale: float = 1.0,
    today: dt.date | None = None,
    stdout: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Build the demo council in one transaction (all or nothing) and summarise it."""
    import time

    from django.utils.module_loading import autodiscover_modules

    if years < 1:
        raise ValueError("years must be 1 or more")
    if not 0 < scale <= 5:
        raise ValueError("scale must be more than 0 and at most 5")
    try:
        from faker import Faker
    except ImportError as exc:  # Faker comes with the dev dependencies (factory-boy)
        raise RuntimeError("The demo needs Faker: run `uv sync` (dev dependencies).") from exc

    autodiscover_modules("demo")
    started = time.monotonic()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    faker = Faker("en_GB")
    faker.seed_instance(seed)
    last = last_census_date(today)
    ctx = DemoContext(
        seed=seed,
        years=years,
        scale=scale,
        today=today,
        rng=rng,
        faker=faker,
        last_census=last,
        start=D(last.year - years, 10, 1),
        stdout=stdout,
    )
    # One transaction; the audit trail written together at its end (core.audit); keys and
    # constraints of the generated records checked by the database alone (core.validation);
    # the build noted as one change to every KPI figure (core.wholesale).
    with transaction.atomic(), audit_in_bulk(), checked_by_database(), wholesale():
        for name, fn in _sections:
            section_started, cpu_started = time.monotonic(), time.process_time()
            fn(ctx)
            ctx.say(
                f"  {name}: {time.monotonic() - section_started:.1f} s "
                f"({time.process_time() - cpu_started:.1f} s of CPU)"
            )
    summary = demo_summary(as_of=ctx.last_census)
    summary.seconds = time.monotonic() - started
    return summary


def demo_summary(*, as_of: dt.date) -> DemoSummary:
    """People, employments and the FTE position on ``as_of`` (from what is stored)."""
    on = selectors.assignments_on(as_of=as_of)
    employed = on.exclude(employment__contract_type=ContractType.AGENCY).aggregate(t=Sum("fte"))
    agency = on.filter(employment__contract_type=ContractType.AGENCY).aggregate(t=Sum("fte"))
    employed_fte = employed["t"] or Decimal(0)
    agency_fte = agency["t"] or Decimal(0)
    total = employed_fte + agency_fte
    return DemoSummary(
        census_date=as_of,
        people=Person.objects.count(),
        employments=Employment.objects.count(),
        in_post_fte=employed_fte,
        agency_fte=agency_fte,
        agency_share=float(agency_fte / total) if total else 0.0,
        caseload_rows=CaseloadSnapshot.objects.count(),
        absence_rows=SicknessAbsence.objects.count(),
    )


# --- Section: reference data ------------------------------------------------------------


def _scaled(n: int, scale: float, minimum: int = 0) -> int:
    return max(minimum, int(round(n * scale))) if n else 0


@section("reference data")
def build_reference_data(ctx: DemoContext) -> None:
    """Council, service areas, teams, grades, agencies, and the funded posts. Rows that
    already exist (by name) are reused, and a Council row set up by an admin is kept."""
    if not Council.objects.exists():
        Council.objects.create(name=COUNCIL_NAME, lea_code=COUNCIL_LEA, region_name=COUNCIL_REGION)
    ctx.council = Council.objects.first()
    for name in AREAS:
        ctx.areas[name], _ = ServiceArea.objects.get_or_create(name=name)
    for spec in GRADES:
        ctx.grades[spec.key], _ = Grade.objects.get_or_create(
            name=spec.name,
            defaults={
                "default_org_role": spec.org_role,
                "is_asye": spec.is_asye,
                "sort_order": spec.sort_order,
            },
        )
    for name, _weight in AGENCIES:
        agency, _ = Agency.objects.get_or_create(name=name)
        ctx.agencies.append(agency)
    for spec in TEAMS:
        ctx.teams[spec.code], _ = Team.objects.get_or_create(
            name=spec.name,
            defaults={"service_area": ctx.areas[spec.area], "is_case_holding": spec.case_holding},
        )
    _build_establishment(ctx)


def _budget_years(ctx: DemoContext) -> list[int]:
    """Budget years (1 April) covering the history: from the April before it starts."""
    return list(range(ctx.start.year - 1, ctx.today.year + 1))


def _establishment_for(ctx: DemoContext, spec: TeamSpec, group: str, budget_year: int) -> int:
    end_year = ctx.last_census.year
    if group == "sm":
        return 1 if spec.service_manager else 0
    if group == "tm":
        return 1
    if group == "atm":
        return _scaled(spec.atm, ctx.scale)
    base = _scaled(spec.ap if group == "ap" else spec.sw, ctx.scale, minimum=0)
    if group == "sw" and spec.sw:
        base = max(base, 2)
    years_before = max(0, end_year - budget_year)
    factor = 1 - spec.growth * years_before
    if spec.step_year is not None and years_before >= spec.step_year:
        factor -= spec.step
    return max(1 if base else 0, int(round(base * factor)))


def _post_split(ctx: DemoContext, spec: TeamSpec, group: str, n: int) -> list[tuple[str, int]]:
    """Funded posts (grade key, FTE) for ``n`` FTE of a post group. Social worker posts
    are funded 40% at Level 2 and 60% at Level 3 (ASYEs and progression fill them)."""
    if n == 0:
        return []
    if group == "sw" and spec.sw_grade == "sw":
        l3 = math.ceil(n * 0.6)
        return [(g, k) for g, k in (("l2", n - l3), ("l3", l3)) if k]
    grade = spec.sw_grade if group == "sw" else group
    return [(grade, n)]


def _build_establishment(ctx: DemoContext) -> None:
    """Posts per team and grade. A change of funded FTE on 1 April closes the old row
    (``valid_to``) and opens a new one, so the establishment on any date is on record."""
    first_from = D(ctx.start.year - 5, 4, 1)  # funded well before the history begins
    for spec in TEAMS:
        team = ctx.teams[spec.code]
        for group in GROUPS:
            funded = ctx.establishment.setdefault((spec.code, group), [])
            by_grade: dict[str, list[tuple[dt.date, int]]] = {}
            for index, year in enumerate(_budget_years(ctx)):
                date = first_from if index == 0 else D(year, 4, 1)
                n = _establishment_for(ctx, spec, group, year)
                funded.append((date, Decimal(n)))
                split = dict(_post_split(ctx, spec, group, n))
                for grade_key in {**dict.fromkeys(by_grade), **split}:
                    series = by_grade.setdefault(grade_key, [])
                    if not series or series[-1][1] != split.get(grade_key, 0):
                        series.append((date, split.get(grade_key, 0)))
            for grade_key, series in by_grade.items():
                for index, (valid_from, fte) in enumerate(series):
                    if not fte:
                        continue
                    valid_to = series[index + 1][0] if index + 1 < len(series) else None
                    Post.objects.get_or_create(
                        reference=f"{spec.code}-{grade_key.upper()}-{valid_from.year}",
                        defaults={
                            "team": team,
                            "grade": ctx.grades[grade_key],
                            "fte": Decimal(fte),
                            "valid_from": valid_from,
                            "valid_to": valid_to,
                        },
                    )


def _funded(ctx: DemoContext, spec: TeamSpec, group: str, date: dt.date) -> Decimal:
    fte = Decimal(0)
    for valid_from, value in ctx.establishment.get((spec.code, group), []):
        if valid_from <= date:
            fte = value
    return fte


# --- Section: six years of history ---------------------------------------------------------

PROMOTION_FROM = {"sm": ("tm",), "tm": ("atm", "ap"), "atm": ("ap", "sw"), "ap": ("sw",)}

ETHNICITY_WEIGHTS = [
    (Ethnicity.WBRI, 66),
    (Ethnicity.WOTH, 6),
    (Ethnicity.WIRI, 1),
    (Ethnicity.BAFR, 9),
    (Ethnicity.BCRB, 3),
    (Ethnicity.BOTH, 1),
    (Ethnicity.AIND, 2),
    (Ethnicity.APKN, 2),
    (Ethnicity.ABAN, 1),
    (Ethnicity.AOTH, 1),
    (Ethnicity.MWBC, 2),
    (Ethnicity.MWBA, 1),
    (Ethnicity.MWAS, 1),
    (Ethnicity.MOTH, 1),
    (Ethnicity.CHNE, 1),
    (Ethnicity.OOTH, 1),
    (Ethnicity.REFU, 1),
    (Ethnicity.NOBT, 1),
]
ROUTES_NEWLY_QUALIFIED = [
    (QualificationRoute.UNIVERSITY, 50),
    (QualificationRoute.STEP_UP, 10),
    (QualificationRoute.FRONTLINE, 12),
    (QualificationRoute.APPRENTICESHIP, 13),
    (QualificationRoute.PG_DIPLOMA, 10),
    (QualificationRoute.INTERNATIONAL, 5),
]
ROUTES_EXPERIENCED = [
    (QualificationRoute.UNIVERSITY, 68),
    (QualificationRoute.STEP_UP, 5),
    (QualificationRoute.FRONTLINE, 5),
    (QualificationRoute.APPRENTICESHIP, 2),
    (QualificationRoute.PG_DIPLOMA, 12),
    (QualificationRoute.INTERNATIONAL, 8),
]
UNIVERSITIES = [
    "University of Sussex",
    "University of Kent",
    "Canterbury Christ Church University",
    "University of Brighton",
    "Royal Holloway, University of London",
    "University of Surrey",
    "Oxford Brookes University",
    "University of Portsmouth",
    "Buckinghamshire New University",
    "University of Southampton",
    "Goldsmiths, University of London",
    "Anglia Ruskin University",
]
START_ORIGIN_EXPERIENCED = [
    (StartOrigin.OTHER_ENGLISH_COUNCIL, 45),
    (StartOrigin.AGENCY, 18),
    (StartOrigin.OTHER_NON_COUNCIL_SW, 10),
    (StartOrigin.OTHER_SOCIAL_CARE, 5),
    (StartOrigin.NON_SOCIAL_CARE, 5),
    (StartOrigin.OTHER, 3),
    (StartOrigin.NOT_KNOWN, 9),
    (StartOrigin.OUTSIDE_ENGLAND, 5),
]
REASONS = [
    (ReasonLeave.RESIGNATION, 80),
    (ReasonLeave.RETIRED, 5),
    (ReasonLeave.DISMISSED, 2),
    (ReasonLeave.MOVED_WITHIN_COUNCIL, 4),
    (ReasonLeave.VOLUNTARY_REDUNDANCY, 1),
    (ReasonLeave.OTHER, 4),
    (ReasonLeave.NOT_KNOWN, 4),
]
DESTINATIONS_AFTER_RESIGNING = [
    (LeaverDestination.OTHER_ENGLISH_COUNCIL, 34),
    (LeaverDestination.AGENCY, 20),
    (LeaverDestination.OTHER_NON_COUNCIL_SW, 10),
    (LeaverDestination.OUTSIDE_ENGLAND, 3),
    (LeaverDestination.OTHER_SOCIAL_CARE, 5),
    (LeaverDestination.NON_SOCIAL_CARE, 12),
    (LeaverDestination.OTHER, 4),
    (LeaverDestination.NOT_KNOWN, 12),
]
DESTINATION_FOR_REASON = {
    ReasonLeave.RETIRED: [(LeaverDestination.NON_SOCIAL_CARE, 9), (LeaverDestination.OTHER, 1)],
    ReasonLeave.DISMISSED: [(LeaverDestination.NOT_KNOWN, 3), (LeaverDestination.OTHER, 1)],
    ReasonLeave.MOVED_WITHIN_COUNCIL: [
        (LeaverDestination.OTHER_SOCIAL_CARE, 2),
        (LeaverDestination.OTHER_NON_COUNCIL_SW, 1),
    ],
    ReasonLeave.VOLUNTARY_REDUNDANCY: [(LeaverDestination.NON_SOCIAL_CARE, 1)],
    ReasonLeave.OTHER: [(LeaverDestination.OTHER, 2), (LeaverDestination.NOT_KNOWN, 1)],
    ReasonLeave.NOT_KNOWN: [(LeaverDestination.NOT_KNOWN, 1)],
}
#: Destinations after which a leaver may come back (as a returner) later.
CAN_RETURN_FROM = {
    LeaverDestination.OTHER_ENGLISH_COUNCIL,
    LeaverDestination.AGENCY,
    LeaverDestination.OTHER_NON_COUNCIL_SW,
    LeaverDestination.NON_SOCIAL_CARE,
    LeaverDestination.OTHER_SOCIAL_CARE,
}
RETURN_ORIGIN = {
    LeaverDestination.OTHER_ENGLISH_COUNCIL: StartOrigin.OTHER_ENGLISH_COUNCIL,
    LeaverDestination.AGENCY: StartOrigin.AGENCY,
    LeaverDestination.OTHER_NON_COUNCIL_SW: StartOrigin.OTHER_NON_COUNCIL_SW,
    LeaverDestination.NON_SOCIAL_CARE: StartOrigin.NON_SOCIAL_CARE,
    LeaverDestination.OTHER_SOCIAL_CARE: StartOrigin.OTHER_SOCIAL_CARE,
}
PART_TIME_FTE = [(Decimal("0.8"), 6), (Decimal("0.6"), 3), (Decimal("0.5"), 1)]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _weekly(annual: float) -> float:
    return 1 - (1 - annual) ** (1 / 52)


class History:
    """The weekly simulation behind ``build_history``; writes through the services."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.active: list[Sim] = []
        self.pending: list[Pending] = []
        self.left: list[tuple[Person, dt.date, int | None]] = []  # (person, left on, dest)
        self.used_swe: set[str] = set()
        self.staff_no = 100000

    # People -----------------------------------------------------------------------

    def new_person(self, *, start: dt.date, age: int, newly_qualified: bool, agency: bool):
        rng, fake = self.rng, self.ctx.faker
        roll = rng.random()
        gender = (
            Gender.FEMALE if roll < 0.85 else Gender.MALE if roll < 0.99 else Gender.NOT_SPECIFIED
        )
        route = _pick(rng, ROUTES_NEWLY_QUALIFIED if newly_qualified else ROUTES_EXPERIENCED)
        if route == QualificationRoute.INTERNATIONAL:
            ethnicity = _pick(
                rng,
                [
                    (Ethnicity.BAFR, 6),
                    (Ethnicity.AIND, 2),
                    (Ethnicity.WOTH, 2),
                    (Ethnicity.OOTH, 1),
                ],
            )
            institution = rng.choice(
                [
                    "University of Zimbabwe",
                    "University of Johannesburg",
                    "University of Kerala",
                    "University of Ghana",
                    "Universidade do Porto",
                    "University of Nairobi",
                ]
            )
        else:
            ethnicity = _pick(rng, ETHNICITY_WEIGHTS)
            institution = {
                QualificationRoute.FRONTLINE: "Frontline",
                QualificationRoute.STEP_UP: "Step Up to Social Work (South East partnership)",
            }.get(route) or rng.choice(UNIVERSITIES)
        level = (
            QualLevel.POSTGRADUATE
            if route
            in (
                QualificationRoute.STEP_UP,
                QualificationRoute.FRONTLINE,
                QualificationRoute.PG_DIPLOMA,
            )
            or rng.random() < 0.15
            else QualLevel.UNDERGRADUATE
        )
        first = fake.first_name_female() if gender == Gender.FEMALE else fake.first_name_male()
        while True:
            swe = f"SW{rng.randint(10000, 999999)}"
            if swe not in self.used_swe:
                self.used_swe.add(swe)
                break
        dob = start - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
        staff_ref = None
        if not agency:
            self.staff_no += 1
            staff_ref = f"DCC{self.staff_no}"
        return services.person_create(
            swe_number=swe,
            staff_ref=staff_ref,
            first_name=first,
            last_name=fake.last_name(),
            date_of_birth=dob,
            gender=gender,
            ethnicity=ethnicity,
            qualification_route=route,
            qualification_institution=institution,
            qualification_level=level,
        )

    def give_staff_ref(self, person: Person) -> None:
        if not person.staff_ref:
            self.staff_no += 1
            services.person_update(
                person=person, staff_ref=f"DCC{self.staff_no}", version=UNCHECKED
            )

    # Employments ------------------------------------------------------------------------

    def grade_for(self, spec: TeamSpec, group: str, *, asye: bool, years_qualified: float) -> str:
        if group != "sw":
            return group
        if spec.sw_grade != "sw":
            return spec.sw_grade
        if asye:
            return "l1"
        return "l3" if years_qualified >= 3 or self.rng.random() < 0.3 else "l2"

    def role_for(self, spec: TeamSpec, group: str) -> int:
        if group == "sw":
            return spec.sw_role
        if group == "ap":
            return spec.ap_role
        return {
            "sm": OrgRole.MIDDLE_MANAGER,
            "tm": OrgRole.FIRST_LINE_MANAGER,
            "atm": OrgRole.FIRST_LINE_MANAGER,
        }[group]

    def start(
        self,
        *,
        spec: TeamSpec,
        group: str,
        start: dt.date,
        agency: bool,
        fte: Decimal,
        asye: bool = False,
        person: Person | None = None,
        origin: int | None = None,
        years_qualified: float | None = None,
        contract: str | None = None,
    ) -> Sim:
        rng = self.rng
        if years_qualified is None:
            years_qualified = (
                0
                if asye
                else {"sw": 3, "ap": 7, "atm": 8, "tm": 10, "sm": 14}[group]
                + rng.expovariate(1 / 5)
            )
        age = (
            int(22 + rng.expovariate(1 / 3))
            if asye
            else int(min(62, 23 + years_qualified + rng.expovariate(1 / 6)))
        )
        if person is None:
            person = self.new_person(start=start, age=age, newly_qualified=asye, agency=agency)
        elif person.date_of_birth:
            age = (start - person.date_of_birth).days // 365
        grade = self.grade_for(spec, group, asye=asye, years_qualified=years_qualified)
        if contract is None:
            contract = (
                ContractType.AGENCY
                if agency
                else (ContractType.FIXED_TERM if rng.random() < 0.05 else ContractType.PERMANENT)
            )
        if origin is None and not agency:
            origin = StartOrigin.NEWLY_QUALIFIED if asye else _pick(rng, START_ORIGIN_EXPERIENCED)
        agency_row = None
        if agency:
            agency_row = _pick(
                rng, list(zip(self.ctx.agencies, [w for _, w in AGENCIES], strict=True))
            )
        employment = services.starter_record(
            person=person,
            contract_type=contract,
            agency=agency_row,
            start_date=start,
            team=self.ctx.teams[spec.code],
            org_role=self.role_for(spec, group),
            fte=fte,
            start_origin=origin,
            grade=self.ctx.grades[grade],
            is_asye=asye,
        )
        sim = Sim(
            person=person,
            employment=employment,
            team=spec,
            group=group,
            grade=grade,
            org_role=self.role_for(spec, group),
            fte=fte,
            is_asye=asye,
            agency=agency,
            start=start,
            last_change=start,
            grade_since=start,
            age_at_start=age,
            asye_due=start + dt.timedelta(days=365 + rng.choice([0, 0, 0, 0, 14, 35, 70]))
            if asye
            else None,
        )
        self.active.append(sim)
        return sim

    def leave(self, sim: Sim, date: dt.date) -> None:
        rng = self.rng
        if sim.agency:
            services.leaver_record(employment=sim.employment, end_date=date, version=UNCHECKED)
        else:
            age = sim.age_at_start + (date - sim.start).days // 365
            if age >= 58 and rng.random() < 0.5:
                reason = ReasonLeave.RETIRED
            else:
                reason = _pick(rng, REASONS)
                if reason == ReasonLeave.RETIRED and age < 55:
                    reason = ReasonLeave.RESIGNATION
            destination = (
                _pick(rng, DESTINATIONS_AFTER_RESIGNING)
                if reason == ReasonLeave.RESIGNATION
                else _pick(rng, DESTINATION_FOR_REASON[reason])
            )
            services.leaver_record(
                employment=sim.employment,
                end_date=date,
                leaving_reason=reason,
                leaving_destination=destination,
                version=UNCHECKED,
            )
            if destination in CAN_RETURN_FROM and reason != ReasonLeave.DISMISSED:
                self.left.append((sim.person, date, destination))
        sim.end = date
        self.active.remove(sim)

    def change(self, sim: Sim, date: dt.date, reason: str, **terms) -> None:
        kwargs = {}
        if "team" in terms:
            sim.team = terms["team"]
            kwargs["team"] = self.ctx.teams[sim.team.code]
            kwargs["post"] = None
        if "grade" in terms:
            sim.grade = terms["grade"]
            sim.grade_since = date
            kwargs["grade"] = self.ctx.grades[sim.grade]
        if "group" in terms:
            sim.group = terms["group"]
        if "org_role" in terms:
            sim.org_role = terms["org_role"]
            kwargs["org_role"] = sim.org_role
        if "fte" in terms:
            sim.fte = terms["fte"]
            kwargs["fte"] = sim.fte
        if "is_asye" in terms:
            sim.is_asye = terms["is_asye"]
            kwargs["is_asye"] = sim.is_asye
            kwargs["cfkss_status"] = None
        services.assignment_change(
            employment=sim.employment,
            effective_from=date,
            change_reason=reason,
            version=UNCHECKED,  # the demo council: no person is editing
            **kwargs,
        )
        sim.last_change = date

    # Measures -------------------------------------------------------------------------

    def filled(self, spec: TeamSpec, group: str) -> Decimal:
        return sum(
            (s.fte for s in self.active if s.team is spec and s.group == group), Decimal(0)
        ) + sum((p.fte for p in self.pending if p.team is spec and p.group == group), Decimal(0))

    def filled_all(self) -> dict[tuple[str, str], Decimal]:
        """``filled`` of every team's post groups, by (team code, group), in one pass."""
        totals = {(spec.code, group): Decimal(0) for spec in TEAMS for group in GROUPS}
        for s in [*self.active, *self.pending]:
            totals[s.team.code, s.group] += s.fte
        return totals

    def agency_share(self) -> float:
        agency = sum((s.fte for s in self.active if s.agency), Decimal(0))
        total = sum((s.fte for s in self.active), Decimal(0))
        return float(agency / total) if total else 0.0

    # The simulation ------------------------------------------------------------------

    def populate(self) -> None:
        """The workforce in post on the day before the history begins."""
        ctx, rng = self.ctx, self.rng
        day0 = ctx.start - ONE_DAY
        target = _year_value(AGENCY_TARGET, 0)
        for spec in TEAMS:
            for group in GROUPS:
                funded = _funded(ctx, spec, group, day0)
                filled = Decimal(0)
                while filled + Decimal("0.5") <= funded * Decimal("0.95") or (
                    filled == 0 and funded >= 1
                ):
                    agency = group != "sm" and rng.random() < target
                    fte = self.hire_fte()
                    if agency:
                        start = day0 - dt.timedelta(days=rng.randint(7, 500))
                        self.start(spec=spec, group=group, start=start, agency=True, fte=fte)
                    else:
                        service = min(25.0, rng.expovariate(1 / 6))
                        start = day0 - dt.timedelta(days=int(service * 365) + 1)
                        start -= dt.timedelta(days=start.weekday())
                        asye = group == "sw" and spec.sw_grade == "sw" and service < 1
                        if asye:
                            start = _cohort_day(start.year if start.month >= 9 else start.year - 1)
                        self.start(
                            spec=spec,
                            group=group,
                            start=start,
                            agency=False,
                            fte=fte,
                            asye=asye,
                            years_qualified=None if asye else service + rng.uniform(0, 6),
                        )
                    filled += fte

    def hire_fte(self) -> Decimal:
        return Decimal(1) if self.rng.random() < 0.88 else _pick(self.rng, PART_TIME_FTE)

    def run(self) -> None:
        ctx = self.ctx
        self.populate()
        monday = ctx.start + dt.timedelta(days=(7 - ctx.start.weekday()) % 7)
        while monday <= ctx.today:
            self.week(monday, ctx.census_year_index(monday))
            monday += ONE_WEEK

    def _day_in_week(self, monday: dt.date) -> dt.date | None:
        day = monday + dt.timedelta(days=self.rng.randint(0, 4))
        return day if day <= self.ctx.today else None

    def week(self, monday: dt.date, year: int) -> None:
        ctx, rng = self.ctx, self.rng
        # 1. Starts due this week.
        due = [p for p in self.pending if p.start <= monday + dt.timedelta(days=6)]
        for p in due:
            self.pending.remove(p)
            if p.start > ctx.today:
                continue
            if p.asye:
                self.start(
                    spec=p.team, group="sw", start=p.start, agency=False, fte=p.fte, asye=True
                )
                continue
            if p.returner is not None and any(s.person.pk == p.returner.pk for s in self.active):
                p.returner = None
            if p.returner is not None:
                dest = next(d for person, _, d in reversed(self.left) if person == p.returner)
                if not p.agency:
                    self.give_staff_ref(p.returner)
                self.start(
                    spec=p.team,
                    group=p.group,
                    start=p.start,
                    agency=p.agency,
                    fte=p.fte,
                    person=p.returner,
                    origin=None if p.agency else RETURN_ORIGIN.get(dest),
                    years_qualified=8,
                )
            else:
                self.start(spec=p.team, group=p.group, start=p.start, agency=p.agency, fte=p.fte)

        # 2. ASYE cohort in September.
        cohort_day = _cohort_day(monday.year)
        if monday == cohort_day:
            self.asye_cohort(monday, year)

        # 3. Leavers, placement endings, conversions and changes.
        leave_rate = _year_value(LEAVE_RATE, year)
        conversion = _weekly(_year_value(CONVERSION_RATE, year))
        # placements end sooner when the agency share is above where the council steers it
        steer = self.agency_share() - _year_value(AGENCY_TARGET, year)
        placement_end = min(2.0, max(0.5, 1 + steer * 8)) / AGENCY_PLACEMENT_WEEKS
        # and are ended early where permanent staff now fill the establishment
        filled = self.filled_all()
        over = {
            (spec.code, group)
            for spec in TEAMS
            for group in GROUPS
            if filled[spec.code, group] - _funded(ctx, spec, group, monday) >= Decimal("0.5")
        }
        for sim in list(self.active):
            if sim.start > monday or sim.last_change >= monday:
                continue
            service_years = (monday - sim.start).days / 365.25
            if sim.agency:
                ending = placement_end * (4 if (sim.team.code, sim.group) in over else 1)
                if rng.random() < ending:
                    day = self._day_in_week(monday)
                    if day:
                        self.leave(sim, day)
                elif (
                    sim.group in ("sw", "ap", "atm")
                    and service_years > 0.25
                    and rng.random() < conversion
                ):
                    self.convert(sim, monday)
                continue
            factor = (
                1.2
                if service_years < 1
                else 1.3
                if service_years < 3
                else (1.0 if service_years < 5 else 0.7)
            )
            if sim.is_asye:
                factor = 0.5
            if sim.group in ("tm", "sm"):
                factor *= 0.8
            if rng.random() < _weekly(min(0.9, leave_rate * factor)):
                day = self._day_in_week(monday)
                if day:
                    self.leave(sim, day)
                continue
            self.maybe_change(sim, monday, service_years)

        # 4. Fill gaps: internal promotions and moves, then agency or permanent recruits.
        # Most weeks most post groups have no gap: one count of everyone finds those, and
        # is taken again only after a fill has moved or added someone.
        filled = self.filled_all()
        for spec in TEAMS:
            for group in GROUPS:
                if self.gap(spec, group, monday, filled[spec.code, group]):
                    self.fill(spec, group, monday, year)
                    filled = self.filled_all()

    def maybe_change(self, sim: Sim, monday: dt.date, service_years: float) -> None:
        rng = self.rng
        if sim.is_asye and sim.asye_due and monday >= sim.asye_due:
            self.change(sim, monday, ChangeReason.ASYE_COMPLETED, is_asye=False, grade="l2")
            return
        if (
            sim.grade == "l2"
            and (monday - sim.grade_since).days > 540
            and rng.random() < _weekly(0.5)
        ):
            self.change(sim, monday, ChangeReason.ROLE_CHANGE, grade="l3")
            return
        if rng.random() < _weekly(0.04):
            if sim.fte == 1:
                fte = _pick(rng, PART_TIME_FTE)
            else:
                fte = (
                    Decimal(1)
                    if rng.random() < 0.6
                    else _pick(rng, [(f, w) for f, w in PART_TIME_FTE if f != sim.fte])
                )
            self.change(sim, monday, ChangeReason.FTE_CHANGE, fte=fte)
            return
        if (
            sim.group == "sw"
            and sim.team.case_holding
            and service_years > 1
            and rng.random() < _weekly(0.04)
        ):
            # asks to move: to the case-holding team that is shortest if one is short,
            # else (sometimes) to another team in the same service area
            gaps = [
                (_funded(self.ctx, other, "sw", monday) - self.filled(other, "sw"), other)
                for other in TEAMS
                if other is not sim.team and other.case_holding and other.sw_grade == "sw"
            ]
            gap, other = max(gaps, key=lambda g: (g[0], -TEAMS.index(g[1])))
            nearby = [t for _, t in gaps if t.area == sim.team.area]
            if gap < Decimal("0.5"):
                other = rng.choice(nearby) if nearby and rng.random() < 0.4 else None
            if other is not None:
                self.change(sim, monday, ChangeReason.TEAM_MOVE, team=other)

    def convert(self, sim: Sim, monday: dt.date) -> None:
        """An agency worker taken on permanently: the placement ends, an employment starts."""
        spec, group, fte, person = sim.team, sim.group, sim.fte, sim.person
        self.leave(sim, monday)
        self.give_staff_ref(person)
        self.start(
            spec=spec,
            group=group,
            start=monday,
            agency=False,
            fte=fte,
            person=person,
            origin=StartOrigin.AGENCY,
            years_qualified=6,
            contract=ContractType.PERMANENT,
        )

    def asye_cohort(self, monday: dt.date, year: int) -> None:
        """Newly qualified social workers join case-holding teams where employed staff
        are shortest, most on the cohort start day and the rest over the next weeks."""
        rng = self.rng
        size = max(1, int(round(_year_value(ASYE_COHORT, year) * self.ctx.scale)))
        teams = [s for s in TEAMS if s.case_holding and s.sw_grade == "sw"]
        shortfall = {
            s.code: _funded(self.ctx, s, "sw", monday)
            - sum(
                (x.fte for x in self.active if x.team is s and x.group == "sw" and not x.agency),
                Decimal(0),
            )
            for s in teams
        }
        for _ in range(size):
            spec = max(teams, key=lambda s: (shortfall[s.code], -TEAMS.index(s)))
            shortfall[spec.code] -= 1
            start = monday if rng.random() < 0.7 else monday + ONE_WEEK * rng.randint(1, 6)
            if start <= monday:
                self.start(
                    spec=spec, group="sw", start=start, agency=False, fte=Decimal(1), asye=True
                )
            else:
                self.pending.append(
                    Pending(
                        start=start, team=spec, group="sw", agency=False, fte=Decimal(1), asye=True
                    )
                )

    def gap(self, spec: TeamSpec, group: str, monday: dt.date, filled: Decimal) -> bool:
        """Whether recruiting should fill more of the post group's establishment."""
        return _funded(self.ctx, spec, group, monday) * FILL_TARGET - filled >= Decimal("0.5")

    def fill(self, spec: TeamSpec, group: str, monday: dt.date, year: int) -> None:
        rng = self.rng
        target = _year_value(AGENCY_TARGET, year)
        while self.gap(spec, group, monday, self.filled(spec, group)):
            if (
                group in PROMOTION_FROM
                and rng.random() < 0.45
                and self.promote(spec, group, monday)
            ):
                continue
            if (
                group == "sw"
                and spec.case_holding
                and rng.random() < 0.1
                and self.move_in(spec, monday)
            ):
                continue
            share = self.agency_share()
            p_agency = min(0.9, max(0.03, 0.4 + (target - share) * 10))
            if group == "sm":
                p_agency *= 0.3
            agency = rng.random() < p_agency
            weeks = rng.randint(1, 3) if agency else rng.randint(6, 16)
            returner = self.find_returner(monday, agency)
            self.pending.append(
                Pending(
                    start=monday + ONE_WEEK * weeks,
                    team=spec,
                    group=group,
                    agency=agency,
                    fte=self.hire_fte(),
                    returner=returner,
                )
            )

    def find_returner(self, monday: dt.date, agency: bool) -> Person | None:
        rng = self.rng
        if rng.random() > (0.05 if agency else 0.07):
            return None
        pending = {id(p.returner) for p in self.pending}
        candidates = [
            person
            for person, left_on, dest in self.left
            if 182 <= (monday - left_on).days <= 5 * 365
            and (dest == LeaverDestination.AGENCY or not agency)
            and id(person) not in pending
            and not any(s.person.pk == person.pk for s in self.active)
        ]
        return rng.choice(candidates) if candidates else None

    def promote(self, spec: TeamSpec, group: str, monday: dt.date) -> bool:
        pool = [spec] if group != "sm" else [s for s in TEAMS if s.area == spec.area]
        candidates = [
            s
            for s in self.active
            if s.team in pool
            and s.group in PROMOTION_FROM[group]
            and not s.agency
            and not s.is_asye
            and s.last_change < monday
            and s.start <= monday - dt.timedelta(days=365)
            and (s.group != "sw" or s.grade == "l3")  # promoted from Level 3 only
        ]
        if not candidates:
            return False
        sim = self.rng.choice(candidates)
        terms = {"group": group, "grade": group, "org_role": self.role_for(spec, group)}
        if sim.team is not spec:
            terms["team"] = spec
        self.change(sim, monday, ChangeReason.ROLE_CHANGE, **terms)
        return True

    def move_in(self, spec: TeamSpec, monday: dt.date) -> bool:
        """A social worker moves from a team with more than its establishment."""
        candidates = []
        for other in TEAMS:
            if other is spec or not other.case_holding or other.sw_grade != "sw":
                continue
            if self.filled(other, "sw") - _funded(self.ctx, other, "sw", monday) < Decimal("0.5"):
                continue
            candidates += [
                s
                for s in self.active
                if s.team is other
                and s.group == "sw"
                and not s.agency
                and not s.is_asye
                and s.last_change < monday
                and s.start <= monday - dt.timedelta(days=365)
            ]
        if not candidates:
            return False
        self.change(self.rng.choice(candidates), monday, ChangeReason.TEAM_MOVE, team=spec)
        return True


def _cohort_day(year: int) -> dt.date:
    """The ASYE cohort's start: the first Monday of September."""
    first = D(year, 9, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


@section("history")
def build_history(ctx: DemoContext) -> None:
    """Six years of starters, leavers, agency placements, ASYEs and changes."""
    History(ctx).run()


# --- Section: weekly caseloads ------------------------------------------------------------

CASE_HOLDING_ROLES = (OrgRole.SENIOR_PRACTITIONER, OrgRole.CASE_HOLDER)
#: ASYEs hold a protected caseload: about two thirds of an experienced worker's.
ASYE_CASELOAD_FACTOR = 0.72
SENIOR_PRACTITIONER_CASELOAD_FACTOR = 0.85


def _fridays(first: dt.date, last: dt.date):
    day = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    while day <= last:
        yield day
        day += ONE_WEEK


def _pressure(ctx: DemoContext, date: dt.date) -> float:
    """Caseload pressure on a date: the yearly level, eased between years, plus the
    autumn rise in referrals."""
    year = ctx.census_year_index(date)
    year_start = D(ctx.start.year + year, 10, 1)
    through = min(1.0, max(0.0, (date - year_start).days / 365))
    level = (
        _year_value(CASELOAD_PRESSURE, year) * (1 - through)
        + _year_value(CASELOAD_PRESSURE, year + 1) * through
    )
    return level * (1.03 if date.month in (10, 11) else 1.0)


@section("caseloads")
def build_caseloads(ctx: DemoContext) -> None:
    """Every Friday, each case holder's cases, read back from the stored history: a
    random walk towards the team's level (pro rata to FTE, lower for ASYEs and senior
    practitioners, building up over a new starter's first weeks). Written in bulk."""
    rng = ctx.rng
    typical = {ctx.teams[s.code].pk: s.caseload for s in TEAMS}
    assignments: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.select_related("team").order_by("employment_id", "effective_from"):
        assignments.setdefault(a.employment_id, []).append(a)
    rows: list[dict] = []
    employments = Employment.objects.filter(end_date__isnull=True) | Employment.objects.filter(
        end_date__gt=ctx.start
    )
    for employment in employments.order_by("start_date", "person__swe_number"):
        periods = assignments.get(employment.pk, [])
        personal = rng.gauss(1.0, 0.08)
        last_day = min(ctx.today, (employment.end_date or ctx.today + ONE_DAY) - ONE_DAY)
        cases: float | None = None
        team_id = None
        index = 0
        for friday in _fridays(max(employment.start_date, ctx.start), last_day):
            while index + 1 < len(periods) and periods[index + 1].effective_from <= friday:
                index += 1
            a = periods[index]
            if not (a.team.is_case_holding and a.org_role in CASE_HOLDING_ROLES):
                cases = None
                continue
            target = typical.get(a.team_id) or 16.0
            target *= _pressure(ctx, friday) * personal * float(a.fte)
            if a.is_asye:
                target *= ASYE_CASELOAD_FACTOR
            elif a.org_role == OrgRole.SENIOR_PRACTITIONER:
                target *= SENIOR_PRACTITIONER_CASELOAD_FACTOR
            weeks_in = (friday - max(employment.start_date, a.effective_from)).days / 7
            if cases is None or team_id != a.team_id:
                # a new starter or a team move: the caseload builds up from a handful
                cases = target * (0.3 if weeks_in < 8 else 0.9)
                team_id = a.team_id
            cases += 0.3 * (target - cases) + rng.gauss(0, 0.9)
            rows.append(
                {  # a mapping, not a model instance: 60,000 of them were 0.5 s to build
                    "employment_id": employment.pk,
                    "date": friday,
                    "cases": max(0, int(round(cases))),
                    "team_id": a.team_id,
                    "source": CaseloadSource.IMPORT,
                }
            )
    rows_insert(CaseloadSnapshot, rows)
    ctx.counts["caseloads"] = len(rows)


# --- Section: sickness absence --------------------------------------------------------------

#: Short spells a year per employed worker, and the chance of a long-term absence.
SHORT_SPELLS_A_YEAR = 2.0
LONG_TERM_A_YEAR = 0.05
SHORT_SPELL_DAYS = [1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 8, 10]


def _add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of an absence of ``days`` working days starting on ``start``."""
    day, left = start, days - 1
    while left > 0:
        day += ONE_DAY
        if day.weekday() < 5:
            left -= 1
    return day


@section("absence")
def build_absence(ctx: DemoContext) -> None:
    """Sickness absence for employed staff (agency absence is not the council's to
    record): short spells of a few days and some long-term absence. Written in bulk."""
    rng = ctx.rng
    short, long_term = SHORT_SPELLS_A_YEAR / 52, LONG_TERM_A_YEAR / 52
    fte_by_employment = {}
    for employment_id, fte in Assignment.objects.order_by(
        "employment_id", "-effective_from"
    ).values_list("employment_id", "fte"):
        fte_by_employment.setdefault(employment_id, fte)
    rows: list[SicknessAbsence] = []
    employments = Employment.objects.exclude(contract_type=ContractType.AGENCY)
    for employment in employments.order_by("start_date", "person__swe_number"):
        last_day = min(ctx.today, (employment.end_date or ctx.today + ONE_DAY) - ONE_DAY)
        first = max(employment.start_date, ctx.start)
        monday = first - dt.timedelta(days=first.weekday())
        busy_until = monday
        fte = fte_by_employment.get(employment.pk, Decimal(1))
        while monday <= last_day:
            if monday >= busy_until:
                roll = rng.random()
                days = 0
                if roll < long_term:
                    days = rng.randint(20, 90)
                elif roll < long_term + short:
                    days = rng.choice(SHORT_SPELL_DAYS)
                if days:
                    start = max(first, monday + dt.timedelta(days=rng.randint(0, 4)))
                    end = _add_working_days(start, days)
                    if end > last_day:
                        end = last_day
                        days = sum(
                            1
                            for i in range((end - start).days + 1)
                            if (start + dt.timedelta(days=i)).weekday() < 5
                        )
                    if start <= end and days:
                        rows.append(
                            SicknessAbsence(
                                employment_id=employment.pk,
                                start_date=start,
                                end_date=end,
                                working_days_lost=(Decimal(days) * fte).quantize(Decimal("0.01")),
                            )
                        )
                        busy_until = end + ONE_DAY
            monday += ONE_WEEK
    rows_insert(SicknessAbsence, rows)
    ctx.counts["absence"] = len(rows)
