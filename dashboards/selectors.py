"""Reads for the dashboards' pages, API and commands: KPI figures with their definitions,
targets and RAG, ready to show. The figures come from ``dashboards.kpis``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.dates import years_before
from core.numbers import share
from workforce import disclosure

from .kpis import (
    REGISTRY,
    Scope,
    compute_kpis,
    kpi_targets,
    leavers_breakdown,
    rag,
)
from .kpis.registry import benchmark_measures, derived_from, headline_kpis


def last_census_date(*, today: dt.date) -> dt.date:
    """The latest DfE census date (30 September) on or before ``today``."""
    this_year = dt.date(today.year, 9, 30)
    return this_year if today >= this_year else dt.date(today.year - 1, 9, 30)


def kpi_definitions() -> list[dict]:
    """Every registered KPI's definition, with the council's target if it has one."""
    targets = kpi_targets()
    return [
        {**definition.as_dict(), "target": _target_dict(targets.get(key))}
        for key, definition in REGISTRY.items()
    ]


def leavers_period_start(*, as_of: dt.date) -> dt.date:
    """The first day of the 12 months to ``as_of`` (the day after the same day a year earlier)."""
    return years_before(as_of, 1) + dt.timedelta(days=1)


def kpi_values(*, as_of: dt.date, scope: Scope, leavers_from: dt.date | None = None) -> dict:
    """The flat figures of the ``kpis`` command: ``as_of``, ``scope``, every KPI value
    (exact), and the leavers from ``leavers_from`` (default: the 12 months to ``as_of``)
    to ``as_of`` by reason, destination and length of service."""
    values = compute_kpis(as_of=as_of, scope=scope)
    start = leavers_from or leavers_period_start(as_of=as_of)
    breakdown = leavers_breakdown(start=start, end=as_of, scope=scope)
    return {
        "as_of": as_of,
        "scope": str(scope),
        "scope_label": scope.label,
        **values,
        "leavers_period": {"start": start, "end": as_of},
        "leavers": breakdown["leavers"],
        "leavers_by_reason": breakdown["by_reason"],
        "leavers_by_reason_and_destination": breakdown["by_reason_and_destination"],
        "leavers_by_destination": breakdown["by_destination"],
        "leavers_by_length_of_service": breakdown["by_length_of_service"],
    }


def kpi_report(
    *, as_of: dt.date, scope: Scope, audience: disclosure.Audience | None = None
) -> dict:
    """The figures with what a reader needs beside them: label, unit, definition, the
    value shown to 1 decimal place, the target and its RAG status, and the leavers'
    breakdown, as ``audience`` (default: named-data roles) may see them. A figure hidden
    by the disclosure rule has value None, ``hidden`` true and its label as display."""
    audience = audience or disclosure.Audience.named()
    suppress = audience.suppressed(scope)
    values = compute_kpis(as_of=as_of, scope=scope)
    targets = kpi_targets()
    kpis = []
    for key, definition in REGISTRY.items():
        if key not in values:
            continue
        value = values[key]
        hidden = suppress and value is not None and figure_hidden(key, values, limit=audience.limit)
        shown = None if hidden else value
        kpis.append(
            {
                **definition.as_dict(),
                "value": shown,
                "display": disclosure.hidden_text(disclosure.PRIMARY, audience.limit)
                if hidden
                else definition.display(value),
                "hidden": hidden,
                "target": _target_dict(targets.get(key)),
                "rag": None if hidden else rag(key, value, targets=targets),
            }
        )
    breakdown = leavers_breakdown(start=leavers_period_start(as_of=as_of), end=as_of, scope=scope)
    return {
        "as_of": as_of,
        "scope": str(scope),
        "scope_label": scope.label,
        "suppressed": suppress,
        "kpis": kpis,
        "leavers": leavers_breakdown_disclosed(breakdown, audience=audience, scope=scope),
        "note": (
            f"Aggregates only. Counts of 1 to {audience.limit - 1} people, and figures worked "
            "out from them, are hidden (null, hidden: true)."
            if suppress
            else "Aggregates only."
        ),
    }


LEAVER_LISTS = ("by_reason", "by_destination", "by_reason_and_destination")


def leavers_breakdown_disclosed(
    breakdown: dict, *, audience: disclosure.Audience, scope: Scope | None = None
) -> dict:
    """``leavers_breakdown`` as ``audience`` sees it: in each list a hidden group has
    count, FTE and share None, ``hidden`` its label ("fewer than 5" or "hidden to protect
    another figure"); a length-of-service band's cumulative figures are hidden when a
    band up to it is; the total is hidden when small."""
    if not audience.suppressed(scope):
        return breakdown
    limit = audience.limit
    result = dict(breakdown)
    total = breakdown["leavers"]
    total_hidden = disclosure.is_small(total, limit)
    result["leavers"] = None if total_hidden else total
    result["leavers_fte"] = None if total_hidden else breakdown["leavers_fte"]
    if total_hidden:
        result["leavers_hidden"] = disclosure.hidden_text(disclosure.PRIMARY, limit)
    for name in (*LEAVER_LISTS, "by_length_of_service"):
        entries = breakdown.get(name, [])
        cells, _total = disclosure.disclose_counts(
            {i: e["count"] for i, e in enumerate(entries)}, audience=audience, scope=scope
        )
        shown_entries = []
        earlier_hidden = False
        for i, entry in enumerate(entries):
            cell = cells[i]
            hidden = cell.suppressed or total_hidden
            earlier_hidden = earlier_hidden or hidden
            item = dict(entry)
            if hidden:
                item.update(count=None, fte=None, share=None, hidden=str(cell))
            if "cumulative_count" in item and earlier_hidden:
                item.update(cumulative_count=None, cumulative_share=None)
            shown_entries.append(item)
        result[name] = shown_entries
    return result


#: Fields of a weekly caseload entry that are figures (hidden together).
CASELOAD_FIGURES = (
    "workers",
    "fte",
    "cases",
    "average_caseload",
    "caseload_per_fte",
    "highest_caseload",
    "lowest_caseload",
    "headcount_change",
    "fte_change",
    "trailing_2_week_average",
    "direction",
)
#: One person's figure (domain.md s.8): never shown to a suppressed audience.
ONE_PERSON_FIGURES = ("highest_caseload", "lowest_caseload")


def caseload_report_disclosed(
    report: list[dict], *, audience: disclosure.Audience, scope: Scope | None = None
) -> list[dict]:
    """The weekly caseload entries (``caseload_report``) as ``audience`` sees them. For
    a suppressed audience, each week's teams are one line of worker counts with their
    total (the whole-scope entry): a team (or the total) hidden by the disclosure rule
    has every figure None and ``hidden`` its label; highest and lowest caseloads, one
    person's figure each, are never shown."""
    if not audience.suppressed(scope):
        return report
    from .kpis.caseload_report import ALL_TEAMS

    by_week: dict[dt.date, list[dict]] = {}
    for entry in report:
        by_week.setdefault(entry["week"], []).append(entry)
    hidden: dict[tuple[str, dt.date], str] = {}
    for week, entries in by_week.items():
        teams = {
            e["series"]: e["workers"] or 0
            for e in entries
            if e["team"] is not None and e.get("entered", True)
        }
        cells, total = disclosure.disclose_counts(teams, audience=audience, scope=scope)
        hidden |= {(name, week): str(cell) for name, cell in cells.items() if cell.suppressed}
        overall = next((e for e in entries if e["team"] is None), None)
        if overall is not None and (
            total.suppressed or disclosure.is_small(overall["workers"] or 0, audience.limit)
        ):
            hidden[(ALL_TEAMS, week)] = (
                str(total) if total.suppressed else str(disclosure.Cell(None, audience.limit))
            )
    shown = []
    for entry in report:
        item = dict(entry)
        for name in ONE_PERSON_FIGURES:
            item[name] = None
        label = hidden.get((entry["series"], entry["week"]))
        if label is not None:
            item.update(dict.fromkeys(CASELOAD_FIGURES), hidden=label)
        shown.append(item)
    return shown


def _target_dict(target) -> dict | None:
    if target is None:
        return None
    return {
        "target_value": Decimal(target.target_value),
        "target_date": target.target_date,
        "amber_margin": Decimal(target.amber_margin),
        "notes": target.notes,
    }


# --- The dashboard pages: reads over the stored snapshots ---------------------------
#
# Every function below runs a fixed number of queries whatever the size of the council
# or the length of the history: one query for the snapshots a page shows (a KPI list
# over a scope and a date range), one for the targets, and for the live breakdowns
# (leavers, ASYE cohorts, weekly caseloads) one or two grouped queries.

#: Lists derived from the registry (``dashboards.kpis.registry``): each fact about a
#: KPI is declared once, on its definition.
#: The headline KPIs of the overview, in the order of its tiles.
HEADLINE_KPIS = headline_kpis()
#: What a table says where a figure is hidden from its reader.
HIDDEN_NOTE = "hidden (small numbers)"
#: The counts each figure is computed from (its ``derived_from``).
DERIVED_FROM: dict[str, tuple[str, ...]] = derived_from()


def figure_hidden(key: str, values: dict, *, limit: int) -> bool:
    """Whether the figure ``key`` must be hidden from a suppressed audience, given the
    other figures of the same date and scope (``values``): the disclosure rule
    (``workforce.disclosure.figure_withheld``) over the counts the registry says it is
    derived from."""
    definition = REGISTRY.get(key)
    if definition is None:
        return True  # fail closed: a figure nobody declared
    withheld = disclosure.figure_withheld(
        key, values, limit=limit, derived_from=definition.derived_from, safe=definition.safe
    )
    return withheld is not None


def _dependencies(keys) -> list[str]:
    wanted = list(dict.fromkeys(keys))
    for key in list(wanted):
        for count in DERIVED_FROM.get(key, ()):
            if count not in wanted:
                wanted.append(count)
    return wanted


def snapshot_month_ends(*, scope: str = "all") -> list[dt.date]:
    """The month ends (census dates included) with stored figures, newest first: the
    dates a dashboard can be shown "as of". One query."""
    from .models import KpiSnapshot

    return list(
        KpiSnapshot.objects.month_ends()
        .filter(scope=scope, kpi_key="inpost_fte")
        .order_by("-as_of")
        .values_list("as_of", flat=True)
    )


def snapshot_values(
    *,
    scope: str,
    kpi_keys,
    start: dt.date,
    end: dt.date,
    period: str = "month_end",
) -> dict[dt.date, dict[str, Decimal | None]]:
    """Stored figures of ``kpi_keys`` over ``scope`` from ``start`` to ``end``, by date:
    ``{date: {key: value}}``. ``period``: "month_end" (census dates included),
    "census" or "any". One query."""
    from .models import KpiSnapshot

    rows = KpiSnapshot.objects.filter(
        scope=scope, kpi_key__in=list(kpi_keys), as_of__gte=start, as_of__lte=end
    )
    if period == "month_end":
        rows = rows.month_ends()
    elif period == "census":
        rows = rows.census_dates()
    by_date: dict[dt.date, dict[str, Decimal | None]] = {}
    for as_of, key, value in rows.order_by("as_of").values_list("as_of", "kpi_key", "value"):
        by_date.setdefault(as_of, {})[key] = value
    return by_date


def _month_end_before(date: dt.date, months: int) -> dt.date:
    import calendar

    year, month = date.year, date.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _change(key: str, now: Decimal | None, before: Decimal | None) -> dict | None:
    """The change from ``before`` to ``now`` as shown: "+1.2 points", and whether it is
    an improvement."""
    if now is None or before is None:
        return None
    definition = REGISTRY[key]
    delta = (Decimal(now) - Decimal(before)).quantize(Decimal("0.1"))
    unit = "percentage points" if definition.unit == "%" else definition.unit
    sign = "+" if delta > 0 else ""
    better = None
    if delta != 0 and definition.higher_is_better is not None:
        better = (delta > 0) == definition.higher_is_better
    direction = "up" if delta > 0 else "down" if delta < 0 else "no change"
    return {
        "delta": delta,
        "display": f"{sign}{delta} {unit}" if delta else "no change",
        "direction": direction,
        "better": better,
    }


def records_start() -> dt.date | None:
    """The first day the council's records describe as a whole: the earliest leaving,
    weekly caseload or absence recorded. Before it the stored figures count only the
    people still employed when records began (long-serving staff), so they are no
    figure, not a zero. One query."""
    from django.db import connection

    from workforce.models import CaseloadSnapshot, Employment, SicknessAbsence

    tables = (
        (Employment._meta.db_table, "end_date"),
        (CaseloadSnapshot._meta.db_table, "date"),
        (SicknessAbsence._meta.db_table, "start_date"),
    )
    sql = "SELECT " + ", ".join(f"(SELECT MIN({c}) FROM {t})" for t, c in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        firsts = [
            dt.date.fromisoformat(value) if isinstance(value, str) else value
            for value in cursor.fetchone()
        ]
    known = [date for date in firsts if date is not None]
    return min(known) if known else None


def no_figure_reason(key: str, as_of: dt.date, start: dt.date | None) -> str | None:
    """Why ``key`` has no figure on ``as_of`` given the records' ``start``, or None."""
    if start is None:
        return None
    if as_of < start:
        return f"no figure: before the council's records begin ({start:%-d %B %Y})"
    definition = REGISTRY.get(key)
    if definition is not None and definition.flow and leavers_period_start(as_of=as_of) < start:
        return (
            "no figure: the records, which begin "
            f"{start:%-d %B %Y}, do not cover the whole 12 months"
        )
    return None


def dashboard_tiles(
    *, scope: str, as_of: dt.date, keys=HEADLINE_KPIS, suppress: bool, limit: int = 5
) -> list[dict]:
    """One tile per KPI of ``keys`` as of the month end ``as_of`` over ``scope``: value,
    target and RAG, change since the previous month end and since the same date last
    year, a 13-month sparkline and the definition; figures a scrutiny member may not
    see (``suppress``) are hidden. Two queries (snapshots, targets)."""
    keys = [key for key in keys if key in REGISTRY]
    start = _month_end_before(as_of, 13)
    values = snapshot_values(scope=scope, kpi_keys=_dependencies(keys), start=start, end=as_of)
    targets = kpi_targets()
    months = [_month_end_before(as_of, n) for n in range(12, -1, -1)]
    previous, year_ago = _month_end_before(as_of, 1), _month_end_before(as_of, 12)
    tiles = []
    for key in keys:
        definition = REGISTRY[key]

        def shown(date: dt.date, key=key) -> Decimal | None:
            figures = values.get(date, {})
            if suppress and figure_hidden(key, figures, limit=limit):
                return None
            return figures.get(key)

        now = values.get(as_of, {}).get(key)
        hidden = suppress and now is not None and figure_hidden(key, values[as_of], limit=limit)
        value = None if hidden else now
        target = targets.get(key)
        tiles.append(
            {
                **definition.as_dict(),
                "value": value,
                "display": definition.display(value) if not hidden else "hidden",
                "hidden": hidden,
                "target": _target_dict(target),
                "target_display": definition.display(target.target_value) if target else None,
                "rag": rag(key, value, targets=targets),
                "change_previous": None if hidden else _change(key, value, shown(previous)),
                "change_year": None if hidden else _change(key, value, shown(year_ago)),
                "previous_date": previous,
                "year_ago_date": year_ago,
                "sparkline": [(month, shown(month)) for month in months],
            }
        )
    return tiles


def dashboard_series(
    *,
    scope: str,
    keys,
    start: dt.date,
    end: dt.date,
    suppress: bool,
    limit: int = 5,
    period: str = "month_end",
) -> list[dict]:
    """Rows ``{"date": d, key: value..., "hidden": {keys}}`` of the stored figures of
    ``keys``, one row per stored date, for charts and their tables; a figure hidden from
    a scrutiny member is None and its key is in ``hidden``; a date before the records
    cover it has no figure (None, the reason in ``gaps``), never a zero. Two queries."""
    keys = [key for key in keys if key in REGISTRY]
    values = snapshot_values(
        scope=scope, kpi_keys=_dependencies(keys), start=start, end=end, period=period
    )
    first_day = records_start()
    rows = []
    for date, figures in values.items():
        row = {"date": date, "hidden": set(), "gaps": {}}
        for key in keys:
            gap = no_figure_reason(key, date, first_day)
            hidden = not gap and suppress and figure_hidden(key, figures, limit=limit)
            row[key] = None if hidden or gap else figures.get(key)
            if hidden:
                row["hidden"].add(key)
            if gap:
                row["gaps"][key] = gap
        rows.append(row)
    return rows


def asye_cohort_retention(*, scope: Scope, as_of: dt.date, limit: int | None = None) -> list[dict]:
    """Each ASYE cohort (employed social workers who started in their ASYE, grouped by
    the DfE reporting year of their start, 1 October to 30 September) and how many were
    still employed 1, 2 and 3 years after they started (None until that anniversary has
    passed ``as_of``). With ``limit`` (scrutiny members), a count from 1 to limit - 1 is
    hidden, and so is a retained count whose leavers count is that small. Two queries."""
    from django.db.models import F, Q

    from workforce.choices import ContractType
    from workforce.models import Assignment

    from .kpis.scope import team_infos

    teams = team_infos()
    rows = (
        Assignment.objects.filter(
            ~Q(employment__contract_type=ContractType.AGENCY),
            is_asye=True,
            effective_from=F("employment__start_date"),
            employment__start_date__lte=as_of,
        )
        .values_list("team_id", "org_role", "employment__start_date", "employment__end_date")
        .order_by()
    )
    cohorts: dict[int, dict] = {}
    for team_id, org_role, start, end in rows:
        team = teams.get(team_id)
        if team is None or not scope.includes(team, org_role):
            continue
        year = start.year if start.month >= 10 else start.year - 1
        cohort = cohorts.setdefault(year, {"started": 0, 1: 0, 2: 0, 3: 0, "due": {}})
        cohort["started"] += 1
        for years in (1, 2, 3):
            anniversary = years_before(start, -years)
            if anniversary > as_of:
                cohort["due"][years] = False
                continue
            cohort["due"].setdefault(years, True)
            if end is None or end > anniversary:
                cohort[years] += 1
    result = []
    for year in sorted(cohorts):
        cohort = cohorts[year]
        started = cohort["started"]
        started_hidden = limit is not None and 0 < started < limit
        entry = {
            "cohort": f"{year}-{str(year + 1)[-2:]}",
            "started": None if started_hidden else started,
        }
        for years in (1, 2, 3):
            complete = cohort["due"].get(years, False)
            kept = cohort[years] if complete else None
            hidden = started_hidden or (
                kept is not None
                and limit is not None
                and (0 < kept < limit or 0 < started - kept < limit)
            )
            entry[f"retained_{years}"] = None if hidden else kept
            entry[f"retained_{years}_share"] = (
                None if hidden or kept is None else share(kept, started)
            )
            entry[f"retained_{years}_due"] = complete
        result.append(entry)
    return result


#: DfE's published measures (columns of the indicators file) beside the registry's KPI
#: computed by the product for the same census date (each KPI's ``benchmark``).
BENCHMARK_MEASURES: tuple[tuple[str, str], ...] = benchmark_measures()


def benchmark_comparison(*, suppress: bool = False, limit: int = 5) -> dict:
    """The council against England, its region and the default comparator group, per
    DfE measure and year, from the imported DfE figures, with the council's rank among
    all councils (1 = lowest, the best for every measure here) and within its group, and
    beside them the council's own computed figure for the same census date.

    The council is ``workforce.Council`` (its LEA code found in ``old_la_code``, merged
    codes such as "314 / 318" included). Five queries (council, group, ranks, figures,
    own snapshots)."""
    from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from workforce.models import Council

    from .benchmarks import lea_code_q
    from .models import BenchmarkFigure, ComparatorGroup

    council = Council.objects.first()
    group = ComparatorGroup.objects.filter(is_default=True).order_by("name").first()
    measures = [measure for measure, _key in BENCHMARK_MEASURES]
    lea = council.lea_code if council else None
    region = council.region_name if council else ""
    group_codes = set(group.lea_codes) if group else set()
    # The council's rank among all councils each year, in the database: a council's rank
    # is 1 + the councils with a lower figure (ties share a rank).
    local = Q(geographic_level=BenchmarkFigure.Level.LOCAL_AUTHORITY)
    wanted = Q(geographic_level=BenchmarkFigure.Level.NATIONAL) | Q(
        geographic_level=BenchmarkFigure.Level.REGIONAL, area_name=region
    )
    # Exact codes, plus the few merged ones ("314 / 318") matched below in Python: one
    # OR of LIKE patterns per council would make this the page's slowest query.
    council_codes = ([lea] if lea else []) + sorted(group_codes)
    wanted |= local & (Q(old_la_code__in=council_codes) | Q(old_la_code__contains="/"))
    same_year = BenchmarkFigure.objects.filter(
        local, measure=OuterRef("measure"), time_period=OuterRef("time_period")
    ).order_by()

    def how_many(rows) -> Subquery:
        return Subquery(
            rows.values("measure").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        )

    ranks = {}
    if lea:
        ranks = {
            (row[0], row[1], row[2]): (row[3] + 1, row[4])
            for row in BenchmarkFigure.objects.filter(local & lea_code_q(lea), measure__in=measures)
            .annotate(
                lower=Coalesce(how_many(same_year.filter(value__lt=OuterRef("value"))), 0),
                ranked=Coalesce(how_many(same_year.filter(value__isnull=False)), 0),
            )
            .values_list("measure", "time_period", "old_la_code", "lower", "ranked")
        }
    figures = list(
        BenchmarkFigure.objects.filter(wanted, measure__in=measures).values_list(
            "time_period",
            "geographic_level",
            "old_la_code",
            "area_name",
            "measure",
            "value",
            "symbol",
        )
    )
    own = snapshot_values(
        scope="all",
        kpi_keys=_dependencies([key for _m, key in BENCHMARK_MEASURES]),
        start=dt.date(2000, 1, 1),
        end=dt.date(2100, 1, 1),
        period="census",
    )

    first_day = records_start()

    def codes(old_la_code: str) -> set[str]:
        return {part.strip() for part in (old_la_code or "").split("/") if part.strip()}

    table: dict[tuple[str, int], dict] = {}
    for year, level, old_code, name, measure, value, symbol in figures:
        cell = table.setdefault(
            (measure, year),
            {
                "rank": None,
                "ranked": 0,
                "group": [],
                "council": None,
                "council_symbol": "",
                "region": None,
                "england": None,
                "council_name": "",
            },
        )
        if level == BenchmarkFigure.Level.NATIONAL:
            cell["england"] = value
        elif level == BenchmarkFigure.Level.REGIONAL and name == region:
            cell["region"] = value
        elif level == BenchmarkFigure.Level.LOCAL_AUTHORITY:
            area_codes = codes(old_code)
            if lea and lea in area_codes:
                cell["council"], cell["council_symbol"] = value, symbol
                cell["council_name"] = name
                cell["rank"], cell["ranked"] = ranks.get((measure, year, old_code), (None, 0))
            if group_codes & area_codes and value is not None:
                cell["group"].append(value)
    result = []
    for measure, key in BENCHMARK_MEASURES:
        definition = REGISTRY.get(key)
        years = sorted(year for (m, year) in table if m == measure)
        rows = []
        for year in years:
            cell = table[(measure, year)]
            council_value = cell["council"]
            rank = group_rank = None
            if council_value is not None:
                rank = cell["rank"]
                if cell["group"]:
                    group_rank = 1 + sum(1 for value in cell["group"] if value < council_value)
            group_values = sorted(cell["group"])
            census = dt.date(year, 9, 30)
            own_figures = own.get(census, {})
            own_value = own_figures.get(key)
            own_note = no_figure_reason(key, census, first_day)
            if own_note:
                own_value = None
            elif own_value is None:
                own_note = "no figure: not computable from the records"
            if suppress and own_value is not None and figure_hidden(key, own_figures, limit=limit):
                own_value, own_note = None, HIDDEN_NOTE
            rows.append(
                {
                    "year": year,
                    "council": council_value,
                    "council_symbol": cell["council_symbol"],
                    "own": own_value,
                    "own_note": own_note,
                    "region": cell["region"],
                    "england": cell["england"],
                    "group_median": _median(group_values),
                    "group_size": len(group_values) + (0 if lea in group_codes else 1),
                    "rank": rank,
                    "councils_ranked": cell["ranked"],
                    "group_rank": group_rank,
                }
            )
        result.append(
            {
                "measure": measure,
                "key": key,
                "label": definition.label if definition else measure,
                "unit": definition.unit if definition else "",
                "rows": rows,
            }
        )
    return {
        "council": council,
        "region": region,
        "group": group,
        "measures": result,
    }


def _median(values: list) -> Decimal | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return Decimal(values[middle])
    return (Decimal(values[middle - 1]) + Decimal(values[middle])) / 2


def dashboard_filter_choices() -> dict[str, list[str]]:
    """The service areas and teams the dashboards' filters offer, by name. Two queries."""
    from workforce.models import ServiceArea, Team

    return {
        "areas": list(ServiceArea.objects.order_by("name").values_list("name", flat=True)),
        "teams": list(Team.objects.order_by("name").values_list("name", flat=True)),
    }


def other_family_kpis(*, scope: str, as_of: dt.date, suppress: bool, limit: int = 5) -> list[dict]:
    """The KPI families other apps register (recruitment, exits...), each with its
    figures as of ``as_of`` from the stored snapshots: ``[{"family", "kpis": [...]}]``.
    A family with no stored figure is left out. One query."""
    from .kpis import FAMILIES

    families = [family for name, family in FAMILIES.items() if name != "workforce"]
    keys = [definition.key for family in families for definition in family.definitions]
    if not keys:
        return []
    figures = snapshot_values(
        scope=scope, kpi_keys=_dependencies(keys), start=as_of, end=as_of, period="any"
    ).get(as_of, {})
    result = []
    for family in families:
        kpis = []
        for definition in family.definitions:
            if definition.key not in figures:
                continue
            value = figures[definition.key]
            hidden = suppress and figure_hidden(definition.key, figures, limit=limit)
            kpis.append(
                {
                    **definition.as_dict(),
                    "value": None if hidden else value,
                    "display": "hidden" if hidden else definition.display(value),
                    "hidden": hidden,
                }
            )
        if kpis:
            result.append({"family": family.name, "kpis": kpis})
    return result


def recommendations_summary(*, as_of: dt.date) -> list[dict]:
    """Scrutiny recommendations by committee: how many, delivered, in progress, not yet
    started or without an update, and overdue (action-by date passed undelivered or a
    monitoring update late), read through ``recommendations.selectors``. A constant
    number of queries (the tracker's query and its prefetches)."""
    from recommendations import selectors as recommendations

    by_committee: dict[tuple[str, str], dict] = {}
    rows = recommendations.tracker_rows(
        queryset=recommendations.recommendations_tracked(), as_of=as_of
    )
    for row in rows:
        entry = by_committee.setdefault(
            (row.council, row.committee),
            {
                "council": row.council,
                "committee": row.committee,
                "total": 0,
                "delivered": 0,
                "in_progress": 0,
                "other": 0,
                "overdue": 0,
            },
        )
        entry["total"] += 1
        if row.status == "Delivered":
            entry["delivered"] += 1
        elif row.status == "In progress":
            entry["in_progress"] += 1
        else:
            entry["other"] += 1
        entry["overdue"] += int(row.overdue)
    return list(by_committee.values())


def recommendations_version() -> int:
    """Changes whenever the recommendations summary may have (for cache keys)."""
    from recommendations import selectors as recommendations

    return recommendations.tracker_version()


def exit_themes(*, start: dt.date, end: dt.date, scope, suppress: bool, limit: int) -> dict:
    """Why people left from ``start`` to ``end``, read through ``exits.selectors``: the
    leavers (agency included) who answered the exit questionnaire and, for each theme,
    how many of them gave it (their own reasons and the themes officers confirmed; one
    leaver can give several). ``scope`` narrows it to a team or service area (their team
    on their last day); role and case-holding scopes cannot be applied to leavers' answers,
    which then cover the whole service (``whole_service``). With ``suppress`` a count under
    ``limit`` is hidden (None), and every count if fewer than ``limit`` answered.
    A constant number of queries."""
    from exits import selectors as exits
    from workforce.models import Team

    teams = None
    if scope.kind == "team":
        teams = Team.objects.filter(name=scope.value)
    elif scope.kind == "area":
        teams = Team.objects.filter(service_area__name=scope.value)
    leavers = exits.leavers_between(start=start, end=end, teams=teams)
    data = exits.themes_by(leavers=leavers, dimension="contract")
    answered = sum(data["answered"].values())
    counts = {
        theme: sum(data["grid"][(theme, column)] for column in data["columns"])
        for theme in data["themes"]
    }

    def shown(value: int) -> int | None:
        hidden = suppress and (0 < value < limit or 0 < answered < limit)
        return None if hidden else value

    return {
        "leavers": shown(len(leavers)),
        "answered": shown(answered),
        "themes": sorted(
            ({"theme": theme, "count": shown(n)} for theme, n in counts.items()),
            key=lambda row: (row["count"] is None, -(row["count"] or 0), row["theme"]),
        ),
        "whole_service": scope.kind in ("role", "caseholding"),
    }


def exits_version() -> str:
    """Changes whenever exit records or questionnaires may have (for cache keys): how
    many there are and when the latest was changed. Two queries."""
    from django.db.models import Count, Max

    from exits.models import ExitQuestionnaire, ExitRecord

    parts = []
    for model in (ExitRecord, ExitQuestionnaire):
        figures = model.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
        changed = figures["changed"].timestamp() if figures["changed"] else 0
        parts.append(f"{figures['n']}-{changed}")
    return "|".join(parts)
