"""Permission-matrix entries for the census pages (workforce/census/urls.py; see
tests/access.py). HR officers and admins import returns and caseloads; directors may also
download a return; service managers, scrutiny and lead members get 403."""

from tests.access import Access
from workforce.census.views import CENSUS_EXPORTERS
from workforce.roles import WORKFORCE_WRITERS

EXPECTED = {
    "census:upload": Access(WORKFORCE_WRITERS),
    "census:preview": Access(WORKFORCE_WRITERS, notes="no upload waiting: says so"),
    "census:result": Access(WORKFORCE_WRITERS, notes="no import in the session: says so"),
    "census:export": Access(CENSUS_EXPORTERS, notes="the form; ?year= downloads"),
    "census:caseloads-upload": Access(WORKFORCE_WRITERS),
}
