"""What a figure covers: the whole service, a service area, a team, a DfE role, or the
case-holding teams only. Every figure is shown with its scope.

``Scope.parse("team:Family Safeguarding North")`` reads the form used on the command
line and in the API (``all``, ``caseholding``, ``area:<name>``, ``team:<name>``,
``role:<DfE OrgRole code>``); ``str(scope)`` gives it back. A team or area is matched by
name (ignoring case) and stored with its recorded spelling.

A scope selects *component rows* keyed by (team, DfE role): team, area and case-holding
scopes follow the team a worker was in on the date, role scopes the worker's DfE role
on the date (for establishment, the default role of the post's grade).
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.choices import OrgRole

KINDS = ("all", "area", "team", "role", "caseholding")


@dataclass(frozen=True)
class TeamInfo:
    """What a scope needs to know about a team."""

    id: int
    name: str
    area: str
    is_case_holding: bool


@dataclass(frozen=True)
class Scope:
    kind: str = "all"
    value: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Unknown scope kind {self.kind!r}: use one of {', '.join(KINDS)}.")

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else self.kind

    @classmethod
    def parse(cls, text: str | None) -> Scope:
        """The scope written as ``all``, ``caseholding``, ``area:<name>``, ``team:<name>`` or
        ``role:<code>``. Raises ``ValueError`` with a message a person can act on."""
        from workforce.models import ServiceArea, Team

        text = (text or "all").strip()
        kind, _, value = text.partition(":")
        kind, value = kind.strip().lower(), value.strip()
        if kind in ("all", "caseholding"):
            if value:
                raise ValueError(f"Scope {kind!r} takes no name (you wrote {text!r}).")
            return cls(kind)
        if kind not in KINDS:
            raise ValueError(
                f"Unknown scope {text!r}: use all, caseholding, area:<service area>, "
                "team:<team name> or role:<DfE role code 1-6>."
            )
        if not value:
            raise ValueError(
                f"Scope {kind!r} needs a name or code after the colon, e.g. {kind}:..."
            )
        if kind == "team":
            team = Team.objects.filter(name__iexact=value).first()
            if team is None:
                raise ValueError(f"There is no team called {value!r}.")
            return cls("team", team.name)
        if kind == "area":
            area = ServiceArea.objects.filter(name__iexact=value).first()
            if area is None:
                raise ValueError(f"There is no service area called {value!r}.")
            return cls("area", area.name)
        codes = {str(code.value): code for code in OrgRole}
        if value not in codes:
            choices = ", ".join(f"{c.value} {c.label}" for c in OrgRole)
            raise ValueError(f"Unknown DfE role {value!r}: use a code ({choices}).")
        return cls("role", value)

    @property
    def label(self) -> str:
        """The scope in words, shown with every figure."""
        if self.kind == "all":
            return "Whole service"
        if self.kind == "caseholding":
            return "Case-holding teams"
        if self.kind == "area":
            return f"Service area: {self.value}"
        if self.kind == "team":
            return f"Team: {self.value}"
        return f"DfE role: {OrgRole(int(self.value)).label}"

    def includes(self, team: TeamInfo, org_role: int) -> bool:
        """Whether a component row of ``team`` and DfE ``org_role`` is in this scope."""
        if self.kind == "all":
            return True
        if self.kind == "caseholding":
            return team.is_case_holding
        if self.kind == "team":
            return team.name == self.value
        if self.kind == "area":
            return team.area == self.value
        return org_role == int(self.value)


def team_infos() -> dict[int, TeamInfo]:
    """Every team with what scopes need (one query)."""
    from workforce.models import Team

    rows = Team.objects.values_list("id", "name", "service_area__name", "is_case_holding")
    return {row[0]: TeamInfo(*row) for row in rows}


def all_scopes() -> list[Scope]:
    """Whole service, case-holding teams, every service area, every team, every DfE role."""
    from workforce.models import ServiceArea, Team

    return [
        Scope("all"),
        Scope("caseholding"),
        *(Scope("area", name) for name in ServiceArea.objects.values_list("name", flat=True)),
        *(
            Scope("team", name)
            for name in Team.objects.order_by("name").values_list("name", flat=True)
        ),
        *(Scope("role", str(code.value)) for code in OrgRole),
    ]
