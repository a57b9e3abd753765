"""The single registry of KPIs: what each figure is, in words users see next to it.

A KPI *family* is a set of definitions plus one function that computes all of them for
many dates and scopes at once. The workforce family (``dashboards.kpis.workforce``) is
registered here; the recruitment-funnel and exit-interview families register themselves
the same way from their own modules, and ``compute_kpis``/``compute_kpis_many`` then
return their figures too::

    from dashboards.kpis import KpiDefinition, register_family

    @register_family(
        "recruitment",
        KpiDefinition(key="offers", label="Offers made", unit="people",
                      definition="Offers made in the 12 months to the date.",
                      higher_is_better=True),
    )
    def recruitment_kpis(*, dates, scopes):
        # a few aggregate queries per date, never a loop over rows
        return {(date, scope): {"offers": Decimal(...)} for date in dates for scope in scopes}

Targets and RAG thresholds are data (``dashboards.models.KpiTarget``, editable by admins);
whether up is good comes from the definition here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboards.models import KpiTarget

    from .scope import Scope

FamilyCompute = Callable[..., dict]

UNITS = {"%": "percent", "FTE": "FTE", "cases": "cases", "days": "days", "people": "people"}


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: its key (as in the ``kpis`` command's JSON), label, unit, the exact
    definition, and whether a higher value is better (``None``: neither)."""

    key: str
    label: str
    unit: str
    definition: str
    higher_is_better: bool | None = None
    decimals: int = 1
    family: str = ""

    def display(self, value: Decimal | None) -> str:
        """The value as shown to a person: 1 decimal place (half up), with its unit."""
        if value is None:
            return "not available"
        quantum = Decimal(1).scaleb(-self.decimals)
        shown = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        if self.unit == "%":
            return f"{shown}%"
        if self.unit == "£":
            return f"£{shown:,}"
        return f"{shown} {self.unit}"

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "definition": self.definition,
            "higher_is_better": self.higher_is_better,
            "decimals": self.decimals,
            "family": self.family,
        }


@dataclass(frozen=True)
class KpiFamily:
    name: str
    definitions: tuple[KpiDefinition, ...]
    compute: FamilyCompute


#: Every KPI by key, in the order they were registered (the order they are shown).
REGISTRY: dict[str, KpiDefinition] = {}
#: Every family by name; ``compute_kpis_many`` calls each family's ``compute``.
FAMILIES: dict[str, KpiFamily] = {}


def register(*definitions: KpiDefinition, family: str = "") -> None:
    """Add definitions to the registry. A key registered twice is a programming error."""
    for definition in definitions:
        if family and not definition.family:
            definition = KpiDefinition(**{**definition.__dict__, "family": family})
        if definition.key in REGISTRY and REGISTRY[definition.key] != definition:
            raise ValueError(f"KPI {definition.key!r} is already registered.")
        REGISTRY[definition.key] = definition


def register_family(
    name: str, *definitions: KpiDefinition
) -> Callable[[FamilyCompute], FamilyCompute]:
    """Decorator: register a KPI family, its definitions and its compute function
    ``compute(*, dates: list[date], scopes: list[Scope]) -> {(date, scope): {key: value}}``."""

    def decorator(compute: FamilyCompute) -> FamilyCompute:
        register(*definitions, family=name)
        FAMILIES[name] = KpiFamily(
            name=name, definitions=tuple(REGISTRY[d.key] for d in definitions), compute=compute
        )
        return compute

    return decorator


def compute_kpis_many(*, dates: list[dt.date], scopes: list[Scope]) -> dict[tuple, dict]:
    """Every registered KPI for every (date, scope): ``{(date, scope): {key: value}}``.

    Each family computes all dates and scopes in a constant number of queries per date,
    whatever the number of scopes or rows. Values are exact; rates in percent; ``None``
    where a figure cannot be computed."""
    dates = sorted(set(dates))
    scopes = list(dict.fromkeys(scopes))
    results: dict[tuple, dict] = {(date, scope): {} for date in dates for scope in scopes}
    if not dates or not scopes:
        return results
    for family in FAMILIES.values():
        for key, values in family.compute(dates=dates, scopes=scopes).items():
            results[key].update(values)
    return results


def compute_kpis(*, as_of: dt.date, scope: Scope) -> dict[str, Decimal | None]:
    """Every registered KPI as of ``as_of`` over ``scope`` (the live path: the same
    functions as the batch path, so the two cannot disagree)."""
    return compute_kpis_many(dates=[as_of], scopes=[scope])[(as_of, scope)]


# --- Targets and RAG ---------------------------------------------------------------


def kpi_targets() -> dict[str, KpiTarget]:
    """Every target set by the council, by KPI key (one query)."""
    from dashboards.models import KpiTarget

    return {target.kpi_key: target for target in KpiTarget.objects.all()}


def kpi_target(key: str) -> KpiTarget | None:
    """The council's target for one KPI, if it has set one."""
    from dashboards.models import KpiTarget

    return KpiTarget.objects.filter(kpi_key=key).first()


def rag(
    key: str, value: Decimal | None, *, targets: dict[str, KpiTarget] | None = None
) -> str | None:
    """``"green"``, ``"amber"`` or ``"red"`` for ``value`` against the KPI's target, or
    ``None`` when there is no target, no value, or the KPI has no better direction.

    Green: meets the target. Amber: misses it by no more than the amber margin (in the
    KPI's unit). Red: misses it by more. Pass ``targets`` (from ``kpi_targets()``) to
    rate many KPIs with one query."""
    definition = REGISTRY.get(key)
    target = targets.get(key) if targets is not None else kpi_target(key)
    if definition is None or target is None or value is None:
        return None
    if definition.higher_is_better is None:
        return None
    value = Decimal(value)
    goal, margin = target.target_value, target.amber_margin
    if definition.higher_is_better:
        if value >= goal:
            return "green"
        return "amber" if value >= goal - margin else "red"
    if value <= goal:
        return "green"
    return "amber" if value <= goal + margin else "red"
