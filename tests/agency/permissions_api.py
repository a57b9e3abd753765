"""Permission-matrix entries for the agency API (agency/api/urls.py; see tests/access.py).
Same roles as the pages: HR officers, directors and admins read."""

from agency.views import AGENCY_READERS, AGENCY_WRITERS
from tests.access import Access

EXPECTED = {
    "agency-api:placement-list": Access(
        AGENCY_READERS, api=True, query="?as_of=2025-01-06", post_roles=AGENCY_WRITERS
    ),
    "agency-api:placement-detail": Access(
        AGENCY_READERS, api=True, kwargs=lambda world: {"pk": world.agency_placement.pk}
    ),
}
