"""``manage.py demo_logins``: one demo sign-in per role, for trying the product locally.

Idempotent: a second run finds the same users and resets their passwords and roles to
the demo ones. The passwords are fixed and printed on screen, so this refuses to run
unless DEBUG is on (local settings) or --force is given.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.roles import Role
from workforce.demo import DEMO_MANAGER_AREA
from workforce.models import ServiceArea, Team

#: (role, username). Each password is ``demoshire-<username>``.
DEMO_LOGINS = [
    (Role.HR_OFFICER, "hr"),
    (Role.SERVICE_MANAGER, "manager"),
    (Role.DIRECTOR, "director"),
    (Role.SCRUTINY_MEMBER, "scrutiny"),
    (Role.LEAD_MEMBER, "lead"),
    (Role.ADMIN, "admin"),
]


def capabilities() -> list[tuple[str, frozenset]]:
    """What a role can do, phrase by phrase, each with the roles the pages themselves let
    do it (the same role sets the views check), so the list cannot drift from the code."""
    from core.roles import (
        AUDIT_READERS,
        CASELOAD_WRITERS,
        STAFF_READERS,
        WORKFORCE_WRITERS,
    )
    from dashboards.reports.views import REPORT_MAKERS
    from exits.views import EXIT_OFFICERS
    from recommendations.access import COMMENTERS, PROGRESS_WRITERS, RESPONSE_WRITERS
    from recruitment.roles import APPLICANT_DATA_ERASERS, RECRUITMENT_WRITERS
    from workforce.census.views import CENSUS_EXPORTERS

    return [
        ("sees named people, vacancies and applicants", STAFF_READERS),
        ("records starters, leavers and changes, imports the census", WORKFORCE_WRITERS),
        ("enters caseloads", CASELOAD_WRITERS),
        ("runs recruitment (vacancies, applicants, starts)", RECRUITMENT_WRITERS),
        ("deletes applicants' personal data", APPLICANT_DATA_ERASERS),
        ("records exit interviews", EXIT_OFFICERS),
        ("reads the audit trail", AUDIT_READERS),
        ("exports the census return", CENSUS_EXPORTERS),
        ("makes committee report packs", REPORT_MAKERS),
        ("records recommendation progress and actions", PROGRESS_WRITERS),
        ("records the executive's response to recommendations", RESPONSE_WRITERS),
        ("comments on recommendations", COMMENTERS),
    ]


def role_summary(role: Role) -> str:
    """One line saying what ``role`` can do (every role reads the dashboards)."""
    if role == Role.ADMIN:
        return "Everything every other role can do, plus users and reference data in /admin/"
    can = [phrase for phrase, roles in capabilities() if role in roles]
    if role == Role.SERVICE_MANAGER:
        can = [f"{phrase} (own teams)" if "people" in phrase or "recruitment" in phrase
               or "caseloads" in phrase else phrase for phrase in can]  # fmt: skip
    if role in (Role.SCRUTINY_MEMBER, Role.LEAD_MEMBER):
        reads = "Dashboards and the recommendations tracker, small counts hidden, no named person"
    else:
        reads = "Dashboards and the recommendations tracker"
    return "; ".join([reads, *can])


def demo_password(username: str) -> str:
    return f"demoshire-{username}"


def demo_manager_teams():
    """The teams the demo service manager manages: those of one service area."""
    area = (
        ServiceArea.objects.filter(name=DEMO_MANAGER_AREA).first()
        or ServiceArea.objects.filter(teams__isnull=False).order_by("name").first()
    )
    return (Team.objects.filter(service_area=area) if area else Team.objects.none()), area


class Command(BaseCommand):
    help = "Create (or reset) one demo sign-in per role and print them. Local demo only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a live system: the passwords are public).",
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_logins creates users with published passwords, so it only runs with "
                "DEBUG on (local settings). Use --force only on a throwaway demo system."
            )
        User = get_user_model()
        teams, area = demo_manager_teams()
        rows = []
        for role, username in DEMO_LOGINS:
            sees = role_summary(role)
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = "Demo", str(role)
            user.is_active = True
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.set_password(demo_password(username))
            user.save()
            user.groups.set([Group.objects.get(name=str(role))])
            if role == Role.SERVICE_MANAGER:
                user.managed_teams.set(teams)
                if area is not None:
                    sees = f"{sees} ({area}: {teams.count()} teams)"
                else:
                    sees = f"{sees} (no teams yet: run seed_demo, then this again)"
            rows.append((str(role), username, demo_password(username), sees))

        self.stdout.write(
            self.style.WARNING(
                "DEMO-ONLY CREDENTIALS: these passwords are published. Never create them on a "
                "system holding real data."
            )
        )
        headers = ("Role", "Username", "Password", "What they can do")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, [*widths, 0], strict=False))
        self.stdout.write(line.rstrip())
        self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 17)
        for row in rows:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
        self.stdout.write("Sign in at /accounts/login/.")
