"""The DfE agency rules as pure functions: facts in, breaches out. No database.

Each check returns ``None`` (complied with) or a ``Breach``: the rule's code, a plain
message a person can act on, and the evidence used. ``check_all`` runs every rule.
The sources and dates of the rules are in docs/agency-rules.md.

Boundaries (tested): 36 months of experience is enough; a start exactly 3 months after
leaving is allowed; a rate equal to the cap to the penny is within it; one sign-off of
the two is not enough.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .choices import Rule

#: The rules apply to agency placements starting from this date (full compliance from
#: 1 October 2025); a placement that started before has no cap to be held to.
RULES_IN_FORCE = dt.date(2024, 10, 31)
#: 3 years' post-qualification experience in local authority employment.
PQE_MONTHS = 36
#: No agency engagement within 3 months of leaving a permanent role in the region.
COOLING_OFF_MONTHS = 3
#: Notice of no more than 4 weeks (or the permanent staff's notice, if shorter).
NOTICE_WEEKS = 4
PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Breach:
    rule: str
    message: str
    evidence: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "message": self.message, "evidence": self.evidence}


@dataclass(frozen=True)
class Leaving:
    """A permanent leaving the cooling-off rule looks at: where it was known from."""

    date: dt.date
    source: str  # "this council" or "LA 123 (regional file)"
    exempt: bool = False  # e.g. made redundant: the rule does not apply


@dataclass(frozen=True)
class Cap:
    region: str
    hourly_cap: Decimal
    effective_from: dt.date
    on_cost_percent: Decimal = Decimal("0")
    includes: str = ""


@dataclass(frozen=True)
class PlacementFacts:
    """Everything the rules need about one placement."""

    start_date: dt.date
    end_date: dt.date | None
    pay_rate: Decimal
    notice_weeks: int
    reference_obtained_on: dt.date | None
    reference_given_on: dt.date | None
    is_project_team: bool
    project_worker_approved: bool
    project_costs_broken_down: bool
    known_la_months: int
    declared_la_months: int
    leavings: tuple[Leaving, ...] = ()
    cap: Cap | None = None
    sign_offs: frozenset[str] = frozenset()
    region: str = ""
    role_category: str = ""


@dataclass(frozen=True)
class Settings:
    """What the council sets: the permanent staff's notice, the days to give a reference."""

    permanent_notice_weeks: int | None = None
    reference_given_within_days: int = 28


def fmt(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day if it is shorter)."""
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (6 Jan to 6 Apr is 3; to 5 Apr, 2)."""
    if end <= start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months


def capped_rate(pay_rate: Decimal, cap: Cap) -> Decimal:
    """The hourly rate compared with the cap: pay rate plus what the cap includes, to the penny."""
    rate = Decimal(pay_rate) * (1 + Decimal(cap.on_cost_percent) / 100)
    return rate.quantize(PENNY, rounding=ROUND_HALF_UP)


def over_cap(facts: PlacementFacts) -> bool:
    return facts.cap is not None and capped_rate(facts.pay_rate, facts.cap) > facts.cap.hourly_cap


# --- The rules ----------------------------------------------------------------------


def check_pqe(facts: PlacementFacts) -> Breach | None:
    total = facts.known_la_months + facts.declared_la_months
    if total >= PQE_MONTHS:
        return None
    return Breach(
        Rule.PQE,
        f"{total} months' post-qualification experience in local authority employment: "
        f"the rules ask for at least {PQE_MONTHS} (3 years).",
        {"known_months": facts.known_la_months, "declared_months": facts.declared_la_months},
    )


def check_cooling_off(facts: PlacementFacts) -> Breach | None:
    for leaving in sorted(facts.leavings, key=lambda item: item.date, reverse=True):
        if leaving.exempt or leaving.date > facts.start_date:
            continue
        allowed_from = add_months(leaving.date, COOLING_OFF_MONTHS)
        if facts.start_date < allowed_from:
            return Breach(
                Rule.COOLING_OFF,
                f"Left a permanent social work role ({leaving.source}) on {fmt(leaving.date)}: "
                f"an agency placement in the region may start on {fmt(allowed_from)} at the "
                "earliest.",
                {
                    "left_on": leaving.date.isoformat(),
                    "source": leaving.source,
                    "allowed_from": allowed_from.isoformat(),
                },
            )
    return None


def check_cap(facts: PlacementFacts) -> Breach | None:
    if not over_cap(facts):
        return None
    cap = facts.cap
    missing = {"dcs", "chief_executive"} - set(facts.sign_offs)
    if not missing:
        return None
    rate = capped_rate(facts.pay_rate, cap)
    who = " and ".join(
        name
        for key, name in (
            ("dcs", "the Director of Children's Services"),
            ("chief_executive", "the chief executive"),
        )
        if key in missing
    )
    return Breach(
        Rule.CAP,
        f"£{rate} an hour is above the {cap.region} cap of £{cap.hourly_cap} for this role "
        f"(from {fmt(cap.effective_from)}) and has not been signed off by {who}.",
        {
            "rate": str(rate),
            "cap": str(cap.hourly_cap),
            "region": cap.region,
            "cap_from": cap.effective_from.isoformat(),
            "signed_off_by": sorted(facts.sign_offs),
        },
    )


def notice_limit(settings: Settings) -> int:
    if settings.permanent_notice_weeks is not None:
        return min(NOTICE_WEEKS, settings.permanent_notice_weeks)
    return NOTICE_WEEKS


def check_notice(facts: PlacementFacts, settings: Settings) -> Breach | None:
    limit = notice_limit(settings)
    if facts.notice_weeks <= limit:
        return None
    return Breach(
        Rule.NOTICE,
        f"A notice period of {facts.notice_weeks} weeks is longer than the {limit} weeks allowed.",
        {"notice_weeks": facts.notice_weeks, "limit_weeks": limit},
    )


def check_reference(facts: PlacementFacts, settings: Settings, as_of: dt.date) -> Breach | None:
    obtained = facts.reference_obtained_on
    if obtained is None or obtained > facts.start_date:
        start = fmt(facts.start_date)
        message = (
            f"No practice-based reference was obtained before the start on {start}."
            if obtained is None
            else f"The practice-based reference was obtained on {fmt(obtained)}, after the "
            f"start on {start}."
        )
        return Breach(
            Rule.REFERENCE, message, {"obtained_on": obtained.isoformat() if obtained else None}
        )
    if facts.end_date is not None:
        due = facts.end_date + dt.timedelta(days=settings.reference_given_within_days)
        given = facts.reference_given_on
        if (given is None and as_of > due) or (given is not None and given > due):
            return Breach(
                Rule.REFERENCE,
                f"The reference at the end was due by {fmt(due)} "
                f"({settings.reference_given_within_days} days after the placement ended) and "
                + ("has not been given." if given is None else f"was given on {fmt(given)}."),
                {"due_by": due.isoformat(), "given_on": given.isoformat() if given else None},
            )
    return None


def check_project_team(facts: PlacementFacts) -> Breach | None:
    if not facts.is_project_team:
        return None
    missing = []
    if not facts.project_worker_approved:
        missing.append("the worker was not identified and approved in advance")
    if not facts.project_costs_broken_down:
        missing.append("the costs are not broken down per worker")
    if not missing:
        return None
    return Breach(
        Rule.PROJECT_TEAM,
        "Project team or packaged model: " + " and ".join(missing) + ".",
        {
            "worker_approved": facts.project_worker_approved,
            "costs_broken_down": facts.project_costs_broken_down,
        },
    )


def check_all(
    facts: PlacementFacts, *, settings: Settings | None = None, as_of: dt.date
) -> list[Breach]:
    """Every rule the placement breaks, in the order of ``Rule``."""
    settings = settings or Settings()
    found = [
        check_pqe(facts),
        check_cooling_off(facts),
        check_cap(facts),
        check_notice(facts, settings),
        check_reference(facts, settings, as_of),
        check_project_team(facts),
    ]
    return [breach for breach in found if breach is not None]
