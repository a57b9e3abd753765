"""Permission-matrix entries for the workforce REST API (see tests/access.py).

Reads are for staff readers; the POST-only actions on an employment (leave, changes)
answer GET with 405 for HR officers and admins, 403 for everyone else; the token
endpoint is POST-only too, so any role gets 405 on GET.
"""

from core.roles import ALL_ROLES, STAFF_READERS, WORKFORCE_WRITERS
from tests.access import Access


def build_world(world):
    """Adds ``world.api_employment``: an employment of ``world.person``."""
    employment = world.person.employments.order_by("start_date").first()
    if employment is None:
        from tests.factories import employ

        employment = employ(person=world.person, team=world.team)
    world.api_employment = employment


def _employment(world):
    return {"pk": world.api_employment.pk}


EXPECTED = {
    "workforce-api:token": Access(ALL_ROLES, ok_status=405, api=True, post_public=True),
    "workforce-api:service-area-list": Access(STAFF_READERS, api=True),
    "workforce-api:team-list": Access(STAFF_READERS, api=True),
    "workforce-api:grade-list": Access(STAFF_READERS, api=True),
    "workforce-api:agency-list": Access(STAFF_READERS, api=True),
    "workforce-api:post-list": Access(STAFF_READERS, api=True),
    "workforce-api:person-list": Access(STAFF_READERS, api=True, post_roles=WORKFORCE_WRITERS),
    "workforce-api:person-detail": Access(
        STAFF_READERS, kwargs=lambda world: {"pk": world.person.pk}, api=True
    ),
    "workforce-api:employment-list": Access(STAFF_READERS, api=True, post_roles=WORKFORCE_WRITERS),
    "workforce-api:employment-leave": Access(
        WORKFORCE_WRITERS, kwargs=_employment, ok_status=405, api=True
    ),
    "workforce-api:employment-changes": Access(
        WORKFORCE_WRITERS, kwargs=_employment, ok_status=405, api=True
    ),
    "workforce-api:caseload-list": Access(STAFF_READERS, api=True, post_roles=WORKFORCE_WRITERS),
}
