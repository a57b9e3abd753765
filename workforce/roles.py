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
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


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
    names = set(user.groups.values_list("name", flat=True))
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    user._roles_cache = frozenset(roles)
    return user._roles_cache


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
