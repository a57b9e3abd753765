"""Permission-matrix entries for the exits API (exits/api/urls.py; see tests/access.py).

Records, answers and themes: HR officers and admins; the POST-only offer answers 405 to
their GET. The summary (aggregates, suppressed for councillors): every role.
"""

from core.roles import ALL_ROLES
from exits.views import EXIT_OFFICERS
from tests.access import Access


def _record(world):
    return {"pk": world.exit_record.pk}


EXPECTED = {
    "exits-api:exit-record-list": Access(EXIT_OFFICERS, api=True, query="?status=completed"),
    "exits-api:exit-record-detail": Access(EXIT_OFFICERS, kwargs=_record, api=True),
    "exits-api:exit-record-offer": Access(EXIT_OFFICERS, kwargs=_record, ok_status=405, api=True),
    "exits-api:theme-list": Access(EXIT_OFFICERS, api=True),
    "exits-api:summary": Access(ALL_ROLES, api=True, query="?start=2023-01-01&end=2023-12-31"),
}
