"""Permission matrix entries for the project-level URLs (config/urls.py)."""

from core.roles import ALL_ROLES
from tests.access import Access

EXPECTED = {
    # "/" sends everyone with a role on to the dashboard overview.
    "home": Access(ALL_ROLES, ok_status=302),
    "login": Access(ALL_ROLES, public=True, notes="the sign-in page is open to everyone"),
    "logout": Access(
        ALL_ROLES,
        ok_status=405,
        public=True,
        notes="Django 5 signs out on POST only; GET is refused for everyone",
    ),
    "password_change": Access(ALL_ROLES, any_signed_in=True),
    "password_change_done": Access(ALL_ROLES, any_signed_in=True),
    "api-schema": Access(ALL_ROLES, api=True),
    "api-docs": Access(ALL_ROLES, api=True),
}
