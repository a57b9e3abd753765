"""Permission matrix entries for the dashboard pages (dashboards/urls.py)."""

from tests.access import Access
from workforce.roles import DASHBOARD_READERS

EXPECTED = {
    "dashboards:overview": Access(DASHBOARD_READERS, notes="landing page: no names, no figures"),
}
