"""Permission-matrix entries for the core pages (core/urls.py; see tests/access.py).

The retention page: admins only."""

from core.roles import Role
from tests.access import Access

EXPECTED = {
    "core:retention": Access(frozenset({Role.ADMIN})),
}
