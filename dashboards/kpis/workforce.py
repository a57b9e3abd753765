"""The workforce KPIs of DfE's children's social work workforce census, as of any date.

How it is computed (the same for the live path and the stored snapshots):

1. For each date, a few aggregate queries return *additive components* grouped by
   (team, DfE role): in-post and agency FTE and headcount, starters, leavers, case-holders
   and their cases, working days lost, ASYE FTE, the headcount with 2+ years' service,
   and the establishment (funded posts). Nothing loops over people in Python.
2. A scope's figures are the sums of the component rows it includes (``scope.Scope``).
3. Rates come from the pure functions in ``rates.py``.

Queries per call: one for the teams, one for census returns, and four per date (people,
caseloads, absence, posts), whatever the number of scopes or workers. The rules
(domain.md section 3):

- *In post on D*: employment ``start_date <= D`` and (no ``end_date`` or ``end_date > D``),
  with the assignment in force on D giving team, DfE role, FTE and ASYE.
- *Starters / leavers*: employed only, start / end date in the 12 months to D, i.e. in
  (D - 1 year, D]; the starter's FTE and team are those of their first terms, the
  leaver's those in force on their last day. ReasonLeave 7 is a leaver like any other.
- *Caseload*: each in-post worker's latest ``CaseloadSnapshot`` in the 7 days up to and
  including D; case-holders are those with one or more cases, agency included.
- *Absence*: ``SicknessAbsence`` ending in the 12 months to D of employed staff in post
  on D, over in-post FTE x 253.
- *Vacancies*: on a date with a census return, the whole service uses the vacancies and
  agency cover the council declared; otherwise, and for every narrower scope, each
  team's vacancies are max(0, funded FTE - employed in-post FTE) and its agency cover
  min(agency FTE, vacancies). With no funded posts recorded in a scope, vacancies are
  not available (``None``), not zero.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from workforce.choices import ContractType, LeaverDestination, ReasonLeave
from workforce.models import Assignment, CaseloadSnapshot, CensusReturn, Post, SicknessAbsence
from workforce.selectors import active_on, assignment_active_q, employment_active_q

from . import rates
from .registry import KpiDefinition, register_family
from .scope import Scope, TeamInfo, team_infos

#: How far back a worker's latest caseload snapshot may be to count on a date.
CASELOAD_WINDOW_DAYS = 7

#: Additive components, summed over the (team, role) rows a scope includes.
COMPONENTS = (
    "inpost_fte",
    "inpost_headcount",
    "agency_fte",
    "agency_headcount",
    "starters_fte",
    "starters_headcount",
    "leavers_fte",
    "leavers_headcount",
    "case_holders_fte",
    "case_holders_headcount",
    "cases",
    "working_days_lost",
    "asye_fte",
    "stable_headcount",
    "establishment_fte",
)

_FTE = DecimalField(max_digits=14, decimal_places=6)
ZERO = Decimal(0)

_YEAR = "the 12 months to the date (after the same day a year earlier, up to and including it)"

DEFINITIONS = (
    KpiDefinition(
        key="inpost_fte",
        label="Employed social workers in post (FTE)",
        unit="FTE",
        definition="Sum of the FTE of employed (permanent and fixed-term, non-agency) "
        "social workers in post on the date.",
    ),
    KpiDefinition(
        key="inpost_headcount",
        label="Employed social workers in post (headcount)",
        unit="people",
        definition="Number of employed social workers in post on the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="agency_fte",
        label="Agency social workers (FTE)",
        unit="FTE",
        definition="Sum of the FTE of agency social workers in post on the date.",
    ),
    KpiDefinition(
        key="agency_headcount",
        label="Agency social workers (headcount)",
        unit="people",
        definition="Number of agency social workers in post on the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="agency_rate",
        label="Agency rate",
        unit="%",
        definition="Agency FTE / (agency FTE + employed in-post FTE) x 100 on the date "
        "(DfE agency rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="permanence_rate",
        label="Permanence rate (workers basis)",
        unit="%",
        definition="Employed in-post FTE / (employed in-post FTE + agency FTE) x 100 on the "
        "date, i.e. 100 - agency rate. The 85% permanence target is on this basis.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="establishment_fte",
        label="Establishment (funded FTE)",
        unit="FTE",
        definition="Sum of the FTE of funded posts valid on the date (team of the post; DfE "
        "role from the default role of the post's grade).",
    ),
    KpiDefinition(
        key="vacancy_fte",
        label="Vacancies (FTE)",
        unit="FTE",
        definition="Funded FTE not filled by employed social workers on the date. On a census "
        "date the whole service uses the vacancies declared in the return; otherwise each "
        "team's vacancies are max(0, funded FTE - employed in-post FTE), summed over teams. "
        "Not available where no funded posts are recorded.",
    ),
    KpiDefinition(
        key="vacancy_rate",
        label="Vacancy rate",
        unit="%",
        definition="Vacancy FTE / (vacancy FTE + employed in-post FTE) x 100 (DfE vacancy rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="agency_cover_fte",
        label="Agency workers covering vacancies (FTE)",
        unit="FTE",
        definition="Agency FTE covering vacancies on the date. On a census date the whole "
        "service uses the figure declared in the return; otherwise each team's cover is "
        "min(agency FTE, vacancy FTE), summed over teams.",
    ),
    KpiDefinition(
        key="agency_cover_rate",
        label="Agency workers covering vacancies",
        unit="%",
        definition="Agency FTE covering vacancies / agency FTE x 100.",
    ),
    KpiDefinition(
        key="vacancies_covered_by_agency_rate",
        label="Vacancies covered by agency workers",
        unit="%",
        definition="Agency FTE covering vacancies / vacancy FTE x 100.",
    ),
    KpiDefinition(
        key="posts_filled_permanent_rate",
        label="Posts filled by employed staff (establishment basis)",
        unit="%",
        definition="Employed in-post FTE / (employed in-post FTE + vacancy FTE) x 100: the "
        "share of posts filled by employed staff (the basis of Kent's 75.5%), not the "
        "workers-basis permanence rate.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="posts_covered_by_agency_rate",
        label="Posts covered by agency workers (establishment basis)",
        unit="%",
        definition="Agency FTE covering vacancies / (employed in-post FTE + vacancy FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="posts_vacant_uncovered_rate",
        label="Posts vacant and not covered (establishment basis)",
        unit="%",
        definition="(Vacancy FTE - agency FTE covering vacancies) / (employed in-post FTE + "
        "vacancy FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="starters_fte",
        label="Starters (FTE)",
        unit="FTE",
        definition=f"FTE of employed social workers whose employment started in {_YEAR} "
        "(agency workers are not starters), at their starting FTE.",
    ),
    KpiDefinition(
        key="starters_headcount",
        label="Starters (headcount)",
        unit="people",
        definition=f"Number of employed social workers whose employment started in {_YEAR}.",
        decimals=0,
    ),
    KpiDefinition(
        key="leavers_fte",
        label="Leavers (FTE)",
        unit="FTE",
        definition=f"FTE of employed social workers whose employment ended in {_YEAR}, at "
        "their FTE on their last day. A move to a non-children's social work role in the "
        "council (DfE reason 7) is a leaver.",
    ),
    KpiDefinition(
        key="leavers_headcount",
        label="Leavers (headcount)",
        unit="people",
        definition=f"Number of employed social workers whose employment ended in {_YEAR}.",
        decimals=0,
    ),
    KpiDefinition(
        key="turnover_rate",
        label="Turnover rate",
        unit="%",
        definition=f"Leavers FTE in {_YEAR} / employed in-post FTE on the date x 100 (DfE "
        "divides by the stock at the end of the year, so it can exceed 100).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="case_holders_fte",
        label="Case-holding social workers (FTE)",
        unit="FTE",
        definition="FTE of social workers in post on the date, agency included, holding one "
        "or more cases in their latest caseload record of the 7 days up to and including "
        "the date.",
    ),
    KpiDefinition(
        key="case_holders_headcount",
        label="Case-holding social workers (headcount)",
        unit="people",
        definition="Number of case-holding social workers in post on the date (agency included).",
        decimals=0,
    ),
    KpiDefinition(
        key="cases",
        label="Cases held",
        unit="cases",
        definition="Cases held by those case-holders in their latest caseload record of the "
        "7 days up to and including the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="caseload",
        label="Average caseload",
        unit="cases",
        definition="Cases held / FTE of the social workers holding them (DfE average "
        "caseload per case-holding FTE).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="working_days_lost",
        label="Working days lost to sickness",
        unit="days",
        definition=f"Working days lost to sickness by employed social workers in post on the "
        f"date, in absences ending in {_YEAR}.",
    ),
    KpiDefinition(
        key="absence_rate",
        label="Sickness absence rate",
        unit="%",
        definition=f"Working days lost / (employed in-post FTE x {rates.WORKING_DAYS_PER_YEAR} "
        "working days) x 100 (DfE absence rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="asye_fte",
        label="ASYE social workers (FTE)",
        unit="FTE",
        definition="FTE of employed social workers in post on the date in their Assessed "
        "and Supported Year in Employment.",
    ),
    KpiDefinition(
        key="asye_share",
        label="ASYE share of all social workers",
        unit="%",
        definition="ASYE FTE / (employed in-post FTE + agency FTE) x 100 (Tameside's basis).",
    ),
    KpiDefinition(
        key="asye_share_of_employed",
        label="ASYE share of employed social workers",
        unit="%",
        definition="ASYE FTE / employed in-post FTE x 100.",
    ),
    KpiDefinition(
        key="asye_and_agency_share",
        label="ASYE and agency share of all social workers",
        unit="%",
        definition="(ASYE FTE + agency FTE) / (employed in-post FTE + agency FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="employed_experienced_share",
        label="Employed non-ASYE share of all social workers",
        unit="%",
        definition="(Employed in-post FTE - ASYE FTE) / (employed in-post FTE + agency FTE) x 100.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="stability_rate",
        label="Stability rate",
        unit="%",
        definition="Share (headcount) of employed social workers in post on the date whose "
        "current continuous employment began 2 or more years before the date.",
        higher_is_better=True,
    ),
)


# --- The queries: additive components per (team, DfE role) --------------------------


@dataclass(frozen=True)
class _Dates:
    """The dates a query of ``as_of`` uses, derived in one place."""

    as_of: dt.date
    year_before: dt.date
    two_years_before: dt.date
    caseload_after: dt.date

    @classmethod
    def of(cls, as_of: dt.date) -> _Dates:
        return cls(
            as_of=as_of,
            year_before=rates.years_before(as_of, 1),
            two_years_before=rates.years_before(as_of, 2),
            caseload_after=as_of - dt.timedelta(days=CASELOAD_WINDOW_DAYS),
        )


def _people_query(dates: _Dates) -> QuerySet:
    """In post, starters, leavers, ASYE and stability by (team, role)."""
    as_of, year_before, two_years_before = dates.as_of, dates.year_before, dates.two_years_before
    employed = ~Q(employment__contract_type=ContractType.AGENCY)
    agency = Q(employment__contract_type=ContractType.AGENCY)
    in_post = assignment_active_q(as_of) & employment_active_q(as_of, prefix="employment__")
    started = Q(
        effective_from=F("employment__start_date"),
        employment__start_date__gt=year_before,
        employment__start_date__lte=as_of,
    )
    left = Q(
        employment__end_date__gt=year_before,
        employment__end_date__lte=as_of,
        effective_from__lt=F("employment__end_date"),
    ) & (Q(effective_to__isnull=True) | Q(effective_to__gte=F("employment__end_date")))
    return (
        Assignment.objects.filter(in_post | ((started | left) & employed))
        .values("team_id", "org_role")
        .annotate(
            inpost_fte=Sum("fte", filter=in_post & employed),
            inpost_headcount=Count("id", filter=in_post & employed),
            agency_fte=Sum("fte", filter=in_post & agency),
            agency_headcount=Count("id", filter=in_post & agency),
            starters_fte=Sum("fte", filter=started & employed),
            starters_headcount=Count("id", filter=started & employed),
            leavers_fte=Sum("fte", filter=left & employed),
            leavers_headcount=Count("id", filter=left & employed),
            asye_fte=Sum("fte", filter=in_post & employed & Q(is_asye=True)),
            stable_headcount=Count(
                "id",
                filter=in_post & employed & Q(employment__start_date__lte=two_years_before),
            ),
        )
        .order_by()
    )


def _caseload_query(dates: _Dates) -> QuerySet:
    """Case-holders, their FTE and cases by (team, role) on the date: the caseload records
    of the 7 days to the date (each worker's latest), joined to the terms in force then."""
    as_of, window_start = dates.as_of, dates.caseload_after
    later_record = CaseloadSnapshot.objects.filter(
        employment=OuterRef("employment_id"), date__gt=OuterRef("date"), date__lte=as_of
    )
    terms = "employment__assignments__"
    return (
        CaseloadSnapshot.objects.filter(date__gt=window_start, date__lte=as_of, cases__gt=0)
        .filter(~Exists(later_record))
        .filter(employment_active_q(as_of, prefix="employment__"))
        .filter(assignment_active_q(as_of, prefix=terms))
        .values(terms_team=F(f"{terms}team_id"), terms_role=F(f"{terms}org_role"))
        .annotate(
            case_holders_fte=Sum(f"{terms}fte"),
            case_holders_headcount=Count("id"),
            cases=Sum("cases"),
        )
        .order_by()
    )


def _absence_query(dates: _Dates) -> QuerySet:
    """Working days lost in absences ending in the 12 months to the date, by employed
    staff in post on the date, by their (team, role) on the date."""
    as_of = dates.as_of
    terms = "employment__assignments__"
    return (
        SicknessAbsence.objects.filter(end_date__gt=dates.year_before, end_date__lte=as_of)
        .filter(~Q(employment__contract_type=ContractType.AGENCY))
        .filter(employment_active_q(as_of, prefix="employment__"))
        .filter(assignment_active_q(as_of, prefix=terms))
        .values(terms_team=F(f"{terms}team_id"), terms_role=F(f"{terms}org_role"))
        .annotate(working_days_lost=Sum("working_days_lost"))
        .order_by()
    )


def _establishment_query(dates: _Dates) -> QuerySet:
    """Funded FTE valid on the date by (team, default DfE role of the grade)."""
    return (
        Post.objects.filter(active_on(dates.as_of, start="valid_from", end="valid_to"))
        .values("team_id", "grade__default_org_role")
        .annotate(establishment_fte=Sum("fte"))
        .order_by()
    )


#: The component queries: each selects (team, DfE role) first, then additive measures.
COMPONENT_QUERIES = (_people_query, _caseload_query, _absence_query, _establishment_query)

#: A date no record has, from which the queries are compiled once (see ``ComponentQueries``).
_TEMPLATE_DATES = _Dates.of(dt.date(1900, 6, 15))


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):  # SQLite sums decimals as floats: back to 6 places
        return Decimal(repr(value)).quantize(_MICRO)
    return Decimal(value)


_MICRO = Decimal("0.000001")


class ComponentQueries:
    """The component queries compiled once by the ORM and run for any number of dates.

    Compiling a grouped ORM query costs more than running it, so each query is built
    once for a template date and its SQL reused, with the template's dates swapped for
    each real date's in the parameters. The SQL is exactly what the ORM builds for that
    date: the live path (one date) and the batch path (many) run the same queries."""

    def __init__(self) -> None:
        self.compiled = [
            build(_TEMPLATE_DATES).query.sql_with_params() for build in COMPONENT_QUERIES
        ]

    @staticmethod
    def _params(params: tuple, dates: _Dates) -> tuple:
        swap = {}
        for name in ("as_of", "year_before", "two_years_before", "caseload_after"):
            template, real = getattr(_TEMPLATE_DATES, name), getattr(dates, name)
            swap[template] = real
            swap[template.isoformat()] = real.isoformat()
        return tuple(
            swap.get(param, param) if isinstance(param, dt.date | str) else param
            for param in params
        )

    def components_on(self, as_of: dt.date) -> dict[tuple[int, int], dict[str, Decimal]]:
        """Every additive component on ``as_of`` by (team id, DfE role): four queries."""
        dates = _Dates.of(as_of)
        components: dict[tuple[int, int], dict[str, Decimal]] = {}
        with connection.cursor() as cursor:
            for sql, params in self.compiled:
                cursor.execute(sql, self._params(params, dates))
                names = [column[0] for column in cursor.description][2:]
                for team, role, *values in cursor.fetchall():
                    row = components.setdefault((team, role), {})
                    for name, value in zip(names, values, strict=True):
                        row[name] = row.get(name, ZERO) + _dec(value)
        return components


def components_on(as_of: dt.date) -> dict[tuple[int, int], dict[str, Decimal]]:
    """Every additive component on ``as_of`` by (team id, DfE role): four queries."""
    return ComponentQueries().components_on(as_of)


# --- From components to a scope's KPIs (no database) ---------------------------------


def scope_kpis(
    *,
    components: dict[tuple[int, int], dict[str, Decimal]],
    teams: dict[int, TeamInfo],
    scope: Scope,
    declared: CensusReturn | None = None,
) -> dict[str, Decimal | None]:
    """The workforce KPIs of ``scope`` from the components of one date."""
    totals = dict.fromkeys(COMPONENTS, ZERO)
    per_team: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"establishment_fte": ZERO, "inpost_fte": ZERO, "agency_fte": ZERO}
    )
    for (team_id, org_role), values in components.items():
        team = teams.get(team_id)
        if team is None or not scope.includes(team, org_role):
            continue
        for name, value in values.items():
            totals[name] += value
            if name in ("establishment_fte", "inpost_fte", "agency_fte"):
                per_team[team_id][name] += value

    vacancy_fte: Decimal | None = None
    agency_cover_fte: Decimal | None = None
    if totals["establishment_fte"] > 0:
        vacancy_fte = agency_cover_fte = ZERO
        for team in per_team.values():
            team_vacancies = rates.team_vacancy_fte(
                establishment_fte=team["establishment_fte"], inpost_fte=team["inpost_fte"]
            )
            vacancy_fte += team_vacancies
            agency_cover_fte += rates.team_agency_cover_fte(
                agency_fte=team["agency_fte"], vacancy_fte=team_vacancies
            )
    if declared is not None and scope.kind == "all":
        if declared.vacancies_fte is not None:
            vacancy_fte = Decimal(declared.vacancies_fte)
        if declared.agency_cover_fte is not None:
            agency_cover_fte = Decimal(declared.agency_cover_fte)

    inpost, agency = totals["inpost_fte"], totals["agency_fte"]
    everyone = inpost + agency
    uncovered = (
        vacancy_fte - agency_cover_fte
        if vacancy_fte is not None and agency_cover_fte is not None
        else None
    )
    return {
        **totals,
        "establishment_fte": totals["establishment_fte"] if totals["establishment_fte"] else None,
        "agency_rate": rates.agency_rate(agency_fte=agency, inpost_fte=inpost),
        "permanence_rate": rates.permanence_rate(inpost_fte=inpost, agency_fte=agency),
        "vacancy_fte": vacancy_fte,
        "vacancy_rate": rates.vacancy_rate(vacancy_fte=vacancy_fte, inpost_fte=inpost),
        "agency_cover_fte": agency_cover_fte,
        "agency_cover_rate": rates.agency_cover_rate(
            agency_cover_fte=agency_cover_fte, agency_fte=agency
        ),
        "vacancies_covered_by_agency_rate": rates.vacancies_covered_by_agency_rate(
            agency_cover_fte=agency_cover_fte, vacancy_fte=vacancy_fte
        ),
        "posts_filled_permanent_rate": rates.posts_filled_permanent_rate(
            inpost_fte=inpost, vacancy_fte=vacancy_fte
        ),
        "posts_covered_by_agency_rate": rates.posts_covered_by_agency_rate(
            agency_cover_fte=agency_cover_fte, inpost_fte=inpost, vacancy_fte=vacancy_fte
        ),
        "posts_vacant_uncovered_rate": rates.share(uncovered, rates.add(inpost, vacancy_fte)),
        "turnover_rate": rates.turnover_rate(leavers_fte=totals["leavers_fte"], inpost_fte=inpost),
        "caseload": rates.caseload(
            cases=totals["cases"], case_holders_fte=totals["case_holders_fte"]
        ),
        "absence_rate": rates.absence_rate(
            working_days_lost=totals["working_days_lost"], inpost_fte=inpost
        ),
        "asye_share": rates.share(totals["asye_fte"], everyone),
        "asye_share_of_employed": rates.share(totals["asye_fte"], inpost),
        "asye_and_agency_share": rates.share(totals["asye_fte"] + agency, everyone),
        "employed_experienced_share": rates.share(inpost - totals["asye_fte"], everyone),
        "stability_rate": rates.stability_rate(
            stable_headcount=totals["stable_headcount"],
            inpost_headcount=totals["inpost_headcount"],
        ),
    }


@register_family("workforce", *DEFINITIONS)
def workforce_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict[tuple, dict]:
    """The workforce family for many dates and scopes: 2 queries + 4 per date."""
    teams = team_infos()
    declared = {c.reference_date: c for c in CensusReturn.objects.filter(reference_date__in=dates)}
    results: dict[tuple, dict] = {}
    queries = ComponentQueries()
    for date in dates:
        components = queries.components_on(date)
        for scope in scopes:
            values = scope_kpis(
                components=components, teams=teams, scope=scope, declared=declared.get(date)
            )
            values.pop("stable_headcount", None)
            results[(date, scope)] = values
    return results


# --- Leavers over a period, by reason, destination and length of service -------------


def leavers_breakdown(*, start: dt.date, end: dt.date, scope: Scope) -> dict:
    """Employed leavers whose leaving date is from ``start`` to ``end`` inclusive, counted
    (headcount, with FTE) by DfE reason, DfE destination, both together, and length of
    service band (completed years of the employment), with shares of all leavers in
    percent. Two queries (teams, then one grouped query)."""
    teams = team_infos()
    employment_start = "employment__start_date"
    employment_end = "employment__end_date"
    years = (
        ExtractYear(employment_end)
        - ExtractYear(employment_start)
        - Case(
            When(
                Q(**{f"{employment_end}__month__lt": F(f"{employment_start}__month")})
                | Q(
                    **{f"{employment_end}__month": F(f"{employment_start}__month")},
                    **{f"{employment_end}__day__lt": F(f"{employment_start}__day")},
                ),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    rows = (
        Assignment.objects.filter(
            ~Q(employment__contract_type=ContractType.AGENCY),
            Q(**{f"{employment_end}__gte": start, f"{employment_end}__lte": end}),
            effective_from__lt=F(employment_end),
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=F(employment_end)))
        .annotate(service_years=years)
        .values(
            "team_id",
            "org_role",
            "employment__leaving_reason",
            "employment__leaving_destination",
            "service_years",
        )
        .annotate(headcount=Count("id"), fte=Coalesce(Sum("fte"), Value(ZERO), output_field=_FTE))
        .order_by()
    )
    by_reason: dict = defaultdict(lambda: [0, ZERO])
    by_destination: dict = defaultdict(lambda: [0, ZERO])
    by_pair: dict = defaultdict(lambda: [0, ZERO])
    by_band: dict = {band[0]: [0, ZERO] for band in rates.LENGTH_OF_SERVICE_BANDS}
    total, total_fte = 0, ZERO
    for row in rows:
        team = teams.get(row["team_id"])
        if team is None or not scope.includes(team, row["org_role"]):
            continue
        count, fte = row["headcount"], _dec(row["fte"])
        reason = row["employment__leaving_reason"]
        destination = row["employment__leaving_destination"]
        band = rates.length_of_service_band(row["service_years"])
        for bucket, key in (
            (by_reason, reason),
            (by_destination, destination),
            (by_pair, (reason, destination)),
            (by_band, band),
        ):
            bucket[key][0] += count
            bucket[key][1] += fte
        total += count
        total_fte += fte

    def entry(count: int, fte: Decimal, **label) -> dict:
        return {**label, "count": count, "fte": fte, "share": rates.share(count, total)}

    def reason_label(code) -> str:
        return ReasonLeave(code).label if code in ReasonLeave.values else "Not recorded"

    def destination_label(code) -> str:
        return LeaverDestination(code).label if code in LeaverDestination.values else "Not recorded"

    cumulative = 0
    bands = []
    for key, label, _low, _high in rates.LENGTH_OF_SERVICE_BANDS:
        count, fte = by_band[key]
        cumulative += count
        bands.append(
            {
                **entry(count, fte, band=key, label=label),
                "cumulative_count": cumulative,
                "cumulative_share": rates.share(cumulative, total),
            }
        )
    return {
        "start": start,
        "end": end,
        "scope": str(scope),
        "leavers": total,
        "leavers_fte": total_fte,
        "by_reason": [
            entry(*by_reason[code], code=code, label=reason_label(code))
            for code in sorted(by_reason, key=lambda c: (c is None, c))
        ],
        "by_destination": [
            entry(*by_destination[code], code=code, label=destination_label(code))
            for code in sorted(by_destination, key=lambda c: (c is None, c))
        ],
        "by_reason_and_destination": [
            entry(
                *by_pair[pair],
                reason=pair[0],
                destination=pair[1],
                label=f"{reason_label(pair[0])} - {destination_label(pair[1])}",
            )
            for pair in sorted(by_pair, key=lambda p: (p[0] is None, p[0] or 0, p[1] or 0))
        ],
        "by_length_of_service": bands,
    }
