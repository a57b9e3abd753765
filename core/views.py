"""Pages of the core app: the retention page for admins."""

from __future__ import annotations

from django.views.generic import TemplateView

from .retention import retention_rules
from .roles import Role, RoleRequiredMixin


class RetentionView(RoleRequiredMixin, TemplateView):
    """What is kept and for how long (the settings in force), for admins."""

    allowed_roles = frozenset({Role.ADMIN})
    template_name = "core/retention.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rules": retention_rules()}
