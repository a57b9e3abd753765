"""Permission-matrix entries for the workforce pages (workforce/urls.py; see tests/access.py).

HR officers and admins may use every page; directors read (people list, person page,
caseload grid without a save button); service managers read people who have worked in
their teams and use the caseload grid for their own teams; councillors get 403 on all.
The matrix's service manager is expected to manage ``world.team``, where
``world.person`` works (a service manager outside it gets 404 on that person's page).
"""

from core.roles import CASELOAD_WRITERS, STAFF_READERS, WORKFORCE_WRITERS
from tests.access import Access


def build_world(world):
    """Makes sure ``world.person`` has an employment in ``world.team`` (``world.employment``,
    in post), adding one through the services if the shared world has none."""
    if getattr(world, "employment", None) is None:
        from tests.factories import employ

        world.employment = employ(person=world.person, team=world.team)


def _person(world):
    return {"pk": world.employment.person_id}


def _employment(world):
    return {"pk": world.employment.pk}


EXPECTED = {
    "workforce:person-list": Access(STAFF_READERS, query="?q=a&in_post_on=2023-09-30"),
    "workforce:person-detail": Access(
        STAFF_READERS, kwargs=_person, notes="service managers: only people from their teams"
    ),
    "workforce:person-edit": Access(WORKFORCE_WRITERS, kwargs=_person),
    "workforce:starter-create": Access(WORKFORCE_WRITERS),
    "workforce:leaver-create": Access(WORKFORCE_WRITERS, kwargs=_employment),
    "workforce:change-create": Access(WORKFORCE_WRITERS, kwargs=_employment),
    "workforce:caseload-entry": Access(
        STAFF_READERS,
        post_roles=CASELOAD_WRITERS,
        notes="directors see the grid read-only; POST needs CASELOAD_WRITERS",
    ),
}
