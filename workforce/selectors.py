"""Reads of workforce data. Other apps read workforce through these functions.

``active_on`` is the one place the "active on date D" rule is written (see models.py).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from core.roles import is_team_limited

from .choices import ContractType
from .models import Assignment, CaseloadSnapshot, Employment, Person, Team


def active_on(date: dt.date, *, start: str, end: str, prefix: str = "") -> Q:
    """Q for records active on ``date``: ``start <= date`` and (``end`` empty or ``end > date``)."""
    return Q(**{f"{prefix}{start}__lte": date}) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gt": date})
    )


def employment_active_q(date: dt.date, prefix: str = "") -> Q:
    return active_on(date, start="start_date", end="end_date", prefix=prefix)


def assignment_active_q(date: dt.date, prefix: str = "") -> Q:
    return active_on(date, start="effective_from", end="effective_to", prefix=prefix)


def employments_in_post(*, as_of: dt.date, agency: bool | None = None) -> QuerySet[Employment]:
    """Employments in post on ``as_of`` (employed and agency unless ``agency`` says)."""
    qs = Employment.objects.filter(employment_active_q(as_of))
    if agency is True:
        qs = qs.filter(contract_type=ContractType.AGENCY)
    elif agency is False:
        qs = qs.exclude(contract_type=ContractType.AGENCY)
    return qs


def assignments_on(*, as_of: dt.date) -> QuerySet[Assignment]:
    """Assignments in force on ``as_of`` for employments in post on ``as_of``."""
    return Assignment.objects.filter(
        assignment_active_q(as_of), employment_active_q(as_of, prefix="employment__")
    )


def assignment_on(*, employment: Employment, date: dt.date) -> Assignment | None:
    """The assignment of ``employment`` in force on ``date`` (the last one, on or after its end)."""
    return (
        employment.assignments.filter(effective_from__lte=date).order_by("-effective_from").first()
    )


def current_assignment(*, employment: Employment) -> Assignment | None:
    return employment.assignments.order_by("-effective_from").first()


def teams_visible_to(user) -> QuerySet[Team]:
    """Teams a user may see people in: all, or a service manager's own."""
    teams = Team.objects.select_related("service_area")
    if is_team_limited(user):
        return teams.filter(managers=user)
    return teams


def people_visible_to(user) -> QuerySet[Person]:
    """People a user may see: everyone, or for a service manager, people who have ever
    worked in one of their teams."""
    people = Person.objects.all()
    if is_team_limited(user):
        in_my_teams = Assignment.objects.filter(
            employment__person=OuterRef("pk"), team__managers=user
        )
        people = people.filter(Exists(in_my_teams))
    return people


def person_timeline(*, person: Person) -> list[dict]:
    """A person's whole history, oldest first: starts, changes and leavings, each an event
    ``{"date", "kind", "title", "detail", "employment", "assignment"}``."""
    employments = person.employments.select_related("agency").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("team", "grade", "post").order_by(
                "effective_from"
            ),
        )
    )
    events: list[dict] = []
    for employment in employments:
        assignments = list(employment.assignments.all())
        for index, assignment in enumerate(assignments):
            previous = assignments[index - 1] if index else None
            events.append(
                {
                    "date": assignment.effective_from,
                    "kind": assignment.change_reason if previous else "start",
                    "title": _assignment_title(employment, assignment, previous),
                    "detail": _assignment_detail(assignment, previous),
                    "employment": employment,
                    "assignment": assignment,
                }
            )
        if employment.end_date:
            events.append(
                {
                    "date": employment.end_date,
                    "kind": "leave",
                    "title": "Agency placement ended" if employment.is_agency else "Left",
                    "detail": ", ".join(
                        filter(
                            None,
                            [
                                employment.get_leaving_reason_display()
                                if employment.leaving_reason
                                else "",
                                employment.get_leaving_destination_display()
                                if employment.leaving_destination
                                else "",
                            ],
                        )
                    ),
                    "employment": employment,
                    "assignment": None,
                }
            )
    order = {"start": 0, "leave": 2}
    events.sort(key=lambda e: (e["date"], order.get(e["kind"], 1)))
    return events


def _assignment_title(employment: Employment, assignment: Assignment, previous) -> str:
    if previous is None:
        what = (
            f"Agency placement started ({employment.agency})"
            if employment.is_agency
            else f"Started ({employment.get_contract_type_display().lower()})"
        )
        return what
    return assignment.get_change_reason_display()


def _assignment_detail(assignment: Assignment, previous: Assignment | None) -> str:
    parts = []
    if previous is None or previous.team_id != assignment.team_id:
        parts.append(f"Team: {assignment.team}")
    if (previous is None or previous.grade_id != assignment.grade_id) and assignment.grade:
        parts.append(f"Grade: {assignment.grade}")
    if previous is None or previous.org_role != assignment.org_role:
        parts.append(f"Role: {assignment.get_org_role_display()}")
    if previous is None or previous.fte != assignment.fte:
        parts.append(f"FTE: {assignment.fte.normalize():f}")
    if previous is None or previous.is_asye != assignment.is_asye:
        parts.append("ASYE" if assignment.is_asye else "Not ASYE")
    return "; ".join(parts)


def caseloads_for_team_week(*, team: Team, date: dt.date) -> dict[int, int]:
    """Cases already recorded for a team's workers on ``date``: ``{employment_id: cases}``."""
    return dict(
        CaseloadSnapshot.objects.filter(team=team, date=date).values_list("employment_id", "cases")
    )


def team_members_on(*, team: Team, date: dt.date) -> QuerySet[Assignment]:
    """Assignments in ``team`` on ``date`` (employed and agency), with the person."""
    return (
        assignments_on(as_of=date)
        .filter(team=team)
        .select_related("employment__person", "grade")
        .order_by("employment__person__last_name", "employment__person__first_name")
    )


# --- People pages -------------------------------------------------------------------


def people_with_history(queryset: QuerySet[Person]) -> QuerySet[Person]:
    """``queryset`` with every employment and assignment loaded in a fixed number of
    queries, for lists that show each person's position (``person_position``)."""
    return queryset.prefetch_related(
        Prefetch(
            "employments",
            queryset=Employment.objects.select_related("agency")
            .prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related(
                        "team__service_area", "grade"
                    ).order_by("effective_from"),
                )
            )
            .order_by("start_date"),
        )
    )


def person_position(*, person: Person, as_of: dt.date) -> dict:
    """A person's position on ``as_of`` from prefetched history (see
    ``people_with_history``): ``{"employment", "assignment", "status", "in_post"}``.

    In post on ``as_of``: that employment and its terms then. Otherwise their latest
    employment with its last terms, and a status saying when they left (or will start).
    """
    employments = list(person.employments.all())
    if not employments:
        return {"employment": None, "assignment": None, "status": "No employment", "in_post": False}
    current = next(
        (
            e
            for e in employments
            if e.start_date <= as_of and (e.end_date is None or e.end_date > as_of)
        ),
        None,
    )
    employment = current or max(employments, key=lambda e: e.start_date)
    assignments = list(employment.assignments.all())
    if current is not None:
        in_force = [a for a in assignments if a.effective_from <= as_of]
        assignment = in_force[-1] if in_force else (assignments[0] if assignments else None)
        status = "In post"
    else:
        assignment = assignments[-1] if assignments else None
        if employment.start_date > as_of:
            status = f"Starts on {employment.start_date.day} {employment.start_date:%B %Y}"
        else:
            status = f"Left on {employment.end_date.day} {employment.end_date:%B %Y}"
    return {
        "employment": employment,
        "assignment": assignment,
        "status": status,
        "in_post": current is not None,
    }


def person_audit_trail(*, person: Person) -> list[dict]:
    """The audit trail (django-auditlog) of a person, their employments and assignments,
    newest first: ``{"when", "who", "action", "what", "changes": [(label, before, after)]}``.

    Only the record's own fields are listed (not ids, timestamps or related lists), with
    code values shown by their labels.
    """
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    employment_ids = [str(pk) for pk in person.employments.values_list("pk", flat=True)]
    assignment_ids = [
        str(pk)
        for pk in Assignment.objects.filter(employment__person=person).values_list("pk", flat=True)
    ]
    types = ContentType.objects.get_for_models(Person, Employment, Assignment)
    entries = (
        LogEntry.objects.filter(
            Q(content_type=types[Person], object_pk=str(person.pk))
            | Q(content_type=types[Employment], object_pk__in=employment_ids)
            | Q(content_type=types[Assignment], object_pk__in=assignment_ids)
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
    trail = []
    for entry in entries:
        model = entry.content_type.model_class()
        shown = {
            f.name: str(f.verbose_name)
            for f in model._meta.concrete_fields
            if f.name not in {"id", "created_at", "updated_at", "version"}
        }
        display = entry.changes_display_dict
        changes = []
        for name, values in entry.changes_dict.items():
            if name not in shown:
                continue
            before, after = display.get(shown[name], values)
            changes.append((shown[name], _audit_value(before), _audit_value(after)))
        trail.append(
            {
                "when": entry.timestamp,
                "who": entry.actor,
                "action": entry.get_action_display(),
                "what": model._meta.verbose_name,
                "object": entry.object_repr,
                "changes": changes,
            }
        )
    return trail


def _audit_value(value) -> str:
    return "(empty)" if value in (None, "None", "") else str(value)


# --- Forecasting (dashboards.forecast) -------------------------------------------------


def employment_history_rows(*, as_of: dt.date) -> list[tuple]:
    """Every assignment of every employment that had started by ``as_of``, one tuple each:
    ``(employment_id, contract_type, start_date, end_date, leaving_destination,
    effective_from, effective_to, fte, org_role)`` - what the forecast fits its flows to.
    Assignments starting after ``as_of`` are left out; later leaving dates are kept (the
    forecast itself treats anything after its start as unknown)."""
    return list(
        Assignment.objects.filter(employment__start_date__lte=as_of, effective_from__lte=as_of)
        .order_by("employment_id", "effective_from")
        .values_list(
            "employment_id",
            "employment__contract_type",
            "employment__start_date",
            "employment__end_date",
            "employment__leaving_destination",
            "effective_from",
            "effective_to",
            "fte",
            "org_role",
        )
    )


def establishment_rows(*, as_of: dt.date) -> list[tuple]:
    """The funded posts known by ``as_of``: ``(valid_from, valid_to, fte)``."""
    from .models import Post

    return list(
        Post.objects.filter(valid_from__lte=as_of).values_list("valid_from", "valid_to", "fte")
    )
