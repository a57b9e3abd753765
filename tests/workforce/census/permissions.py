"""Permission-matrix entries for the census pages (workforce/census/urls.py; see
tests/access.py). HR officers and admins import returns and caseloads; directors may also
download a return; service managers, scrutiny and lead members get 403."""

from core.roles import WORKFORCE_WRITERS
from tests.access import Access
from workforce.census.views import CENSUS_EXPORTERS

EXPECTED = {
    "census:upload": Access(WORKFORCE_WRITERS),
    "census:preview": Access(WORKFORCE_WRITERS, notes="no upload waiting: says so"),
    "census:result": Access(WORKFORCE_WRITERS, notes="no import in the session: says so"),
    "census:export": Access(CENSUS_EXPORTERS, notes="the form; ?year= downloads"),
    "census:caseloads-upload": Access(WORKFORCE_WRITERS),
    "census:caseloads-job": Access(
        WORKFORCE_WRITERS,
        kwargs=lambda world: {"pk": world.caseload_job.pk},
        notes="a finished caseload import: what it did",
    ),
}


def build_world(world) -> None:
    from django.contrib.auth import get_user_model

    from workforce.models import ImportJob

    owner = get_user_model().objects.create_user(username="matrix-caseload-importer")
    world.caseload_job = ImportJob.objects.create(
        kind=ImportJob.Kind.CASELOADS,
        status=ImportJob.Status.DONE,
        created_by=owner,
        file_name="caseloads.csv",
        result={
            "rows": 1,
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "errors": [],
            "warnings": [],
        },
    )
