"""Permission-matrix entries for the KPI REST endpoints (dashboards/api/urls.py).

Aggregates only: every role may read them. (Small-number suppression for scrutiny
members is a later issue.)"""

from core.roles import ALL_ROLES
from tests.access import Access

EXPECTED = {
    "dashboards-api:kpis": Access(ALL_ROLES, query="?as_of=2023-09-30", api=True),
    "dashboards-api:kpi-definitions": Access(ALL_ROLES, api=True),
    "dashboards-api:caseload-report": Access(
        ALL_ROLES, query="?from=2023-09-01&to=2023-09-30", api=True
    ),
}

EXPECTED |= {
    "dashboards-api:forecast": Access(
        ALL_ROLES,
        query="?from=2023-09-30&months=2&simulations=100",
        api=True,
        notes="aggregates only (FTE and rates, no counts)",
    ),
}
