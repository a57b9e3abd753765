"""Django permissions for the Admin role, so admins manage users and reference data in the
Django admin without being superusers.

Roles are groups without Django model permissions (see ``core.roles``); this backend
gives users holding the Admin role every permission on the project's own apps, users and
login lockouts, read-only access to the audit trail (nobody edits history), and may see and
revoke API tokens but not make one (its key would pass through the admin).
Signing in to the admin site still needs ``is_staff``.
"""

from django.contrib.auth.backends import BaseBackend

from core.roles import Role, user_roles

MANAGED_APPS = frozenset(
    {
        "auth",
        "axes",
        "workforce",
        "recruitment",
        "exits",
        "recommendations",
        "dashboards",
    }
)
READ_ONLY_APPS = frozenset({"auditlog"})
#: API tokens (django-rest-knox): admins see who has one and until when, and may revoke
#: one; a token is only ever issued to its user, through the API (its key is shown once).
REVOKE_ONLY_APPS = frozenset({"knox"})


class AdminRoleBackend(BaseBackend):
    """Grants permissions only; authentication is left to the other backends."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not getattr(user_obj, "is_active", False) or Role.ADMIN not in user_roles(user_obj):
            return False
        app_label, _, codename = perm.partition(".")
        if app_label in READ_ONLY_APPS:
            return codename.startswith("view_")
        if app_label in REVOKE_ONLY_APPS:
            return codename.startswith(("view_", "delete_"))
        return app_label in MANAGED_APPS

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        if not getattr(user_obj, "is_active", False) or Role.ADMIN not in user_roles(user_obj):
            return False
        return app_label in MANAGED_APPS | READ_ONLY_APPS | REVOKE_ONLY_APPS
