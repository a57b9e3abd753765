"""Reads for the dashboards' pages, API and commands: KPI figures with their definitions,
targets and RAG, ready to show. The figures come from ``dashboards.kpis``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .kpis import (
    REGISTRY,
    Scope,
    compute_kpis,
    kpi_targets,
    leavers_breakdown,
    rag,
    rates,
)


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
    return rates.years_before(as_of, 1) + dt.timedelta(days=1)


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


def kpi_report(*, as_of: dt.date, scope: Scope) -> dict:
    """The figures with what a reader needs beside them: label, unit, definition, the
    value shown to 1 decimal place, the target and its RAG status."""
    values = compute_kpis(as_of=as_of, scope=scope)
    targets = kpi_targets()
    kpis = []
    for key, definition in REGISTRY.items():
        if key not in values:
            continue
        value = values[key]
        kpis.append(
            {
                **definition.as_dict(),
                "value": value,
                "display": definition.display(value),
                "target": _target_dict(targets.get(key)),
                "rag": rag(key, value, targets=targets),
            }
        )
    return {
        "as_of": as_of,
        "scope": str(scope),
        "scope_label": scope.label,
        "kpis": kpis,
        "leavers": leavers_breakdown(
            start=leavers_period_start(as_of=as_of), end=as_of, scope=scope
        ),
        "note": "Aggregates only. Small-number suppression for scrutiny members is not "
        "applied yet.",
    }


def _target_dict(target) -> dict | None:
    if target is None:
        return None
    return {
        "target_value": Decimal(target.target_value),
        "target_date": target.target_date,
        "amber_margin": Decimal(target.amber_margin),
        "notes": target.notes,
    }
