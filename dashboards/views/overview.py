"""The Overview page: a tile per headline KPI, the other apps' figures and the pages
the user's role can use."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from core.roles import STAFF_READERS, has_role, user_roles

from .. import selectors
from ..kpis import Scope
from .base import DashboardView
from .home import destinations_for


def overview_page(*, as_of: dt.date, scope: Scope, limit: int, suppress: bool) -> dict:
    """A tile per headline KPI at ``as_of`` in ``scope``, the other families' figures and
    the recommendations' summary (today's)."""
    tiles = selectors.dashboard_tiles(scope=str(scope), as_of=as_of, suppress=suppress, limit=limit)
    families = selectors.other_family_kpis(
        scope=str(scope), as_of=as_of, suppress=suppress, limit=limit
    )
    recommendations = selectors.recommendations_summary(as_of=timezone.localdate())
    return {
        "tiles": tiles,
        "families": families,
        "recommendations": recommendations,
        "charts": [],
    }


class OverviewView(DashboardView):
    """A tile per headline KPI, the other apps' figures when they have any, and the
    pages the user's role can use."""

    template_name = "dashboards/overview.html"
    page_name = "overview"
    page_title = "Overview"
    heading = "Workforce dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_names"] = sorted(role.value for role in user_roles(user))
        context["destinations"] = destinations_for(user)
        context["sees_named_people"] = has_role(user, STAFF_READERS)
        return context

    def cache_parts(self) -> list[str]:
        # The recommendations summary changes on its own, not with the KPI snapshots.
        return [str(selectors.recommendations_version())]

    def build(self, *, as_of, scope, years, limit):
        return overview_page(as_of=as_of, scope=scope, limit=limit, suppress=self.suppress)
