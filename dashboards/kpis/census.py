"""The census return's figures from the KPI engine (``workforce.census.figures``).

The export of the DfE return asks here for everything the KPIs count, so the return
and ``kpis --as-of <30 September>`` say the same thing:

- each worker's FTE30 (in post on the date), Cases30 (cases held on the date), starter
  and leaver FTE and working days lost come from ``worker_components_on``: the very
  statement the KPIs run, grouped one level finer (by worker as well as team and role);
- the council-level vacancies and agency cover come from ``scope_kpis`` over those rows
  added up by team and role (the whole-service KPIs themselves, with the figures a
  census return already declared for the date, as the KPIs use them);
- the agency headcount covering vacancies (a return item that is no KPI): in each team,
  the fewest of its agency workers, largest FTE first, whose FTE reaches the team's
  agency cover (all of them when the team's agency FTE is all cover).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from workforce.census.figures import CensusFigures, WorkerFigures
from workforce.models import CensusReturn

from .scope import Scope, team_infos
from .workforce import ZERO, scope_kpis, team_vacancies_and_cover, worker_components_on


def census_figures(*, reference_date: dt.date) -> CensusFigures:
    """The engine's figures for the census return on ``reference_date``: one statement
    for the components, two small queries (teams, a declared return)."""
    rows = worker_components_on(reference_date)
    components: dict[tuple[int, int], dict[str, Decimal]] = {}
    by_worker: dict[int, dict[str, Decimal]] = defaultdict(dict)
    agency_by_team: dict[int, list[Decimal]] = defaultdict(list)
    for (team, role, employment), values in rows.items():
        summed = components.setdefault((team, role), {})
        for name, value in values.items():
            summed[name] = summed.get(name, ZERO) + value
        if employment is not None:
            for name, value in values.items():
                by_worker[employment][name] = by_worker[employment].get(name, ZERO) + value
            if values.get("agency_headcount"):
                agency_by_team[team].append(values["agency_fte"])

    declared = CensusReturn.objects.filter(reference_date=reference_date).first()
    council = scope_kpis(
        components=components, teams=team_infos(), scope=Scope("all"), declared=declared
    )
    if declared is not None and declared.agency_cover_headcount is not None:
        cover_headcount: int | None = declared.agency_cover_headcount
    elif council["agency_cover_fte"] is None:
        cover_headcount = None
    else:
        cover_headcount = _cover_headcount(components, agency_by_team)
    return CensusFigures(
        reference_date=reference_date,
        vacancies_fte=council["vacancy_fte"],
        agency_cover_fte=council["agency_cover_fte"],
        agency_cover_headcount=cover_headcount,
        workers={employment: _worker(values) for employment, values in by_worker.items()},
    )


def _worker(values: dict[str, Decimal]) -> WorkerFigures:
    in_post = bool(values.get("inpost_headcount") or values.get("agency_headcount"))
    employed_in_post = bool(values.get("inpost_headcount"))
    return WorkerFigures(
        fte30=(values.get("inpost_fte", ZERO) + values.get("agency_fte", ZERO))
        if in_post
        else None,
        cases30=int(values.get("cases", ZERO)) if in_post else None,
        starter_fte=values["starters_fte"] if values.get("starters_headcount") else None,
        leaver_fte=values["leavers_fte"] if values.get("leavers_headcount") else None,
        working_days_lost=values.get("working_days_lost", ZERO) if employed_in_post else None,
    )


def _cover_headcount(
    components: dict[tuple[int, int], dict[str, Decimal]],
    agency_by_team: dict[int, list[Decimal]],
) -> int:
    per_team: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"establishment_fte": ZERO, "inpost_fte": ZERO, "agency_fte": ZERO}
    )
    for (team, _role), values in components.items():
        for name in per_team[team]:
            per_team[team][name] += values.get(name, ZERO)
    headcount = 0
    for team, (_vacancies, cover) in team_vacancies_and_cover(per_team).items():
        covered = ZERO
        for fte in sorted(agency_by_team.get(team, []), reverse=True):
            if covered >= cover:
                break
            covered += fte
            headcount += 1
    return headcount
