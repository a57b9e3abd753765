"""Reads of the exits app: who may see which exit records, the follow-up lists, and the
aggregate analysis (themes by quarter / team / length of service / route / protected
characteristic, leavers by DfE reason and destination, leaving within 1-3 years,
retention statement scores, interview coverage).

Aggregates come back as plain counts; ``exits.views`` applies small-number suppression
(``workforce.suppression``) for the roles that must only see suppressed figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from core import dates
from core.roles import is_team_limited
from workforce.choices import (
    ContractType,
    Ethnicity,
    Gender,
    LeaverDestination,
    QualificationRoute,
    ReasonLeave,
)
from workforce.models import Assignment, Employment, Team
from workforce.selectors import teams_visible_to

from .choices import RETENTION_STATEMENTS, Destination
from .models import ExitQuestionnaire, ExitRecord, ExitTheme, QuestionnaireLink
from .services import token_hash


def overdue_days() -> int:
    """Days after the leaving date by which an exit interview should be completed."""
    return int(getattr(settings, "EXIT_INTERVIEW_OVERDUE_DAYS", 28))


def _last_assignment(field: str) -> Subquery:
    return Subquery(
        Assignment.objects.filter(employment=OuterRef("employment"))
        .order_by("-effective_from")
        .values(field)[:1]
    )


def exit_records_visible_to(user) -> QuerySet[ExitRecord]:
    """Exit records with the leaver, their last team and DfE role (``leaving_team_id``,
    ``leaving_org_role``), limited to a service manager's own teams."""
    records = ExitRecord.objects.select_related(
        "employment__person", "employment__agency"
    ).annotate(
        leaving_team_id=_last_assignment("team"), leaving_org_role=_last_assignment("org_role")
    )
    if is_team_limited(user):
        records = records.filter(leaving_team_id__in=teams_visible_to(user).values("pk"))
    return records


def exit_records_list(
    *, queryset: QuerySet[ExitRecord], status: str = "", today: dt.date | None = None
) -> QuerySet[ExitRecord]:
    """``status``: ``not_offered``, ``offered_not_completed``, ``overdue`` (not completed
    or declined ``overdue_days()`` after leaving), ``completed``; empty for all."""
    today = today or timezone.localdate()
    if status == "not_offered":
        queryset = queryset.filter(offered_on__isnull=True)
    elif status == "offered_not_completed":
        queryset = queryset.filter(offered_on__isnull=False, completed_on__isnull=True).exclude(
            response="declined"
        )
    elif status == "overdue":
        queryset = queryset.filter(
            completed_on__isnull=True,
            employment__end_date__lt=today - dt.timedelta(days=overdue_days()),
        ).exclude(response="declined")
    elif status == "completed":
        queryset = queryset.filter(completed_on__isnull=False)
    return queryset.order_by("-employment__end_date", "pk")


def questionnaire_link_for_token(
    *, token: str, now: dt.datetime | None = None
) -> QuestionnaireLink | None:
    """The link a token opens, or None if it is unknown, used or expired (the caller
    shows one plain page for all three, so nothing is learnt by guessing)."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None
    return (
        QuestionnaireLink.objects.select_related("exit_record")
        .filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )


def active_themes() -> QuerySet[ExitTheme]:
    return ExitTheme.objects.filter(is_active=True)


# --- Analysis ---------------------------------------------------------------------

#: The bands' labels, in order (``core.dates``).
LENGTH_OF_SERVICE_BANDS = tuple(label for _key, label, _low, _high in dates.LENGTH_OF_SERVICE_BANDS)
ETHNIC_GROUPS = {
    "W": "White",
    "M": "Mixed",
    "A": "Asian or Asian British",
    "B": "Black or Black British",
    "C": "Chinese or other",
    "O": "Chinese or other",
}
DIMENSIONS = {
    "quarter": "Quarter left",
    "team": "Team",
    "service_area": "Service area",
    "length_of_service": "Length of service",
    "route": "Route into social work",
    "ethnicity": "Ethnic group",
    "gender": "Gender",
    "contract": "Employed or agency",
}


def quarter_label(date: dt.date) -> str:
    q = (date.month - 1) // 3
    return f"{('Jan-Mar', 'Apr-Jun', 'Jul-Sep', 'Oct-Dec')[q]} {date.year}"


def _quarter_key(date: dt.date) -> tuple[int, int]:
    return (date.year, (date.month - 1) // 3)


@dataclass
class Leaver:
    """One leaving as the analysis sees it (no names)."""

    employment_id: int
    start: dt.date
    end: dt.date
    agency: bool
    team: str
    service_area: str
    reason: int | None
    destination: int | None
    route: str
    ethnicity: str
    gender: int | None
    record: ExitRecord | None
    questionnaire: ExitQuestionnaire | None
    themes: frozenset[str]

    def value(self, dimension: str) -> str:
        if dimension == "quarter":
            return quarter_label(self.end)
        if dimension == "team":
            return self.team
        if dimension == "service_area":
            return self.service_area
        if dimension == "length_of_service":
            return dates.length_of_service_label(self.start, self.end)
        if dimension == "route":
            return QualificationRoute(self.route).label if self.route else "Not recorded"
        if dimension == "ethnicity":
            if not self.ethnicity or self.ethnicity in (Ethnicity.REFU, Ethnicity.NOBT):
                return "Not known or refused"
            return ETHNIC_GROUPS.get(self.ethnicity[0], "Chinese or other")
        if dimension == "gender":
            return Gender(self.gender).label if self.gender is not None else "Not known"
        if dimension == "contract":
            return "Agency" if self.agency else "Employed"
        raise ValueError(dimension)


def leavers_between(
    *, start: dt.date, end: dt.date, teams: QuerySet[Team] | None = None
) -> list[Leaver]:
    """Every leaving (employed and agency) with a leaving date from ``start`` to ``end``
    inclusive, in ``teams`` (their team on their last day) if given."""
    employments = (
        Employment.objects.filter(end_date__gte=start, end_date__lte=end)
        .select_related("person", "exit_record__questionnaire")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("team__service_area").order_by(
                    "effective_from"
                ),
            ),
            "exit_record__questionnaire__themes",
            "exit_record__questionnaire__reasons",
        )
        .order_by("end_date", "pk")
    )
    team_ids = set(teams.values_list("pk", flat=True)) if teams is not None else None
    leavers = []
    for employment in employments:
        assignments = list(employment.assignments.all())
        last = assignments[-1] if assignments else None
        if team_ids is not None and (last is None or last.team_id not in team_ids):
            continue
        record = getattr(employment, "exit_record", None)
        questionnaire = getattr(record, "questionnaire", None) if record else None
        themes: set[str] = set()
        if questionnaire is not None:
            themes |= {t.name for t in questionnaire.themes.all()}
            themes |= {t.name for t in questionnaire.reasons.all()}
        person = employment.person
        leavers.append(
            Leaver(
                employment_id=employment.pk,
                start=employment.start_date,
                end=employment.end_date,
                agency=employment.contract_type == ContractType.AGENCY,
                team=last.team.name if last else "No team",
                service_area=last.team.service_area.name if last else "No team",
                reason=employment.leaving_reason,
                destination=employment.leaving_destination,
                route=person.qualification_route,
                ethnicity=person.ethnicity,
                gender=person.gender,
                record=record,
                questionnaire=questionnaire,
                themes=frozenset(themes),
            )
        )
    return leavers


def _ordered_columns(dimension: str, values: set[str]) -> list[str]:
    if dimension == "length_of_service":
        return [b for b in LENGTH_OF_SERVICE_BANDS if b in values]
    if dimension == "quarter":

        def key(label: str):
            month, year = label.split()
            return (int(year), ("Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec").index(month))

        return sorted(values, key=key)
    return sorted(values)


def themes_by(*, leavers: list[Leaver], dimension: str) -> dict:
    """Leavers who answered the questionnaire, by theme (their own reasons and the themes
    an officer confirmed, each leaver once per theme) and ``dimension``:
    ``{"columns", "themes", "grid": {(theme, column): n}, "answered": {column: n}}``."""
    answered = [leaver for leaver in leavers if leaver.questionnaire is not None]
    columns = _ordered_columns(dimension, {leaver.value(dimension) for leaver in answered})
    themes = [t.name for t in ExitTheme.objects.all()]
    grid = {(theme, column): 0 for theme in themes for column in columns}
    per_column: Counter = Counter()
    for leaver in answered:
        column = leaver.value(dimension)
        per_column[column] += 1
        for theme in leaver.themes:
            if (theme, column) in grid:
                grid[(theme, column)] += 1
    return {
        "columns": columns,
        "themes": themes,
        "grid": grid,
        "answered": {column: per_column[column] for column in columns},
    }


def leavers_by_reason_and_destination(*, leavers: list[Leaver]) -> dict:
    """Employed leavers by DfE reason and DfE destination, and every leaver who answered
    by the destination they gave:
    ``{"reason": {label: n}, "destination": {...}, "own_destination": {...}}``."""
    employed = [leaver for leaver in leavers if not leaver.agency]
    reason = Counter(
        ReasonLeave(lv.reason).label if lv.reason else "Not recorded" for lv in employed
    )
    destination = Counter(
        LeaverDestination(lv.destination).label if lv.destination else "Not recorded"
        for lv in employed
    )
    own = Counter(
        Destination(lv.questionnaire.destination).label
        for lv in leavers
        if lv.questionnaire is not None and lv.questionnaire.destination
    )
    order_r = [c.label for c in ReasonLeave] + ["Not recorded"]
    order_d = [c.label for c in LeaverDestination] + ["Not recorded"]
    return {
        "reason": {k: reason[k] for k in order_r if reason[k]},
        "destination": {k: destination[k] for k in order_d if destination[k]},
        "own_destination": {c.label: own[c.label] for c in Destination},
    }


def leavers_by_length_of_service(*, leavers: list[Leaver]) -> dict[str, int]:
    """Leavers (employed and agency) by length of service band."""
    bands = Counter(dates.length_of_service_label(lv.start, lv.end) for lv in leavers)
    return {band: bands[band] for band in LENGTH_OF_SERVICE_BANDS}


def retention_scores_by_quarter(*, leavers: list[Leaver]) -> dict:
    """Average score (1-5) of each retention statement by quarter left, with the number
    of answers behind it: ``{"quarters", "rows": [{"statement", "cells": [(avg, n)]}]}``."""
    by_quarter: dict[tuple, list[ExitQuestionnaire]] = defaultdict(list)
    for leaver in leavers:
        if leaver.questionnaire is not None:
            by_quarter[_quarter_key(leaver.end)].append(leaver.questionnaire)
    keys = sorted(by_quarter)
    rows = []
    for field, statement in RETENTION_STATEMENTS:
        cells = []
        for key in keys:
            scores = [getattr(q, field) for q in by_quarter[key] if getattr(q, field) is not None]
            cells.append((sum(scores) / len(scores) if scores else None, len(scores)))
        rows.append({"statement": statement, "cells": cells})
    labels = [f"{('Jan-Mar', 'Apr-Jun', 'Jul-Sep', 'Oct-Dec')[q]} {y}" for y, q in keys]
    return {"quarters": labels, "rows": rows}


def exit_interview_coverage(*, leavers: list[Leaver]) -> dict:
    """Leavers (agency included), how many were offered an exit interview, completed
    one or declined, overall and for agency leavers alone."""

    def count(group: list[Leaver]) -> dict[str, int]:
        return {
            "leavers": len(group),
            "offered": sum(1 for lv in group if lv.record and lv.record.offered_on),
            "completed": sum(1 for lv in group if lv.record and lv.record.completed_on),
            "declined": sum(1 for lv in group if lv.record and lv.record.response == "declined"),
        }

    return {
        "all": count(leavers),
        "employed": count([lv for lv in leavers if not lv.agency]),
        "agency": count([lv for lv in leavers if lv.agency]),
    }


def _approved(*, start: dt.date, end: dt.date):
    return ExitQuestionnaire.objects.filter(
        quote_approved=True,
        exit_record__employment__end_date__gte=start,
        exit_record__employment__end_date__lte=end,
    ).exclude(quote="")


def approved_quotes(*, start: dt.date, end: dt.date) -> list[str]:
    """Anonymised quotes approved for publication, of leavers from ``start`` to ``end``."""
    return list(_approved(start=start, end=end).values_list("quote", flat=True))


def exit_records_with_text_erased(*, ids) -> list[int]:
    """Those of the exit records ``ids`` whose free text has been erased (retention)."""
    if not ids:
        return []
    return sorted(
        ExitQuestionnaire.objects.filter(
            exit_record_id__in=list(ids), free_text_erased_on__isnull=False
        ).values_list("exit_record_id", flat=True)
    )


def approved_quotes_by_record(*, start: dt.date, end: dt.date) -> list[tuple[int, str]]:
    """``approved_quotes`` with the exit record each came from (for retention: a copy
    must go when the record's free text is erased)."""
    return list(_approved(start=start, end=end).values_list("exit_record_id", "quote"))


# --- For the KPI registry (dashboards.kpis.exits) -------------------------------------


def exit_coverage_rows(*, start_after: dt.date, end_on_or_before: dt.date) -> list[dict]:
    """Leavings with ``start_after < end_date <= end_on_or_before``, one dict each:
    ``end_date``, ``agency``, ``team_id``, ``org_role``, ``offered``, ``completed``."""
    rows = (
        Employment.objects.filter(end_date__gt=start_after, end_date__lte=end_on_or_before)
        .annotate(
            team_id=Subquery(
                Assignment.objects.filter(employment=OuterRef("pk"))
                .order_by("-effective_from")
                .values("team")[:1]
            ),
            org_role=Subquery(
                Assignment.objects.filter(employment=OuterRef("pk"))
                .order_by("-effective_from")
                .values("org_role")[:1]
            ),
        )
        .values(
            "end_date",
            "contract_type",
            "team_id",
            "org_role",
            "exit_record__offered_on",
            "exit_record__completed_on",
        )
    )
    return [
        {
            "end_date": row["end_date"],
            "agency": row["contract_type"] == ContractType.AGENCY,
            "team_id": row["team_id"],
            "org_role": row["org_role"],
            "offered": row["exit_record__offered_on"] is not None,
            "completed": row["exit_record__completed_on"] is not None,
        }
        for row in rows
    ]
