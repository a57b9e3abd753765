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
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboards.models import KpiTarget

    from .scope import Scope

FamilyCompute = Callable[..., dict]

UNITS = {
    "%": "percent",
    "FTE": "FTE",
    "cases": "cases",
    "days": "days",
    "people": "people",
    "vacancies": "vacancies",
    "money": "pounds",
}
#: Units that count people: such a figure is itself a count a councillor may not see small.
COUNT_UNITS = frozenset({"people"})


@dataclass(frozen=True)
class KpiDefinition:
    """Everything about one KPI, in one place (after Zulip's ``CountStat``).

    - ``key`` (as in the ``kpis`` command's JSON), ``label``, ``unit`` (one of ``UNITS``;
      ``money`` is shown £1,234), the exact ``definition``, whether a higher value is
      better (``None``: neither) and the ``decimals`` it is shown to;
    - ``family``: the family that computes it (set by ``register_family``); the family
      declares the models it reads, so a change to them marks exactly its figures stale;
    - ``derived_from``: the counts of people it is worked out from. The disclosure rule
      (``workforce.disclosure``) hides it from councillors when any of them is small. A
      count of people (unit ``people``) is derived from itself. A figure that declares
      no counts and is not ``safe`` is hidden from councillors (fail closed);
    - ``safe``: shown to councillors whatever the counts (it describes no person: funded
      posts, open vacancies);
    - ``headline``: its place among the overview's tiles and the report's summary (1 =
      first; 0 = not a headline);
    - ``benchmark``: the DfE indicators column it is compared with on Benchmarks;
    - ``charts``: the dashboard charts that draw it over time (their slugs), in order;
    - ``report_sections``: the report pack sections that table it (besides the summary
      for headlines and the appendix for all);
    - ``flow``: a figure over the 12 months to the date (starters, leavers, absence): it
      has no figure until the council's records cover a whole year.
    """

    key: str
    label: str
    unit: str
    definition: str
    higher_is_better: bool | None = None
    decimals: int = 1
    family: str = ""
    derived_from: tuple[str, ...] = ()
    safe: bool = False
    headline: int = 0
    benchmark: str = ""
    charts: tuple[str, ...] = ()
    report_sections: tuple[str, ...] = ()
    flow: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"KPI {self.key!r}: unknown unit {self.unit!r}.")
        if self.unit in COUNT_UNITS and self.key not in self.derived_from:
            object.__setattr__(self, "derived_from", (self.key, *self.derived_from))

    @property
    def is_count(self) -> bool:
        """A count of people (a figure that can be small)."""
        return self.unit in COUNT_UNITS

    def display(self, value: Decimal | None) -> str:
        """The value as shown to a person: to its decimals (half up), with its unit."""
        if value is None:
            return "not available"
        quantum = Decimal(1).scaleb(-self.decimals)
        shown = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
        if self.unit == "%":
            return f"{shown}%"
        if self.unit == "money":
            return f"-£{-shown:,}" if shown < 0 else f"£{shown:,}"
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
    """A family: its definitions, the function computing all of them for many dates and
    scopes, and the models (``app_label.Model``) whose changes can move its figures."""

    name: str
    definitions: tuple[KpiDefinition, ...]
    compute: FamilyCompute
    reads: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(definition.key for definition in self.definitions)


#: Every KPI by key, in the order they were registered (the order they are shown).
REGISTRY: dict[str, KpiDefinition] = {}
#: Every family by name; ``compute_kpis_many`` calls each family's ``compute``.
FAMILIES: dict[str, KpiFamily] = {}


def register(*definitions: KpiDefinition, family: str = "") -> None:
    """Add definitions to the registry. A key registered twice is a programming error."""
    for definition in definitions:
        if family and not definition.family:
            definition = replace(definition, family=family)
        if definition.key in REGISTRY and REGISTRY[definition.key] != definition:
            raise ValueError(f"KPI {definition.key!r} is already registered.")
        REGISTRY[definition.key] = definition


def register_family(
    name: str, *definitions: KpiDefinition, reads: tuple[str, ...] = ()
) -> Callable[[FamilyCompute], FamilyCompute]:
    """Decorator: register a KPI family, its definitions, the models it ``reads`` and its
    compute function
    ``compute(*, dates: list[date], scopes: list[Scope]) -> {(date, scope): {key: value}}``."""

    def decorator(compute: FamilyCompute) -> FamilyCompute:
        register(*definitions, family=name)
        FAMILIES[name] = KpiFamily(
            name=name,
            definitions=tuple(REGISTRY[d.key] for d in definitions),
            compute=compute,
            reads=tuple(reads),
        )
        return compute

    return decorator


# --- Lists derived from the registry ---------------------------------------------------


def headline_kpis() -> tuple[str, ...]:
    """The overview's tiles and the report summary's rows, in their order."""
    headlines = [d for d in REGISTRY.values() if d.headline]
    return tuple(d.key for d in sorted(headlines, key=lambda d: d.headline))


def derived_from() -> dict[str, tuple[str, ...]]:
    """The counts each figure is worked out from (only figures that declare some)."""
    return {key: d.derived_from for key, d in REGISTRY.items() if d.derived_from}


def benchmark_measures() -> tuple[tuple[str, str], ...]:
    """(DfE indicators column, KPI key) for every KPI with a published benchmark."""
    return tuple((d.benchmark, key) for key, d in REGISTRY.items() if d.benchmark)


def chart_kpis(slug: str) -> tuple[str, ...]:
    """The KPIs a dashboard chart draws, in registry order."""
    return tuple(key for key, d in REGISTRY.items() if slug in d.charts)


def report_section_kpis(section: str) -> tuple[str, ...]:
    """The KPIs a report pack section tables, in registry order."""
    return tuple(key for key, d in REGISTRY.items() if section in d.report_sections)


def families_reading(label: str) -> tuple[str, ...]:
    """The families whose figures a change to the model ``label`` can move."""
    return tuple(name for name, family in FAMILIES.items() if label in family.reads)


def watched_models() -> tuple[str, ...]:
    """Every model some family reads: their changes make figures stale."""
    return tuple(dict.fromkeys(label for f in FAMILIES.values() for label in f.reads))


def compute_kpis_many(
    *, dates: list[dt.date], scopes: list[Scope], families: list[str] | None = None
) -> dict[tuple, dict]:
    """Every registered KPI for every (date, scope): ``{(date, scope): {key: value}}``.

    Each family computes all dates and scopes in a constant number of queries per date,
    whatever the number of scopes or rows. Values are exact; rates in percent; ``None``
    where a figure cannot be computed. ``families``: only those families (default all)."""
    dates = sorted(set(dates))
    scopes = list(dict.fromkeys(scopes))
    results: dict[tuple, dict] = {(date, scope): {} for date in dates for scope in scopes}
    if not dates or not scopes:
        return results
    for name, family in FAMILIES.items():
        if families is not None and name not in families:
            continue
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
