"""The site's home (a redirect to the overview) and the pages each role can use, as
listed on the overview."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.views.generic import RedirectView

from core.roles import (
    ALL_ROLES,
    CASELOAD_WRITERS,
    STAFF_READERS,
    WORKFORCE_WRITERS,
    Role,
    RoleRequiredMixin,
    has_role,
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
