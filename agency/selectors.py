"""Reads of the agency register, and the facts each placement's rules are checked against.

``placement_breaches`` checks many placements with a fixed number of queries: the
workforce employments of all their SWE numbers, the regional leavers with their hashes,
the caps of the council's region and the sign-offs are each read once.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from workforce.choices import ContractType, ReasonLeave
from workforce.models import Council, Employment
from workforce.selectors import active_on

from . import rules
from .models import AgencyPlacement, CapSignOff, RegionalLeaver, RegionalPriceCap
from .regional import swe_hash

DFE_INDICATORS = Path(settings.BASE_DIR) / "data" / "dfe" / "csww_indicators_2017_to_2025.csv"
#: A permanent leaving for one of these reasons does not start a cooling-off period.
COOLING_OFF_EXEMPT_REASONS = {ReasonLeave.VOLUNTARY_REDUNDANCY, ReasonLeave.COMPULSORY_REDUNDANCY}


# --- The council and its region -------------------------------------------------------


@lru_cache(maxsize=1)
def _dfe_regions() -> dict[str, str]:
    """LA code -> DfE region name, from DfE's published per-council file (latest year wins)."""
    regions: dict[str, tuple[str, str]] = {}
    if not DFE_INDICATORS.exists():
        return {}
    with DFE_INDICATORS.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("geographic_level") != "Local authority":
                continue
            for code in (row.get("old_la_code") or "").split("/"):
                code = code.strip()
                if code and (code not in regions or row["time_period"] >= regions[code][0]):
                    regions[code] = (row["time_period"], row.get("region_name") or "")
    return {code: region for code, (_, region) in regions.items()}


def region_of_la_code(la_code: str) -> str:
    """The DfE region of a council by its LA code, or "" if DfE's file does not know it.
    DfE's statistics split London in two; its councils form one region (one price cap)."""
    region = _dfe_regions().get((la_code or "").strip(), "")
    return "London" if region in ("Inner London", "Outer London") else region


def council_la_code() -> str:
    council = Council.objects.first()
    return council.lea_code if council else ""


def council_region() -> str:
    """The council's region: as set by an admin on the council, else from its LA code."""
    council = Council.objects.first()
    if council is None:
        return ""
    return council.region_name or region_of_la_code(council.lea_code)


def rule_settings() -> rules.Settings:
    return rules.Settings(
        permanent_notice_weeks=getattr(settings, "AGENCY_PERMANENT_NOTICE_WEEKS", None),
        reference_given_within_days=getattr(settings, "AGENCY_REFERENCE_GIVEN_WITHIN_DAYS", 28),
    )


# --- Placements -----------------------------------------------------------------------


def placements_all() -> QuerySet[AgencyPlacement]:
    return AgencyPlacement.objects.select_related("agency", "team", "person").prefetch_related(
        Prefetch("cap_sign_offs", queryset=CapSignOff.objects.order_by("role"))
    )


def placement_active_q(date: dt.date) -> Q:
    return active_on(date, start="start_date", end="end_date")


def placements_active_on(*, as_of: dt.date) -> QuerySet[AgencyPlacement]:
    return placements_all().filter(placement_active_q(as_of))


def placements_active_between(*, start: dt.date, end: dt.date) -> QuerySet[AgencyPlacement]:
    """Placements active on any day from ``start`` to ``end`` inclusive."""
    return placements_all().filter(
        Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gt=start))
    )


def caps_for_region(region: str) -> list[RegionalPriceCap]:
    return list(RegionalPriceCap.objects.filter(region__iexact=region).order_by("-effective_from"))


def cap_on(caps: Iterable[RegionalPriceCap], *, role_category: str, date: dt.date):
    """The cap in force for ``role_category`` on ``date`` (the latest effective by then)."""
    for cap in caps:  # newest first
        if cap.role_category == role_category and cap.effective_from <= date:
            return rules.Cap(
                region=cap.region,
                hourly_cap=cap.hourly_cap,
                effective_from=cap.effective_from,
                on_cost_percent=cap.on_cost_percent,
                includes=cap.includes,
            )
    return None


def _employed_history(swe_numbers: set[str]) -> dict[str, list[Employment]]:
    """This council's employed employments (permanent, fixed-term, ASYE) by SWE number."""
    found: dict[str, list[Employment]] = defaultdict(list)
    employments = Employment.objects.filter(person__swe_number__in=swe_numbers).exclude(
        contract_type=ContractType.AGENCY
    )
    for employment in employments.select_related("person").order_by("start_date"):
        found[employment.person.swe_number].append(employment)
    return found


def known_la_months(employments: Iterable[Employment], *, before: dt.date) -> int:
    """Whole months of employment at this council before ``before`` (periods added up)."""
    total = 0
    for employment in employments:
        end = min(employment.end_date or before, before)
        total += rules.whole_months(employment.start_date, end)
    return total


def _regional_leavings(swe_numbers: set[str]) -> dict[str, list[rules.Leaving]]:
    by_hash = {swe_hash(number): number for number in swe_numbers}
    own = council_la_code()
    found: dict[str, list[rules.Leaving]] = defaultdict(list)
    for leaver in RegionalLeaver.objects.filter(swe_hash__in=by_hash).exclude(la_code=own):
        found[by_hash[leaver.swe_hash]].append(
            rules.Leaving(leaver.leaving_date, f"LA {leaver.la_code}, from the regional file")
        )
    return found


def placement_facts_many(
    placements: Iterable[AgencyPlacement],
) -> dict[int | None, rules.PlacementFacts]:
    """The facts of each placement (by id), read with a fixed number of queries."""
    placements = list(placements)
    numbers = {p.swe_number for p in placements}
    history = _employed_history(numbers)
    regional = _regional_leavings(numbers)
    region = council_region()
    caps = caps_for_region(region) if region else []
    facts = {}
    for placement in placements:
        facts[placement.pk] = facts_for(
            placement,
            history=history.get(placement.swe_number, []),
            regional=regional.get(placement.swe_number, []),
            region=region,
            caps=caps,
            sign_offs=frozenset(s.role for s in placement.cap_sign_offs.all())
            if placement.pk
            else frozenset(),
        )
    return facts


def facts_for(
    placement: AgencyPlacement,
    *,
    history: list[Employment],
    regional: list[rules.Leaving],
    region: str,
    caps: list[RegionalPriceCap],
    sign_offs: frozenset[str],
) -> rules.PlacementFacts:
    own = [
        rules.Leaving(
            e.end_date, "this council", exempt=e.leaving_reason in COOLING_OFF_EXEMPT_REASONS
        )
        for e in history
        if e.end_date is not None and e.contract_type == ContractType.PERMANENT
    ]
    return rules.PlacementFacts(
        start_date=placement.start_date,
        end_date=placement.end_date,
        pay_rate=placement.pay_rate,
        notice_weeks=placement.notice_weeks,
        reference_obtained_on=placement.reference_obtained_on,
        reference_given_on=placement.reference_given_on,
        is_project_team=placement.is_project_team,
        project_worker_approved=placement.project_worker_approved,
        project_costs_broken_down=placement.project_costs_broken_down,
        known_la_months=known_la_months(history, before=placement.start_date),
        declared_la_months=placement.declared_la_months or 0,
        leavings=tuple(own + list(regional)),
        cap=cap_on(caps, role_category=placement.role_category, date=placement.start_date),
        sign_offs=sign_offs,
        region=region,
        role_category=placement.role_category,
    )


def placement_breaches(
    placements: Iterable[AgencyPlacement], *, as_of: dt.date
) -> dict[int | None, list[rules.Breach]]:
    """Every rule each placement breaks, checked as on ``as_of``."""
    settings_ = rule_settings()
    return {
        pk: rules.check_all(facts, settings=settings_, as_of=as_of)
        for pk, facts in placement_facts_many(placements).items()
    }


def placement_rows(placements: Iterable[AgencyPlacement], *, as_of: dt.date) -> list[dict]:
    """Placements with their breaches and whether their rate is above the cap (signed off)."""
    placements = list(placements)
    facts = placement_facts_many(placements)
    settings_ = rule_settings()
    rows = []
    for placement in placements:
        f = facts[placement.pk]
        rows.append(
            {
                "placement": placement,
                "facts": f,
                "breaches": rules.check_all(f, settings=settings_, as_of=as_of),
                "over_cap": rules.over_cap(f),
                "rate": rules.capped_rate(f.pay_rate, f.cap) if f.cap else None,
                "sign_offs": list(placement.cap_sign_offs.all()),
            }
        )
    return rows


def compliance(*, as_of: dt.date, placements: QuerySet[AgencyPlacement] | None = None) -> dict:
    """The ``agency_compliance`` report: placements active on ``as_of`` and their breaches."""
    if placements is None:
        placements = placements_active_on(as_of=as_of)
    rows = placement_rows(placements.order_by("swe_number", "start_date"), as_of=as_of)
    return {
        "as_of": as_of.isoformat(),
        "placements": len(rows),
        "breaches": [
            {"swe_number": row["placement"].swe_number, "rule": b.rule, "message": b.message}
            for row in rows
            for b in row["breaches"]
        ],
    }


def permanent_leavers(*, start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """This council's permanent leavers with a leaving date from ``start`` to ``end``."""
    return list(
        Employment.objects.filter(
            contract_type=ContractType.PERMANENT, end_date__gte=start, end_date__lte=end
        )
        .exclude(leaving_reason__in=COOLING_OFF_EXEMPT_REASONS)
        .order_by("end_date")
        .values_list("person__swe_number", "end_date")
    )


def placement_check(
    placement: AgencyPlacement, *, sign_off_roles: Iterable[str] = (), as_of: dt.date
) -> tuple[list[rules.Breach], rules.PlacementFacts]:
    """The breaches of one placement, saved or not, with the sign-offs it would have."""
    numbers = {placement.swe_number}
    region = council_region()
    f = facts_for(
        placement,
        history=_employed_history(numbers).get(placement.swe_number, []),
        regional=_regional_leavings(numbers).get(placement.swe_number, []),
        region=region,
        caps=caps_for_region(region) if region else [],
        sign_offs=frozenset(sign_off_roles),
    )
    return rules.check_all(f, settings=rule_settings(), as_of=as_of), f


def agency_employments_without_placement(*, as_of: dt.date) -> QuerySet[Employment]:
    """Agency workers in post on ``as_of`` whose placement details were never recorded."""
    return (
        Employment.objects.filter(
            active_on(as_of, start="start_date", end="end_date"),
            contract_type=ContractType.AGENCY,
            agency_placement__isnull=True,
        )
        .select_related("person", "agency")
        .order_by("start_date")
    )
