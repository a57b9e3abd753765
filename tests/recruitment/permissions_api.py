"""Permission-matrix entries for the recruitment REST API (see tests/access.py).

Staff readers list vacancies, adverts and applications; the stage-change endpoint is
POST-only (405 on GET for writers, 403 for others); every role reads the aggregate
funnel, which never names an applicant."""

from recruitment.roles import FUNNEL_READERS, RECRUITMENT_READERS, RECRUITMENT_WRITERS
from tests.access import Access

EXPECTED = {
    "recruitment-api:vacancy-list": Access(
        RECRUITMENT_READERS, api=True, post_roles=RECRUITMENT_WRITERS
    ),
    "recruitment-api:campaign-list": Access(
        RECRUITMENT_READERS, api=True, post_roles=RECRUITMENT_WRITERS
    ),
    "recruitment-api:application-list": Access(
        RECRUITMENT_READERS, api=True, post_roles=RECRUITMENT_WRITERS
    ),
    "recruitment-api:application-stage-change": Access(
        RECRUITMENT_WRITERS,
        kwargs=lambda world: {"pk": world.application.pk},
        ok_status=405,
        api=True,
    ),
    "recruitment-api:funnel": Access(
        FUNNEL_READERS, query="?start=2024-01-01&end=2024-12-31", api=True
    ),
}
