"""Permission matrix entries for the dashboard pages (dashboards/urls.py)."""

from tests.access import Access
from workforce.roles import DASHBOARD_READERS

EXPECTED = {
    "dashboards:overview": Access(
        DASHBOARD_READERS, notes="aggregates only; councillors suppressed"
    ),
    "dashboards:trends": Access(DASHBOARD_READERS),
    "dashboards:caseloads": Access(DASHBOARD_READERS),
    "dashboards:leavers": Access(DASHBOARD_READERS),
    "dashboards:benchmarks": Access(DASHBOARD_READERS),
    "dashboards:recruitment": Access(DASHBOARD_READERS),
    "dashboards:chart-data": Access(
        DASHBOARD_READERS,
        kwargs=lambda world: {"page": "trends", "slug": "turnover"},
        ok_status=404,
        notes="the matrix's world has no stored figures, so there is no chart data (404)",
    ),
}
