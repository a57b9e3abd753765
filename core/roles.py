"""Roles: who may do what. A role is a Django group created by a data migration.

Every HTML view declares ``allowed_roles`` (``RoleRequiredMixin``) and every API view
declares ``allowed_roles`` (and ``write_roles`` if it writes); a view that declares nothing
is refused for everyone, so a forgotten check fails closed. The permission matrix test
(tests/test_permission_matrix.py) requests every URL of the project as every role.

Admins (the Admin group or a superuser) may do everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.contrib.auth.mixins import AccessMixin
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction


class Role(StrEnum):
    HR_OFFICER = "HR officer"
    SERVICE_MANAGER = "Service manager"
    DIRECTOR = "Director"
    SCRUTINY_MEMBER = "Scrutiny member"
    LEAD_MEMBER = "Lead member"
    ADMIN = "Admin"


ALL_ROLES = frozenset(Role)
#: Roles that may see named people (never scrutiny or lead members).
STAFF_READERS = frozenset({Role.HR_OFFICER, Role.SERVICE_MANAGER, Role.DIRECTOR, Role.ADMIN})
#: Roles that may record and change workforce data.
WORKFORCE_WRITERS = frozenset({Role.HR_OFFICER, Role.ADMIN})
#: Roles that may record caseloads (service managers for their own teams only).
CASELOAD_WRITERS = frozenset({Role.HR_OFFICER, Role.SERVICE_MANAGER, Role.ADMIN})
#: Roles that may see the audit trail.
AUDIT_READERS = frozenset({Role.HR_OFFICER, Role.ADMIN})
#: Everyone with a role: aggregate dashboards only.
DASHBOARD_READERS = ALL_ROLES


def user_roles(user) -> frozenset[Role]:
    """The roles of ``user`` (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is not None:
        return cached
    names = _group_names(user)
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    user._roles_cache = frozenset(roles)
    return user._roles_cache


#: The longest a user's group names are reused without being read again (changes made
#: through the ORM clear them at once: ``workforce.signals``).
GROUP_NAMES_CACHE_SECONDS = 300


def _group_names_key(user_pk) -> str:
    return f"workforce:group-names:{user_pk}"


def _group_names(user) -> frozenset[str]:
    """The names of ``user``'s groups, from the cache when they are there: every request
    checks the user's roles, so this saves a query on each."""
    key = _group_names_key(user.pk)
    names = cache.get(key)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        cache.set(key, names, GROUP_NAMES_CACHE_SECONDS)
    return names


def forget_group_names(user_pks: Iterable[int]) -> None:
    """Read these users' groups again on their next request: now, and again when the
    transaction commits (so a request running meanwhile cannot keep the old ones)."""
    keys = [_group_names_key(pk) for pk in user_pks]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def has_role(user, roles: Iterable[Role]) -> bool:
    """True if the user has one of ``roles``; admins pass every check."""
    mine = user_roles(user)
    return Role.ADMIN in mine or bool(mine & set(roles))


def is_team_limited(user) -> bool:
    """Service managers see only their own teams unless they also hold a wider role."""
    mine = user_roles(user)
    return Role.SERVICE_MANAGER in mine and not (
        mine & {Role.HR_OFFICER, Role.DIRECTOR, Role.ADMIN}
    )


class RoleRequiredMixin(AccessMixin):
    """Class-based views: sign-in required, then one of ``allowed_roles`` (else 403)."""

    allowed_roles: frozenset[Role] | None = None

    def dispatch(self, request, *args, **kwargs):
        if self.allowed_roles is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare allowed_roles.")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, self.allowed_roles):
            raise PermissionDenied("Your role does not give access to this page.")
        return super().dispatch(request, *args, **kwargs)
