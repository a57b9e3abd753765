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

from workforce.demo import DEMO_MANAGER_AREA
from workforce.models import ServiceArea, Team
from workforce.roles import Role

#: (role, username, what they can see). Each password is ``demoshire-<username>``.
DEMO_LOGINS = [
    (Role.HR_OFFICER, "hr", "Everyone's records; records starters, leavers, changes; audit trail"),
    (Role.SERVICE_MANAGER, "manager", "Their own teams' people, caseloads, vacancies and leavers"),
    (Role.DIRECTOR, "director", "Everything, read-only; exports the committee report pack"),
    (Role.SCRUTINY_MEMBER, "scrutiny", "Dashboards only: no named person, small counts hidden"),
    (Role.LEAD_MEMBER, "lead", "Aggregate dashboards; recommendations and the executive response"),
    (Role.ADMIN, "admin", "Everything, plus users and reference data in /admin/"),
]  # fmt: skip


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
        for role, username, sees in DEMO_LOGINS:
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
        headers = ("Role", "Username", "Password", "What they can see")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(h.ljust(w) for h, w in zip(headers, [*widths, 0], strict=False))
        self.stdout.write(line.rstrip())
        self.stdout.write("  ".join("-" * w for w in widths) + "  " + "-" * 17)
        for row in rows:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
            )
        self.stdout.write("Sign in at /accounts/login/.")
