"""The KPI engine: DfE workforce KPIs computed in the database as of any date, for any scope.

Public API (the live pages, the commands, the API and the stored snapshots all use it):

- ``Scope`` / ``Scope.parse(text)`` / ``all_scopes()``: what a figure covers.
- ``compute_kpis(*, as_of, scope)`` and ``compute_kpis_many(*, dates, scopes)``: every
  registered KPI, exact values (rates in percent), ``None`` where not computable.
- ``REGISTRY`` (key -> ``KpiDefinition``), ``register``/``register_family`` for other
  apps' KPI families, ``kpi_target(key)``, ``kpi_targets()``, ``rag(key, value)``.
- ``leavers_breakdown(*, start, end, scope)``: leavers by DfE reason, destination and
  length of service over a period.
- ``caseload_report(*, start, end, scope)``: the weekly caseload series.
- ``rates``: the pure arithmetic, ``WORKING_DAYS_PER_YEAR``.
"""

from . import agency as _agency_family  # noqa: F401  (registers the agency KPIs)
from . import costs as _costs_family  # noqa: F401  (registers the cost KPIs)
from . import exits as _exits_family  # noqa: F401  (registers the exit interview KPIs)
from . import pay as _pay_family  # noqa: F401  (registers the pay KPIs)
from . import rates
from . import recruitment as _recruitment  # noqa: F401  (registers the recruitment family)
from .caseload_report import caseload_report
from .rates import WORKING_DAYS_PER_YEAR
from .registry import (
    FAMILIES,
    REGISTRY,
    KpiDefinition,
    compute_kpis,
    compute_kpis_many,
    kpi_target,
    kpi_targets,
    rag,
    register,
    register_family,
)
from .scope import Scope, all_scopes
from .workforce import leavers_breakdown

__all__ = [
    "FAMILIES",
    "REGISTRY",
    "WORKING_DAYS_PER_YEAR",
    "KpiDefinition",
    "Scope",
    "all_scopes",
    "caseload_report",
    "compute_kpis",
    "compute_kpis_many",
    "kpi_target",
    "kpi_targets",
    "leavers_breakdown",
    "rag",
    "rates",
    "register",
    "register_family",
]
