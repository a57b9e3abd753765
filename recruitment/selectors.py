"""Reads of recruitment data: what a user may see, the hiring funnel, time to hire,
channels and partners, vacancy age and agency cover, induction check-ins due.

The funnel is a *cohort* view: the applications received in a period (``applied_on``
from ``start`` to ``end`` inclusive) and how many of them reached each stage by
``as_of`` (all recorded stages if not given). Conversion is the share of one stage's
count that reached the next. Time to hire counts the hires of a period: advert to
offer for offers made in it, offer to start and advert to start for starts in it; the
advert date is the campaign's opening date, or the vacancy's when no campaign is
recorded. Durations are fetched with one query and summarised with ``statistics``
(median and 90th percentile), the same on SQLite and PostgreSQL.

The dashboards' KPI family (``dashboards.kpis.recruitment``) and the report pack read
these functions; nothing here calls ``now()``: dates are arguments.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from core.numbers import share
from core.roles import is_team_limited
from workforce.choices import OrgRole
from workforce.selectors import active_on, employment_active_q

from .choices import Stage
from .models import Application, Campaign, InductionCheckIn, PipelineCohort, Vacancy

#: The stages the funnel counts, in order (pre-employment checks sit between accepted
#: and started and are not a funnel step of their own).
FUNNEL_STAGES = (
    Stage.APPLIED,
    Stage.SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.OFFERED,
    Stage.ACCEPTED,
    Stage.STARTED,
)
_DATE_FIELD = {
    Stage.APPLIED: "applied_on",
    Stage.SHORTLISTED: "shortlisted_on",
    Stage.INTERVIEWED: "interviewed_on",
    Stage.OFFERED: "offered_on",
    Stage.ACCEPTED: "accepted_on",
    Stage.STARTED: "started_on",
}
GROUPINGS = {"grade": "Local grade", "org_role": "DfE role", "all": "All roles"}


# --- Who may see what ------------------------------------------------------------------


def vacancies_visible_to(user) -> QuerySet[Vacancy]:
    """Every vacancy, or for a service manager those of the teams they manage."""
    vacancies = Vacancy.objects.select_related("team", "grade", "post")
    if is_team_limited(user):
        return vacancies.filter(team__managers=user)
    return vacancies


def applications_visible_to(user) -> QuerySet[Application]:
    applications = Application.objects.select_related("vacancy__team", "vacancy__grade", "campaign")
    if is_team_limited(user):
        return applications.filter(vacancy__team__managers=user)
    return applications


def check_ins_visible_to(user) -> QuerySet[InductionCheckIn]:
    check_ins = InductionCheckIn.objects.select_related("employment__person")
    if is_team_limited(user):
        return check_ins.filter(employment__assignments__team__managers=user).distinct()
    return check_ins


# --- Pure arithmetic (tested without a database) -----------------------------------------


def conversions(counts: dict[str, int]) -> dict[tuple[str, str], Decimal | None]:
    """Conversion between each funnel stage and the next (percent)."""
    return {
        (a, b): share(counts.get(b, 0), counts.get(a, 0))
        for a, b in zip(FUNNEL_STAGES, FUNNEL_STAGES[1:], strict=False)
    }


def duration_summary(days: list[int]) -> dict:
    """Count, median and 90th percentile (inclusive method) of a list of durations."""
    if not days:
        return {"count": 0, "median": None, "p90": None}
    ordered = sorted(days)
    p90 = (
        ordered[0]
        if len(ordered) == 1
        else statistics.quantiles(ordered, n=10, method="inclusive")[8]
    )
    return {
        "count": len(ordered),
        "median": Decimal(str(statistics.median(ordered))),
        "p90": Decimal(str(p90)),
    }


def one_dp(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- The funnel --------------------------------------------------------------------------


@dataclass
class FunnelRow:
    """One role's funnel: counts at each stage and conversion between stages."""

    key: object
    label: str
    counts: dict[str, int]
    conversion: dict[tuple[str, str], Decimal | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.conversion = conversions(self.counts)

    @property
    def interview_to_offer(self) -> Decimal | None:
        return self.conversion[(Stage.INTERVIEWED, Stage.OFFERED)]

    @property
    def application_to_start(self) -> Decimal | None:
        return share(self.counts[Stage.STARTED], self.counts[Stage.APPLIED])


def _stage_counts(as_of: dt.date | None) -> dict:
    aggregates = {}
    for stage in FUNNEL_STAGES:
        date_field = _DATE_FIELD[stage]
        condition = Q(**{f"{date_field}__isnull": False})
        if as_of is not None:
            condition &= Q(**{f"{date_field}__lte": as_of})
        aggregates[stage.value] = Count("pk", filter=condition)
    return aggregates


def funnel(
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date | None = None,
    by: str = "grade",
    applications: QuerySet[Application] | None = None,
) -> list[FunnelRow]:
    """The hiring funnel of the applications received from ``start`` to ``end`` (inclusive),
    per local grade (``by="grade"``), DfE role (``"org_role"``) or all together (``"all"``),
    with a total row last when grouped. One aggregate query."""
    if by not in GROUPINGS:
        raise ValueError(f"Group the funnel by one of {', '.join(GROUPINGS)}.")
    base = applications if applications is not None else Application.objects.all()
    base = base.filter(applied_on__gte=start, applied_on__lte=end)
    aggregates = _stage_counts(as_of)
    if by == "all":
        counts = base.aggregate(**aggregates)
        return [FunnelRow(key=None, label="All roles", counts=counts)]
    if by == "grade":
        keys = ("vacancy__grade_id", "vacancy__grade__name", "vacancy__grade__sort_order")
        rows = base.values(*keys).annotate(**aggregates).order_by(keys[2], keys[1])
        result = [
            FunnelRow(
                key=row["vacancy__grade_id"],
                label=row["vacancy__grade__name"],
                counts={s.value: row[s.value] for s in FUNNEL_STAGES},
            )
            for row in rows
        ]
    else:
        rows = base.values("vacancy__org_role").annotate(**aggregates).order_by("vacancy__org_role")
        result = [
            FunnelRow(
                key=row["vacancy__org_role"],
                label=OrgRole(row["vacancy__org_role"]).label,
                counts={s.value: row[s.value] for s in FUNNEL_STAGES},
            )
            for row in rows
        ]
    if result:
        total = {s.value: sum(r.counts[s.value] for r in result) for s in FUNNEL_STAGES}
        result.append(FunnelRow(key="total", label="All roles", counts=total))
    return result


def funnel_components(*, start: dt.date, end: dt.date, as_of: dt.date | None = None) -> list[dict]:
    """Funnel counts grouped by (team, DfE role): additive rows the KPI family sums per
    scope. One aggregate query."""
    rows = (
        Application.objects.filter(applied_on__gte=start, applied_on__lte=end)
        .values("vacancy__team_id", "vacancy__org_role")
        .annotate(**_stage_counts(as_of))
        .order_by()
    )
    return [
        {"team_id": row["vacancy__team_id"], "org_role": row["vacancy__org_role"], **row}
        for row in rows
    ]


# --- Time to hire ------------------------------------------------------------------------


def hire_dates(*, start: dt.date, end: dt.date, applications=None) -> list[dict]:
    """Every application offered or started from ``start`` to ``end``: team, DfE role,
    channel, partner and its advert, offer and start dates. One query."""
    base = applications if applications is not None else Application.objects.all()
    in_period = Q(offered_on__gte=start, offered_on__lte=end) | Q(
        started_on__gte=start, started_on__lte=end
    )
    return list(
        base.filter(in_period)
        .annotate(advert_on=Coalesce("campaign__opened_on", "vacancy__opened_on"))
        .values(
            "vacancy__team_id",
            "vacancy__org_role",
            "vacancy__grade__name",
            "campaign__channel",
            "campaign__partner",
            "advert_on",
            "offered_on",
            "started_on",
        )
        .order_by()
    )


def time_to_hire_from_rows(rows: list[dict], *, start: dt.date, end: dt.date) -> dict:
    """Advert to offer, offer to start and advert to start (days): count, median, p90."""

    def within(date: dt.date | None) -> bool:
        return date is not None and start <= date <= end

    advert_to_offer = [
        (r["offered_on"] - r["advert_on"]).days for r in rows if within(r["offered_on"])
    ]
    started = [r for r in rows if within(r["started_on"])]
    offer_to_start = [(r["started_on"] - r["offered_on"]).days for r in started if r["offered_on"]]
    advert_to_start = [(r["started_on"] - r["advert_on"]).days for r in started]
    return {
        "advert_to_offer": duration_summary(advert_to_offer),
        "offer_to_start": duration_summary(offer_to_start),
        "advert_to_start": duration_summary(advert_to_start),
    }


def time_to_hire(*, start: dt.date, end: dt.date, applications=None) -> dict:
    """Time to hire over a period (see the module docstring)."""
    rows = hire_dates(start=start, end=end, applications=applications)
    return time_to_hire_from_rows(rows, start=start, end=end)


# --- Channels and partners ---------------------------------------------------------------


@dataclass
class ChannelRow:
    channel: str
    partner: str
    applications: int
    interviewed: int
    offered: int
    started: int
    cost: Decimal | None

    @property
    def label(self) -> str:
        from .choices import Channel

        if not self.channel:
            return "No advert recorded"
        name = Channel(self.channel).label
        return f"{name}: {self.partner}" if self.partner else name

    @property
    def cost_per_start(self) -> Decimal | None:
        if self.cost is None or not self.started:
            return None
        return self.cost / self.started


def channel_stats(
    *, start: dt.date, end: dt.date, as_of: dt.date | None = None, applications=None
) -> list[ChannelRow]:
    """By channel and partner: the applications received in the period and how many
    were interviewed, offered and started (by ``as_of``), and the cost of the campaigns
    that opened in the period (cost per start = cost / starts). Two queries."""
    base = applications if applications is not None else Application.objects.all()
    aggregates = _stage_counts(as_of)
    rows = (
        base.filter(applied_on__gte=start, applied_on__lte=end)
        .values("campaign__channel", "campaign__partner")
        .annotate(**aggregates)
        .order_by("campaign__channel", "campaign__partner")
    )
    costs = {
        (row["channel"], row["partner"]): row["cost"]
        for row in Campaign.objects.filter(opened_on__gte=start, opened_on__lte=end)
        .values("channel", "partner")
        .annotate(cost=Sum("cost"))
        .order_by()
    }
    result = []
    for row in rows:
        key = (row["campaign__channel"] or "", row["campaign__partner"] or "")
        result.append(
            ChannelRow(
                channel=key[0],
                partner=key[1],
                applications=row[Stage.APPLIED],
                interviewed=row[Stage.INTERVIEWED],
                offered=row[Stage.OFFERED],
                started=row[Stage.STARTED],
                cost=costs.get(key),
            )
        )
    return result


# --- Vacancies ---------------------------------------------------------------------------


def vacancies_open_on(*, as_of: dt.date) -> QuerySet[Vacancy]:
    """Vacancies open on ``as_of`` (on hold included): opened on or before it and not
    closed by it."""
    return Vacancy.objects.filter(active_on(as_of, start="opened_on", end="closed_on"))


def vacancy_components(*, as_of: dt.date) -> list[dict]:
    """Each vacancy open on ``as_of``: team, DfE role, FTE, age in days and whether an
    agency placement in post that day covers it. One query."""
    covered = Q(agency_cover__isnull=False) & employment_active_q(as_of, prefix="agency_cover__")
    rows = (
        vacancies_open_on(as_of=as_of)
        .annotate(covered=Count("pk", filter=covered))
        .values("team_id", "org_role", "fte", "opened_on", "covered")
        .order_by()
    )
    return [
        {
            "team_id": row["team_id"],
            "org_role": row["org_role"],
            "fte": row["fte"],
            "age_days": (as_of - row["opened_on"]).days,
            "covered": bool(row["covered"]),
        }
        for row in rows
    ]


def vacancy_summary(*, as_of: dt.date, vacancies: QuerySet[Vacancy] | None = None) -> dict:
    """Open vacancies on ``as_of``: count, FTE, median and oldest age, covered by agency."""
    rows = vacancy_components(as_of=as_of)
    if vacancies is not None:
        visible = set(vacancies.values_list("team_id", flat=True))
        rows = [r for r in rows if r["team_id"] in visible]
    ages = [r["age_days"] for r in rows]
    return {
        "open": len(rows),
        "fte": sum((r["fte"] for r in rows), Decimal(0)),
        "median_age_days": Decimal(str(statistics.median(ages))) if ages else None,
        "oldest_age_days": max(ages) if ages else None,
        "covered_by_agency": sum(1 for r in rows if r["covered"]),
    }


# --- Induction and pipelines -------------------------------------------------------------

#: How far ahead a check-in shows as "due soon".
DUE_SOON_DAYS = 7


def check_ins_due(*, as_of: dt.date, check_ins: QuerySet[InductionCheckIn] | None = None):
    """Not yet done, due by ``as_of + 7 days`` and not yet overdue."""
    qs = check_ins if check_ins is not None else InductionCheckIn.objects.all()
    return qs.filter(
        completed_on__isnull=True,
        due_from__lte=as_of + dt.timedelta(days=DUE_SOON_DAYS),
        due_by__gte=as_of,
    ).order_by("due_by")


def check_ins_overdue(*, as_of: dt.date, check_ins: QuerySet[InductionCheckIn] | None = None):
    """Not done and past their last day."""
    qs = check_ins if check_ins is not None else InductionCheckIn.objects.all()
    return qs.filter(completed_on__isnull=True, due_by__lt=as_of).order_by("due_by")


def pipeline_by_year(*, from_date: dt.date) -> dict[int, dict[str, int]]:
    """Places expected to start from ``from_date``, by year and route (for the forecast)."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PipelineCohort.objects.filter(expected_start__gte=from_date)
        .values("expected_start__year", "route")
        .annotate(places=Sum("places"))
        .order_by("expected_start__year", "route")
    )
    for row in rows:
        result[row["expected_start__year"]][row["route"]] = row["places"]
    return dict(result)
