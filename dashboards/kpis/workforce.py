"""The workforce KPIs of DfE's children's social work workforce census, as of any date.

How it is computed (the same for the live path and the stored snapshots):

1. For all the dates asked for at once, six aggregate queries (sent as one statement)
   return *additive components* grouped by (date, team, DfE role): in-post and agency
   FTE and headcount, starters, leavers, case-holders and their cases, working days
   lost, ASYE FTE, the headcount with 2+ years' service, and the establishment (funded
   posts). Nothing loops over people in Python.
2. A scope's figures are the sums of the component rows it includes (``scope.Scope``).
3. Rates come from the pure functions in ``rates.py``.

Queries per call: one for the teams, one for census returns, and one statement for the
components (in post, starters, leavers, caseloads, absence, posts), whatever the number
of dates, scopes or workers; one date (the live path) runs the same SQL as ten years of
them. The rules
(domain.md section 3):

- *In post on D*: employment ``start_date <= D`` and (no ``end_date`` or ``end_date > D``),
  with the assignment in force on D giving team, DfE role, FTE and ASYE.
- *Starters / leavers*: employed only, start / end date in the 12 months to D, i.e. in
  (D - 1 year, D]; a starter's FTE and team are DfE's: those in force on D if still in
  post, else on their last day (a starter's ``FTE`` item in the census return is their
  FTE on 30 September, or at leaving); a leaver's are those in force on their last
  day. ReasonLeave 7 is a leaver like any other.
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
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from core.dates import LENGTH_OF_SERVICE_BANDS, length_of_service_band, years_before
from core.numbers import share
from workforce.choices import ContractType, LeaverDestination, ReasonLeave
from workforce.models import Assignment, CensusReturn

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
        derived_from=("inpost_headcount",),
        report_sections=("workforce",),
        label="Employed social workers in post (FTE)",
        unit="FTE",
        definition="Sum of the FTE of employed (permanent and fixed-term, non-agency) "
        "social workers in post on the date.",
    ),
    KpiDefinition(
        key="inpost_headcount",
        report_sections=("workforce",),
        label="Employed social workers in post (headcount)",
        unit="people",
        definition="Number of employed social workers in post on the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="agency_fte",
        derived_from=("agency_headcount",),
        report_sections=("workforce",),
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
        key="permanence_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        headline=1,
        charts=("workforce-rates",),
        report_sections=("workforce",),
        label="Permanence rate (workers basis)",
        unit="%",
        definition="Employed in-post FTE / (employed in-post FTE + agency FTE) x 100 on the "
        "date, i.e. 100 - agency rate. The 85% permanence target is on this basis.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="agency_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        headline=2,
        benchmark="agency_rate_fte",
        charts=("workforce-rates",),
        report_sections=("workforce",),
        label="Agency rate",
        unit="%",
        definition="Agency FTE / (agency FTE + employed in-post FTE) x 100 on the date "
        "(DfE agency rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="establishment_fte",
        safe=True,
        label="Establishment (funded FTE)",
        unit="FTE",
        definition="Sum of the FTE of funded posts valid on the date (team of the post; DfE "
        "role from the default role of the post's grade).",
    ),
    KpiDefinition(
        key="vacancy_fte",
        derived_from=("inpost_headcount",),
        report_sections=("workforce",),
        label="Vacancies (FTE)",
        unit="FTE",
        definition="Funded FTE not filled by employed social workers on the date. On a census "
        "date the whole service uses the vacancies declared in the return; otherwise each "
        "team's vacancies are max(0, funded FTE - employed in-post FTE), summed over teams. "
        "Not available where no funded posts are recorded.",
    ),
    KpiDefinition(
        key="vacancy_rate",
        derived_from=("inpost_headcount",),
        headline=3,
        benchmark="vacancy_rate_fte",
        charts=("workforce-rates",),
        report_sections=("workforce",),
        label="Vacancy rate",
        unit="%",
        definition="Vacancy FTE / (vacancy FTE + employed in-post FTE) x 100 (DfE vacancy rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="agency_cover_fte",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Agency workers covering vacancies (FTE)",
        unit="FTE",
        definition="Agency FTE covering vacancies on the date. On a census date the whole "
        "service uses the figure declared in the return; otherwise each team's cover is "
        "min(agency FTE, vacancy FTE), summed over teams.",
    ),
    KpiDefinition(
        key="agency_cover_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Agency workers covering vacancies",
        unit="%",
        definition="Agency FTE covering vacancies / agency FTE x 100.",
    ),
    KpiDefinition(
        key="vacancies_covered_by_agency_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Vacancies covered by agency workers",
        unit="%",
        definition="Agency FTE covering vacancies / vacancy FTE x 100.",
    ),
    KpiDefinition(
        key="posts_filled_permanent_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Posts filled by employed staff (establishment basis)",
        unit="%",
        definition="Employed in-post FTE / (employed in-post FTE + vacancy FTE) x 100: the "
        "share of posts filled by employed staff (the basis of Kent's 75.5%), not the "
        "workers-basis permanence rate.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="posts_covered_by_agency_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Posts covered by agency workers (establishment basis)",
        unit="%",
        definition="Agency FTE covering vacancies / (employed in-post FTE + vacancy FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="posts_vacant_uncovered_rate",
        derived_from=("inpost_headcount", "agency_headcount"),
        label="Posts vacant and not covered (establishment basis)",
        unit="%",
        definition="(Vacancy FTE - agency FTE covering vacancies) / (employed in-post FTE + "
        "vacancy FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="starters_fte",
        flow=True,
        derived_from=("starters_headcount",),
        charts=("starters-leavers",),
        report_sections=("workforce",),
        label="Starters (FTE)",
        unit="FTE",
        definition=f"FTE of employed social workers whose employment started in {_YEAR} "
        "(agency workers are not starters), at their FTE on the date, or on their last day "
        "if they have left since (DfE's census rule).",
    ),
    KpiDefinition(
        key="starters_headcount",
        flow=True,
        label="Starters (headcount)",
        unit="people",
        definition=f"Number of employed social workers whose employment started in {_YEAR}.",
        decimals=0,
    ),
    KpiDefinition(
        key="leavers_fte",
        flow=True,
        derived_from=("leavers_headcount",),
        charts=("starters-leavers",),
        report_sections=("workforce",),
        label="Leavers (FTE)",
        unit="FTE",
        definition=f"FTE of employed social workers whose employment ended in {_YEAR}, at "
        "their FTE on their last day. A move to a non-children's social work role in the "
        "council (DfE reason 7) is a leaver.",
    ),
    KpiDefinition(
        key="leavers_headcount",
        flow=True,
        label="Leavers (headcount)",
        unit="people",
        definition=f"Number of employed social workers whose employment ended in {_YEAR}.",
        decimals=0,
    ),
    KpiDefinition(
        key="turnover_rate",
        flow=True,
        derived_from=("inpost_headcount", "leavers_headcount"),
        headline=4,
        benchmark="turnover_rate_fte",
        charts=("turnover",),
        report_sections=("workforce",),
        label="Turnover rate",
        unit="%",
        definition=f"Leavers FTE in {_YEAR} / employed in-post FTE on the date x 100 (DfE "
        "divides by the stock at the end of the year, so it can exceed 100).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="case_holders_fte",
        derived_from=("case_holders_headcount",),
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
        derived_from=("case_holders_headcount",),
        label="Cases held",
        unit="cases",
        definition="Cases held by those case-holders in their latest caseload record of the "
        "7 days up to and including the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="caseload",
        derived_from=("case_holders_headcount",),
        headline=5,
        benchmark="caseload_fte",
        report_sections=("workforce",),
        label="Average caseload",
        unit="cases",
        definition="Cases held / FTE of the social workers holding them (DfE average "
        "caseload per case-holding FTE).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="working_days_lost",
        flow=True,
        derived_from=("inpost_headcount",),
        label="Working days lost to sickness",
        unit="days",
        definition=f"Working days lost to sickness by employed social workers in post on the "
        f"date, in absences ending in {_YEAR}.",
    ),
    KpiDefinition(
        key="absence_rate",
        flow=True,
        derived_from=("inpost_headcount",),
        headline=6,
        benchmark="absence_rate_fte",
        report_sections=("workforce",),
        label="Sickness absence rate",
        unit="%",
        definition=f"Working days lost / (employed in-post FTE x {rates.WORKING_DAYS_PER_YEAR} "
        "working days) x 100 (DfE absence rate).",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="asye_fte",
        derived_from=("asye_fte",),
        label="ASYE social workers (FTE)",
        unit="FTE",
        definition="FTE of employed social workers in post on the date in their Assessed "
        "and Supported Year in Employment.",
    ),
    KpiDefinition(
        key="asye_share",
        derived_from=("inpost_headcount", "agency_headcount", "asye_fte"),
        headline=8,
        label="ASYE share of all social workers",
        unit="%",
        definition="ASYE FTE / (employed in-post FTE + agency FTE) x 100 (Tameside's basis).",
    ),
    KpiDefinition(
        key="asye_share_of_employed",
        derived_from=("inpost_headcount", "asye_fte"),
        label="ASYE share of employed social workers",
        unit="%",
        definition="ASYE FTE / employed in-post FTE x 100.",
    ),
    KpiDefinition(
        key="asye_and_agency_share",
        derived_from=("inpost_headcount", "agency_headcount", "asye_fte"),
        label="ASYE and agency share of all social workers",
        unit="%",
        definition="(ASYE FTE + agency FTE) / (employed in-post FTE + agency FTE) x 100.",
        higher_is_better=False,
    ),
    KpiDefinition(
        key="employed_experienced_share",
        derived_from=("inpost_headcount", "agency_headcount", "asye_fte"),
        label="Employed non-ASYE share of all social workers",
        unit="%",
        definition="(Employed in-post FTE - ASYE FTE) / (employed in-post FTE + agency FTE) x 100.",
        higher_is_better=True,
    ),
    KpiDefinition(
        key="stable_headcount",
        label="Employed social workers with 2 or more years' service (headcount)",
        unit="people",
        definition="Number of employed social workers in post on the date whose current "
        "continuous employment began 2 or more years before the date.",
        decimals=0,
    ),
    KpiDefinition(
        key="unstable_headcount",
        label="Employed social workers with under 2 years' service (headcount)",
        unit="people",
        definition="Employed social workers in post on the date minus those with 2 or more "
        "years' service.",
        decimals=0,
    ),
    KpiDefinition(
        key="stability_rate",
        derived_from=("inpost_headcount", "stable_headcount", "unstable_headcount"),
        headline=7,
        report_sections=("workforce",),
        label="Stability rate",
        unit="%",
        definition="Share (headcount) of employed social workers in post on the date whose "
        "current continuous employment began 2 or more years before the date.",
        higher_is_better=True,
    ),
)


# --- The queries: additive components per (date, team, DfE role) --------------------
#
# Every component query joins a *dates relation* - one row per date asked for, with the
# dates derived from it (``_Dates``) - to the records active on or flowing in the 12
# months to each date, and groups by (date, team, DfE role). So any number of dates
# costs the same single statement; one date (the live path) runs exactly the same SQL.
# Raw SQL because the ORM cannot join a list of dates; the rules are those of the
# module docstring, written once in the fragments below. Parameters are named
# (``%(agency)s``) and every value is passed as a parameter.


@dataclass(frozen=True)
class _Dates:
    """The dates a query of ``as_of`` uses, derived in one place (in Python, so a 29
    February is handled by ``rates.years_before`` and never by SQL date arithmetic)."""

    as_of: dt.date
    year_before: dt.date
    two_years_before: dt.date
    caseload_after: dt.date

    @classmethod
    def of(cls, as_of: dt.date) -> _Dates:
        return cls(
            as_of=as_of,
            year_before=years_before(as_of, 1),
            two_years_before=years_before(as_of, 2),
            caseload_after=as_of - dt.timedelta(days=CASELOAD_WINDOW_DAYS),
        )


_DATE_COLUMNS = ("as_of", "year_before", "two_years_before", "caseload_after")


def _relation(columns: tuple[str, ...], rows: list[tuple[dt.date, ...]], *, name: str) -> tuple:
    """SQL selecting ``rows`` of dates as a relation with ``columns``, and its params.

    PostgreSQL unnests one date array per column; SQLite reads the same rows from one
    JSON array (``json_each``), so neither has a limit on the number of rows."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%({name}_{column})s::date[]" for column in columns)
        sql = f"SELECT * FROM unnest({arrays}) AS {name} ({', '.join(columns)})"
        params = {f"{name}_{column}": [row[i] for row in rows] for i, column in enumerate(columns)}
        return sql, params
    selected = ", ".join(
        f"json_extract(value, '$[{index}]') AS {column}" for index, column in enumerate(columns)
    )
    payload = json.dumps([[value.isoformat() for value in row] for row in rows])
    return f"SELECT {selected} FROM json_each(%({name}_json)s)", {f"{name}_json": payload}


def _query_prefix(dates: list[dt.date]) -> tuple[str, dict]:
    """The common table expressions every component query starts with, and their params:

    - ``d``: one row per date with the columns of ``_Dates``;
    - ``days``: (``as_of``, ``day``) for the 7 days of each date's caseload window, so
      caseload records join their dates by equality;
    - ``spans``: each employment's terms with the dates they are *in post*
      (``in_post_from`` inclusive to ``in_post_to`` exclusive, ``NULL``: open): in post
      on D when both the employment and the terms are (module docstring), i.e. from the
      later of their starts to the earlier of their ends. Only spans that can touch the
      dates asked for are kept;
    - ``records``: the caseload records of the dates' windows, each with the date of the
      worker's next record (``next_date``), so the latest of a window is the one whose
      next record, if any, is after the date;
    - ``funded``: posts funded over the same dates, their FTE added up."""
    derived = [_Dates.of(date) for date in dates]
    dates_sql, params = _relation(
        _DATE_COLUMNS, [tuple(getattr(row, c) for c in _DATE_COLUMNS) for row in derived], name="d"
    )
    days = [
        (row.as_of, row.as_of - dt.timedelta(days=back))
        for row in derived
        for back in range(CASELOAD_WINDOW_DAYS)
    ]
    days_sql, days_params = _relation(("as_of", "day"), days, name="days")
    params.update(days_params)
    params.update(
        agency=ContractType.AGENCY.value,
        true=True,
        first_as_of=min(dates),
        last_as_of=max(dates),
        first_caseload_after=min(row.caseload_after for row in derived),
    )
    prefix = f"""WITH d AS ({dates_sql}),
days AS ({days_sql}),
spans AS MATERIALIZED (
  SELECT a.employment_id, a.team_id, a.org_role, a.fte, a.is_asye, e.contract_type,
    e.start_date,
    CASE WHEN e.start_date > a.effective_from THEN e.start_date ELSE a.effective_from END
      AS in_post_from,
    CASE WHEN e.end_date IS NULL THEN a.effective_to
      WHEN a.effective_to IS NULL OR e.end_date < a.effective_to THEN e.end_date
      ELSE a.effective_to END AS in_post_to
  FROM workforce_assignment a JOIN workforce_employment e ON e.id = a.employment_id
  WHERE e.start_date <= %(last_as_of)s AND a.effective_from <= %(last_as_of)s
    AND (e.end_date IS NULL OR e.end_date > %(first_as_of)s)
    AND (a.effective_to IS NULL OR a.effective_to > %(first_as_of)s)
),
records AS (
  SELECT c.employment_id, c.date, c.cases,
    LEAD(c.date) OVER (PARTITION BY c.employment_id ORDER BY c.date) AS next_date
  FROM workforce_caseloadsnapshot c
  WHERE c.date > %(first_caseload_after)s AND c.date <= %(last_as_of)s
),
funded AS (
  SELECT p.team_id, g.default_org_role AS org_role, p.valid_from, p.valid_to, SUM(p.fte) AS fte
  FROM workforce_post p JOIN workforce_grade g ON g.id = p.grade_id
  WHERE p.valid_from <= %(last_as_of)s AND (p.valid_to IS NULL OR p.valid_to > %(first_as_of)s)
  GROUP BY p.team_id, g.default_org_role, p.valid_from, p.valid_to
)"""
    return prefix, params


#: Employment ``e`` and its terms ``a`` in force on the date ``d.as_of`` (in post).
_IN_POST = (
    "e.start_date <= d.as_of AND (e.end_date IS NULL OR e.end_date > d.as_of)"
    " AND a.effective_from <= d.as_of AND (a.effective_to IS NULL OR a.effective_to > d.as_of)"
)
#: A span ``s`` in post on the date ``{date}``.
_SPAN_IN_POST = "s.in_post_from <= {date} AND (s.in_post_to IS NULL OR s.in_post_to > {date})"
_EMPLOYED = "e.contract_type <> %(agency)s"

_IN_POST_SQL = f"""
SELECT d.as_of, s.team_id, s.org_role{{worker_of_s}},
  SUM(s.fte) FILTER (WHERE s.contract_type <> %(agency)s) AS inpost_fte,
  COUNT(*) FILTER (WHERE s.contract_type <> %(agency)s) AS inpost_headcount,
  SUM(s.fte) FILTER (WHERE s.contract_type = %(agency)s) AS agency_fte,
  COUNT(*) FILTER (WHERE s.contract_type = %(agency)s) AS agency_headcount,
  SUM(s.fte) FILTER (WHERE s.contract_type <> %(agency)s AND s.is_asye = %(true)s) AS asye_fte,
  COUNT(*) FILTER (WHERE s.contract_type <> %(agency)s AND s.start_date <= d.two_years_before)
    AS stable_headcount
FROM d JOIN spans s ON {_SPAN_IN_POST.format(date="d.as_of")}
GROUP BY d.as_of, s.team_id, s.org_role{{worker_of_s}}
"""
"""In post on the date: employed and agency FTE and headcount, ASYE FTE, and the
employed headcount whose employment began 2 or more years before."""

_STARTERS_SQL = f"""
SELECT d.as_of, a.team_id, a.org_role{{worker_of_a}},
  SUM(a.fte) AS starters_fte, COUNT(*) AS starters_headcount
FROM d
JOIN workforce_employment e
  ON e.start_date > d.year_before AND e.start_date <= d.as_of AND {_EMPLOYED}
JOIN workforce_assignment a ON a.employment_id = e.id AND (
  (e.end_date IS NULL OR e.end_date > d.as_of)
    AND a.effective_from <= d.as_of AND (a.effective_to IS NULL OR a.effective_to > d.as_of)
  OR e.end_date <= d.as_of
    AND a.effective_from < e.end_date AND (a.effective_to IS NULL OR a.effective_to >= e.end_date))
GROUP BY d.as_of, a.team_id, a.org_role{{worker_of_a}}
"""
"""Employed starters in the 12 months to the date, at DfE's FTE: their terms on the date
if still in post, else those of their last day (the census return's ``FTE`` item: FTE30
for a starter in post on 30 September, the FTE at leaving for one who has left)."""

_LEAVERS_SQL = f"""
SELECT d.as_of, a.team_id, a.org_role{{worker_of_a}},
  SUM(a.fte) AS leavers_fte, COUNT(*) AS leavers_headcount
FROM d
JOIN workforce_employment e
  ON e.end_date > d.year_before AND e.end_date <= d.as_of AND {_EMPLOYED}
JOIN workforce_assignment a
  ON a.employment_id = e.id AND a.effective_from < e.end_date
  AND (a.effective_to IS NULL OR a.effective_to >= e.end_date)
GROUP BY d.as_of, a.team_id, a.org_role{{worker_of_a}}
"""
"""Employed leavers in the 12 months to the date, at the terms of their last day."""

_CASELOAD_SQL = f"""
SELECT days.as_of, s.team_id, s.org_role{{worker_of_s}},
  SUM(s.fte) AS case_holders_fte, COUNT(*) AS case_holders_headcount, SUM(r.cases) AS cases
FROM days
JOIN records r ON r.date = days.day
JOIN spans s ON s.employment_id = r.employment_id AND {_SPAN_IN_POST.format(date="days.as_of")}
WHERE r.cases > 0 AND (r.next_date IS NULL OR r.next_date > days.as_of)
GROUP BY days.as_of, s.team_id, s.org_role{{worker_of_s}}
"""
"""Case-holders in post on the date (agency included), their FTE and cases: each
worker's latest caseload record of the 7 days up to and including the date (a record of
the window with no later record by the date), if it has one or more cases."""

_ABSENCE_SQL = f"""
SELECT d.as_of, a.team_id, a.org_role{{worker_of_a}}, SUM(s.working_days_lost) AS working_days_lost
FROM d
JOIN workforce_sicknessabsence s ON s.end_date > d.year_before AND s.end_date <= d.as_of
JOIN workforce_employment e ON e.id = s.employment_id AND {_EMPLOYED}
JOIN workforce_assignment a ON a.employment_id = e.id
WHERE {_IN_POST}
GROUP BY d.as_of, a.team_id, a.org_role{{worker_of_a}}
"""
"""Working days lost in absences ending in the 12 months to the date, by employed staff
in post on the date, by their team and role on the date."""

_ESTABLISHMENT_SQL = """
SELECT d.as_of, p.team_id, p.org_role{no_worker}, SUM(p.fte) AS establishment_fte
FROM d JOIN funded p ON p.valid_from <= d.as_of AND (p.valid_to IS NULL OR p.valid_to > d.as_of)
GROUP BY d.as_of, p.team_id, p.org_role
"""
"""Funded FTE valid on the date by team and the default DfE role of the post's grade
(posts funded over the same dates added up first)."""

#: The component queries and the measures each selects after (date, team, DfE role).
COMPONENT_SQL = (
    (
        _IN_POST_SQL,
        (
            "inpost_fte",
            "inpost_headcount",
            "agency_fte",
            "agency_headcount",
            "asye_fte",
            "stable_headcount",
        ),
    ),
    (_STARTERS_SQL, ("starters_fte", "starters_headcount")),
    (_LEAVERS_SQL, ("leavers_fte", "leavers_headcount")),
    (_CASELOAD_SQL, ("case_holders_fte", "case_holders_headcount", "cases")),
    (_ABSENCE_SQL, ("working_days_lost",)),
    (_ESTABLISHMENT_SQL, ("establishment_fte",)),
)
_WIDEST = max(len(measures) for _, measures in COMPONENT_SQL)


#: How the component queries group their rows: by (date, team, DfE role), or also by
#: worker (employment) for the census return's per-worker items. The per-worker rows
#: are a refinement of the others (summing them by team and role gives the same rows),
#: so a return built from them adds up to the KPIs by construction.
_GROUPINGS = {
    False: {"worker_of_s": "", "worker_of_a": "", "no_worker": ""},
    True: {
        "worker_of_s": ", s.employment_id",
        "worker_of_a": ", a.employment_id",
        "no_worker": ", CAST(NULL AS BIGINT)",  # typed, or PostgreSQL takes it as text
    },
}


def _components_statement(prefix: str, *, by_worker: bool = False) -> str:
    """The component queries as one statement (one round trip; ``spans`` and the other
    common tables computed once): each query's rows tagged with its position and padded
    with NULLs to the widest. With ``by_worker``, each row also names its employment
    (``NULL`` for the establishment, which is posts, not people)."""
    parts = []
    for part, (sql, measures) in enumerate(COMPONENT_SQL):
        padding = ", NULL" * (_WIDEST - len(measures))
        grouped = sql.format(**_GROUPINGS[by_worker])
        parts.append(f"SELECT {part} AS part, q.*{padding} FROM ({grouped}) AS q")
    return prefix + "\nUNION ALL\n".join(parts)


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):  # SQLite sums decimals as floats: back to 6 places
        return Decimal(repr(value)).quantize(_MICRO)
    return Decimal(value)


_MICRO = Decimal("0.000001")

Components = dict[tuple[int, int], dict[str, Decimal]]


def components_many(dates: list[dt.date]) -> dict[dt.date, Components]:
    """Every additive component on each of ``dates`` by (team id, DfE role): one
    statement, whatever the number of dates."""
    by_date: dict[dt.date, Components] = {date: {} for date in dates}
    if not dates:
        return by_date
    prefix, params = _query_prefix(dates)
    by_text = {date.isoformat(): date for date in dates}  # SQLite returns dates as text
    with connection.cursor() as cursor:
        cursor.execute(_components_statement(prefix), params)
        for part, date, team, role, *values in cursor.fetchall():
            components = by_date[by_text[date] if isinstance(date, str) else date]
            row = components.setdefault((team, role), {})
            measures = COMPONENT_SQL[part][1]
            for name, value in zip(measures, values[: len(measures)], strict=True):
                row[name] = row.get(name, ZERO) + _dec(value)
    return by_date


def components_on(as_of: dt.date) -> Components:
    """Every additive component on ``as_of`` by (team id, DfE role): the same
    statement as for many dates."""
    return components_many([as_of])[as_of]


WorkerComponents = dict[tuple[int, int, int | None], dict[str, Decimal]]


def worker_components_on(as_of: dt.date) -> WorkerComponents:
    """Every additive component on ``as_of`` by (team id, DfE role, employment id): the
    same statement as ``components_on``, grouped one level finer, so each worker's in-post
    FTE, cases held, starter and leaver FTE and working days lost are exactly what the
    KPIs add up (the establishment's rows have no employment: ``None``). For the census
    return (``dashboards.kpis.census``)."""
    prefix, params = _query_prefix([as_of])
    found: WorkerComponents = {}
    with connection.cursor() as cursor:
        cursor.execute(_components_statement(prefix, by_worker=True), params)
        for part, _date, team, role, employment, *values in cursor.fetchall():
            row = found.setdefault((team, role, employment), {})
            measures = COMPONENT_SQL[part][1]
            for name, value in zip(measures, values[: len(measures)], strict=True):
                row[name] = row.get(name, ZERO) + _dec(value)
    return found


# --- From components to a scope's KPIs (no database) ---------------------------------


def team_vacancies_and_cover(
    per_team: dict[int, dict[str, Decimal]],
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each team's (vacancy FTE, agency FTE covering vacancies) from its establishment,
    employed in-post and agency FTE: max(0, funded - employed), min(agency, vacancies)."""
    found = {}
    for team_id, team in per_team.items():
        vacancies = rates.team_vacancy_fte(
            establishment_fte=team["establishment_fte"], inpost_fte=team["inpost_fte"]
        )
        found[team_id] = (
            vacancies,
            rates.team_agency_cover_fte(agency_fte=team["agency_fte"], vacancy_fte=vacancies),
        )
    return found


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
        for team_vacancies, team_cover in team_vacancies_and_cover(per_team).values():
            vacancy_fte += team_vacancies
            agency_cover_fte += team_cover
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
        "posts_vacant_uncovered_rate": share(uncovered, rates.add(inpost, vacancy_fte)),
        "turnover_rate": rates.turnover_rate(leavers_fte=totals["leavers_fte"], inpost_fte=inpost),
        "caseload": rates.caseload(
            cases=totals["cases"], case_holders_fte=totals["case_holders_fte"]
        ),
        "absence_rate": rates.absence_rate(
            working_days_lost=totals["working_days_lost"], inpost_fte=inpost
        ),
        "asye_share": share(totals["asye_fte"], everyone),
        "asye_share_of_employed": share(totals["asye_fte"], inpost),
        "asye_and_agency_share": share(totals["asye_fte"] + agency, everyone),
        "employed_experienced_share": share(inpost - totals["asye_fte"], everyone),
        "unstable_headcount": totals["inpost_headcount"] - totals["stable_headcount"],
        "stability_rate": rates.stability_rate(
            stable_headcount=totals["stable_headcount"],
            inpost_headcount=totals["inpost_headcount"],
        ),
    }


#: The models the workforce family reads: a change to one marks its figures stale.
READS = (
    "workforce.Employment",
    "workforce.Assignment",
    "workforce.CaseloadSnapshot",
    "workforce.SicknessAbsence",
    "workforce.Post",
    "workforce.Team",
    "workforce.ServiceArea",
    "workforce.CensusReturn",
)


@register_family("workforce", *DEFINITIONS, reads=READS)
def workforce_kpis(*, dates: list[dt.date], scopes: list[Scope]) -> dict[tuple, dict]:
    """The workforce family for many dates and scopes: three queries, whatever the
    number of dates, scopes or workers."""
    teams = team_infos()
    declared = {c.reference_date: c for c in CensusReturn.objects.filter(reference_date__in=dates)}
    results: dict[tuple, dict] = {}
    # Whether a scope includes a (team, role) row, decided once per row rather than per date.
    inside: dict[Scope, dict[tuple[int, int], bool]] = {scope: {} for scope in scopes}
    for date, components in components_many(list(dates)).items():
        for scope in scopes:
            known = inside[scope]
            for key in components.keys() - known.keys():
                team = teams.get(key[0])
                known[key] = team is not None and scope.includes(team, key[1])
            values = scope_kpis(
                components={key: row for key, row in components.items() if known[key]},
                teams=teams,
                scope=scope,
                declared=declared.get(date),
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
    by_band: dict = {band[0]: [0, ZERO] for band in LENGTH_OF_SERVICE_BANDS}
    total, total_fte = 0, ZERO
    for row in rows:
        team = teams.get(row["team_id"])
        if team is None or not scope.includes(team, row["org_role"]):
            continue
        count, fte = row["headcount"], _dec(row["fte"])
        reason = row["employment__leaving_reason"]
        destination = row["employment__leaving_destination"]
        band = length_of_service_band(row["service_years"])
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
        return {**label, "count": count, "fte": fte, "share": share(count, total)}

    def reason_label(code) -> str:
        return ReasonLeave(code).label if code in ReasonLeave.values else "Not recorded"

    def destination_label(code) -> str:
        return LeaverDestination(code).label if code in LeaverDestination.values else "Not recorded"

    cumulative = 0
    bands = []
    for key, label, _low, _high in LENGTH_OF_SERVICE_BANDS:
        count, fte = by_band[key]
        cumulative += count
        bands.append(
            {
                **entry(count, fte, band=key, label=label),
                "cumulative_count": cumulative,
                "cumulative_share": share(cumulative, total),
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
