"""Permission-matrix entries for the core pages (core/urls.py; see tests/access.py).

The retention page: admins only."""

from tests.access import Access
from workforce.roles import Role

EXPECTED = {
    "core:retention": Access(frozenset({Role.ADMIN})),
}
