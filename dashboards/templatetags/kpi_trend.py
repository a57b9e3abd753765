"""The KPI evidence on a scrutiny recommendation's page, drawn by the read side.

Dependencies run one way (domain apps never import ``dashboards``), so the
recommendations app stores a recommendation's evidencing KPI as a key (text) and:

- gets the list of valid keys from ``kpi_catalogue`` here, named by the setting
  ``RECOMMENDATIONS_KPI_CATALOGUE`` (see ``recommendations.evidence``), and
- shows the trend with ``{% load kpi_trend %}{% kpi_trend rec %}`` in its template: this
  tag reads the stored KPI snapshots (``dashboards.models.KpiSnapshot``, whole service,
  census dates and the latest month end) and compares each figure with the
  recommendation's own target, using the registry's "higher is better".

A template tag keeps the one-way rule without a view importing dashboards, and the
snapshots mean the page does not recompute KPIs.
"""

from __future__ import annotations

from decimal import Decimal

from django import template

from dashboards.kpis import REGISTRY

register = template.Library()

WHOLE_SERVICE = "all"


def kpi_catalogue() -> dict[str, str]:
    """Every registered KPI: ``{key: label}``, in the registry's order."""
    return {key: definition.label for key, definition in REGISTRY.items()}


def _meets(value: Decimal | None, target: Decimal | None, higher_is_better: bool | None):
    if value is None or target is None or higher_is_better is None:
        return None
    return value >= target if higher_is_better else value <= target


@register.inclusion_tag("recommendations/_kpi_trend.html")
def kpi_trend(recommendation, scope: str = WHOLE_SERVICE, points: int = 8) -> dict:
    """The KPI's figures over time against the recommendation's target."""
    from dashboards.models import KpiSnapshot

    key = recommendation.kpi_key
    definition = REGISTRY.get(key)
    if not key:
        return {"definition": None, "key": ""}
    if definition is None:
        return {"definition": None, "key": key}
    series = KpiSnapshot.objects.series(scope=scope, kpi_key=key)
    census = list(series.census_dates().order_by("-as_of")[:points])
    latest = series.month_ends().order_by("-as_of").first()
    snapshots = sorted({s.as_of: s for s in [*census, *([latest] if latest else [])]}.values(),
                       key=lambda s: s.as_of)  # fmt: skip
    target = recommendation.kpi_target
    rows = [
        {
            "as_of": s.as_of,
            "display": definition.display(s.value),
            "meets": _meets(s.value, target, definition.higher_is_better),
            "census": s.period == KpiSnapshot.Period.CENSUS,
        }
        for s in snapshots
    ]
    return {
        "definition": definition,
        "key": key,
        "target": target,
        "target_display": definition.display(target) if target is not None else "",
        "target_date": recommendation.kpi_target_date,
        "rows": rows,
    }
