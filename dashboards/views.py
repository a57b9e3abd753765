"""Dashboard pages (thin views), the site's home redirect and its error pages.

The overview is, for now, a landing page: who is signed in, in which role, and links to
what that role can use. KPI tiles arrive with the KPI engine; until then it shows no
figures and never a named person, so every role (scrutiny members included) may open it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.views.generic import RedirectView, TemplateView

from workforce.roles import (
    ALL_ROLES,
    CASELOAD_WRITERS,
    DASHBOARD_READERS,
    STAFF_READERS,
    WORKFORCE_WRITERS,
    Role,
    RoleRequiredMixin,
    has_role,
    user_roles,
)


@dataclass(frozen=True)
class Destination:
    """A page a role can use, as listed on the landing page."""

    url_name: str
    title: str
    description: str
    roles: frozenset[Role]
    staff_only: bool = False  # also needs Django's is_staff (the admin site)


DESTINATIONS: tuple[Destination, ...] = (
    Destination(
        "workforce:person-list",
        "People",
        "Find social workers by team, role, contract or dates and open their history.",
        STAFF_READERS,
    ),
    Destination(
        "workforce:starter-create",
        "Record a starter",
        "Add a new or returning social worker and their employment.",
        WORKFORCE_WRITERS,
    ),
    Destination(
        "workforce:caseload-entry",
        "Enter caseloads",
        "Record a team's caseloads for a week.",
        CASELOAD_WRITERS,
    ),
    Destination(
        "census:upload",
        "Census return",
        "Import or prepare the DfE children's social work workforce census.",
        WORKFORCE_WRITERS,
    ),
    Destination(
        "api-docs",
        "API documentation",
        "The workforce API for other council systems.",
        ALL_ROLES,
    ),
    Destination(
        "admin:index",
        "Administration",
        "Manage users, roles and reference data: teams, posts, grades and agencies.",
        frozenset({Role.ADMIN}),
        staff_only=True,
    ),
    Destination(
        "password_change",
        "Change your password",
        "Choose a new password for your account.",
        ALL_ROLES,
    ),
)


def destinations_for(user) -> list[dict[str, str]]:
    """The pages ``user``'s roles can use, leaving out any not yet built."""
    links = []
    for destination in DESTINATIONS:
        if not has_role(user, destination.roles):
            continue
        if destination.staff_only and not user.is_staff:
            continue
        try:
            url = reverse(destination.url_name)
        except NoReverseMatch:
            continue
        links.append(
            {"url": url, "title": destination.title, "description": destination.description}
        )
    return links


class HomeView(RoleRequiredMixin, RedirectView):
    """Everyone with a role lands on the dashboard overview (sign-in first)."""

    allowed_roles = ALL_ROLES
    pattern_name = "dashboards:overview"


class OverviewView(RoleRequiredMixin, TemplateView):
    """The landing page after sign-in: your role and what you can use."""

    allowed_roles = DASHBOARD_READERS
    template_name = "dashboards/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["role_names"] = sorted(role.value for role in user_roles(user))
        context["destinations"] = destinations_for(user)
        context["sees_named_people"] = has_role(user, STAFF_READERS)
        return context


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in the database or a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())
