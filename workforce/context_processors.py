"""Template context: the signed-in user's roles, for navigation."""

from core.roles import AUDIT_READERS, STAFF_READERS, WORKFORCE_WRITERS, Role, has_role, user_roles


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": frozenset()}
    return {
        "user_roles": sorted(r.value for r in user_roles(user)),
        "can_see_staff": has_role(user, STAFF_READERS),
        "can_edit_workforce": has_role(user, WORKFORCE_WRITERS),
        "can_see_audit": has_role(user, AUDIT_READERS),
        "is_admin": has_role(user, {Role.ADMIN}),
    }
