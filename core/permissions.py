"""REST API permissions: the same role rules as the pages (see ``core.roles``).

An API view declares ``allowed_roles`` (who may read) and, if it accepts writes,
``write_roles``. A view that declares neither is refused for everyone.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .roles import has_role


class DenyUnlessRoleDeclared(BasePermission):
    message = "Your role does not give access to this resource."

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None:
            return False
        if request.method in SAFE_METHODS:
            return has_role(request.user, allowed)
        return has_role(request.user, getattr(view, "write_roles", frozenset()))
