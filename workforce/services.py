"""Writes to workforce data: every starter, leaver, change and caseload goes through here.

Functions are keyword-only, named ``<entity>_<action>``, atomic, and validate everything
before writing. A broken rule raises ``django.core.exceptions.ValidationError`` with a
message per field (all problems at once), which forms show beside the field and the API
returns as a 400. History is added, never overwritten (see models.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.locking import Unchecked, lock_version
from core.validation import full_clean

from .choices import CaseloadSource, CFKSSStatus, ChangeReason, ContractType, OrgRole
from .models import (
    Agency,
    Assignment,
    CaseloadSnapshot,
    Employment,
    Grade,
    Person,
    Post,
    SicknessAbsence,
    Team,
)

#: How far ahead a start, leaving or change may be recorded (a planned start or a
#: resignation with notice); anything later is almost certainly a typing mistake.
MAX_DAYS_AHEAD = 183
#: The youngest a social worker can be on their start date.
MIN_AGE_AT_START = 18
#: No one can hold more cases than this: a larger figure is a typing mistake (the national
#: average is about 16 cases per case holder; 200 is over ten times that and far above any
#: council's recorded maximum), so it is refused outright, confirmed or not.
MAX_CASES = 200

_UNCHANGED = object()


class Errors:
    """Collects field errors so every problem is reported at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _fmt(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def normalise_swe_number(value: str) -> str:
    """Social Work England numbers are case-insensitive: store them upper-case, no spaces."""
    return "".join((value or "").split()).upper()


def _check_not_too_far_ahead(errors: Errors, field: str, date: dt.date | None, what: str) -> None:
    if date and date > timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD):
        errors.add(
            field,
            f"The {what} must be no more than {MAX_DAYS_AHEAD} days from today "
            f"(you entered {_fmt(date)}).",
        )


def _check_fte(errors: Errors, field: str, fte) -> Decimal | None:
    try:
        value = Decimal(str(fte))
    except (InvalidOperation, ValueError, TypeError):
        errors.add(field, "Enter FTE as a number, for example 0.8.")
        return None
    if not (Decimal("0") < value <= Decimal("1")):
        errors.add(field, f"FTE must be more than 0 and no more than 1 (you entered {fte}).")
        return None
    return value


def _check_team_open(errors: Errors, field: str, team: Team | None, date: dt.date | None) -> None:
    if team is None or date is None:
        return
    if team.valid_from and date < team.valid_from:
        errors.add(
            field, f"{team} did not exist on {_fmt(date)} (it opened {_fmt(team.valid_from)})."
        )
    if team.valid_to and date >= team.valid_to:
        errors.add(field, f"{team} had closed by {_fmt(date)}.")


def _check_post(errors: Errors, post: Post | None, team: Team | None, date: dt.date | None) -> None:
    if post is None:
        return
    if team is not None and post.team_id != team.pk:
        errors.add("post", f"Post {post.reference} belongs to {post.team}, not {team}.")
    if date and (date < post.valid_from or (post.valid_to and date >= post.valid_to)):
        errors.add("post", f"Post {post.reference} is not funded on {_fmt(date)}.")


def _overlapping(
    person: Person, start: dt.date, end: dt.date | None, exclude: Employment | None = None
):
    others = person.employments.all()
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    others = others.filter(start_date__lt=end) if end else others
    return others.exclude(end_date__isnull=False, end_date__lte=start).first()


# --- People -------------------------------------------------------------------------


def _validate_person_fields(errors: Errors, fields: dict, instance: Person | None) -> None:
    swe = fields.get("swe_number")
    if swe is not None:
        duplicate = Person.objects.filter(swe_number=swe)
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            errors.add(
                "swe_number",
                f"Social Work England number {swe} is already recorded for another person.",
            )
    staff_ref = fields.get("staff_ref")
    if staff_ref:
        duplicate = Person.objects.filter(staff_ref=staff_ref)
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            errors.add(
                "staff_ref", f"Staff reference {staff_ref} is already used by another person."
            )
    dob = fields.get("date_of_birth")
    if dob and dob >= timezone.localdate():
        errors.add("date_of_birth", "Date of birth must be in the past.")


@transaction.atomic
def person_create(
    *,
    swe_number: str,
    staff_ref: str | None = None,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: dt.date | None = None,
    gender: int | None = None,
    ethnicity: str = "",
    qualification_route: str = "",
    qualification_institution: str = "",
    qualification_level: int | None = None,
) -> Person:
    fields = {
        "swe_number": normalise_swe_number(swe_number),
        "staff_ref": (staff_ref or "").strip() or None,
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "date_of_birth": date_of_birth,
        "gender": gender,
        "ethnicity": ethnicity or "",
        "qualification_route": qualification_route or "",
        "qualification_institution": qualification_institution or "",
        "qualification_level": qualification_level,
    }
    errors = Errors()
    _validate_person_fields(errors, fields, None)
    errors.raise_if_any()
    person = Person(**fields)
    full_clean(person)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, version: int | Unchecked | None, **changes) -> Person:
    """Correct a person's details (the audit log keeps the before and after). ``version``
    is the one the user loaded: a stale edit is refused (``core.locking``),
    and so is none; writes no person makes pass ``UNCHECKED``."""
    lock_version(person, version)
    allowed = {f.name for f in Person._meta.concrete_fields} - {"id", "created_at", "updated_at"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Not a person field: {', '.join(sorted(unknown))}")
    if "swe_number" in changes:
        changes["swe_number"] = normalise_swe_number(changes["swe_number"])
    if "staff_ref" in changes:
        changes["staff_ref"] = (changes["staff_ref"] or "").strip() or None
    errors = Errors()
    _validate_person_fields(errors, changes, person)
    errors.raise_if_any()
    for name, value in changes.items():
        setattr(person, name, value)
    full_clean(person)
    person.save()
    return person


# --- Employments --------------------------------------------------------------------


@transaction.atomic
def starter_record(
    *,
    person: Person,
    contract_type: str,
    start_date: dt.date,
    team: Team,
    org_role: int,
    fte,
    agency: Agency | None = None,
    start_origin: int | None = None,
    post: Post | None = None,
    grade: Grade | None = None,
    is_asye: bool = False,
    cfkss_status: int | None = None,
    change_reason: str = ChangeReason.START,
) -> Employment:
    """Record a starter (employed) or the start of an agency placement: an employment and
    its first assignment."""
    errors = Errors()
    if contract_type == ContractType.AGENCY and agency is None:
        errors.add("agency", "Choose the agency supplying this worker.")
    if contract_type != ContractType.AGENCY and agency is not None:
        errors.add("agency", "Only agency workers have an agency.")
    if contract_type == ContractType.AGENCY and is_asye:
        errors.add("is_asye", "ASYEs are employed by the council, not supplied by an agency.")
    _check_not_too_far_ahead(errors, "start_date", start_date, "start date")
    fte_value = _check_fte(errors, "fte", fte)
    _check_team_open(errors, "team", team, start_date)
    _check_post(errors, post, team, start_date)
    if person.date_of_birth and start_date:
        dob = person.date_of_birth
        # born on 29 February: of age on 1 March in a year that is not a leap year
        age_limit = (
            dt.date(dob.year + MIN_AGE_AT_START, 3, 1)
            if (dob.month, dob.day) == (2, 29)
            else dob.replace(year=dob.year + MIN_AGE_AT_START)
        )
        if start_date < age_limit:
            errors.add(
                "start_date", f"The person would be under {MIN_AGE_AT_START} on {_fmt(start_date)}."
            )
    if person.pk and start_date:
        clash = _overlapping(person, start_date, None)
        if clash is not None:
            errors.add(
                "start_date",
                f"This overlaps {person}'s employment from {_fmt(clash.start_date)}"
                + (f" to {_fmt(clash.end_date)}" if clash.end_date else " (still in post)")
                + ". Record the leaving first, or choose a later start date.",
            )
    errors.raise_if_any()

    if grade is None and post is not None:
        grade = post.grade
    if is_asye and cfkss_status is None:
        cfkss_status = CFKSSStatus.ASYE
    employment = Employment(
        person=person,
        contract_type=contract_type,
        agency=agency,
        start_date=start_date,
        start_origin=start_origin,
    )
    full_clean(employment)
    employment.save()
    assignment = Assignment(
        employment=employment,
        effective_from=start_date,
        team=team,
        post=post,
        grade=grade,
        org_role=org_role,
        fte=fte_value,
        is_asye=is_asye,
        cfkss_status=cfkss_status,
        change_reason=change_reason,
    )
    full_clean(assignment)
    assignment.save()
    return employment


@transaction.atomic
def leaver_record(
    *,
    employment: Employment,
    end_date: dt.date,
    leaving_reason: int | None = None,
    leaving_destination: int | None = None,
    version: int | Unchecked | None,
) -> Employment:
    """Record a leaving (or the end of an agency placement) on ``end_date`` (DfE RoleEndDate).

    Employed leavers need the DfE reason and destination; for agency placements they
    are optional.
    """
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    lock_version(employment, version, related=employment.assignments.all)
    errors = Errors()
    if employment.end_date is not None:
        errors.add("end_date", f"This employment already ended on {_fmt(employment.end_date)}.")
    if end_date < employment.start_date:
        errors.add(
            "end_date",
            f"The leaving date cannot be before the start date ({_fmt(employment.start_date)}).",
        )
    _check_not_too_far_ahead(errors, "end_date", end_date, "leaving date")
    latest = employment.assignments.order_by("-effective_from").first()
    if latest and employment.start_date <= end_date < latest.effective_from:
        errors.add(
            "end_date",
            f"A change is recorded from {_fmt(latest.effective_from)}, after this leaving date.",
        )
    later = (
        employment.person.employments.exclude(pk=employment.pk)
        .filter(start_date__gte=employment.start_date, start_date__lt=end_date)
        .first()
    )
    if later:
        errors.add(
            "end_date",
            f"{employment.person} started again on {_fmt(later.start_date)}: "
            "the leaving date must be on or before that.",
        )
    if not employment.is_agency:
        if leaving_reason is None:
            errors.add("leaving_reason", "Choose the reason for leaving.")
        if leaving_destination is None:
            errors.add("leaving_destination", "Choose where the leaver is going.")
    errors.raise_if_any()
    employment.end_date = end_date
    employment.leaving_reason = leaving_reason
    employment.leaving_destination = leaving_destination
    full_clean(employment)
    employment.save()
    return employment


@transaction.atomic
def assignment_change(
    *,
    employment: Employment,
    effective_from: dt.date,
    change_reason: str,
    team: Team | object = _UNCHANGED,
    post: Post | None | object = _UNCHANGED,
    grade: Grade | None | object = _UNCHANGED,
    org_role: int | object = _UNCHANGED,
    fte=_UNCHANGED,
    is_asye: bool | object = _UNCHANGED,
    cfkss_status: int | None | object = _UNCHANGED,
    version: int | Unchecked | None,
) -> Assignment:
    """Record a change to an employment's terms from ``effective_from``: a team move, an
    FTE change, a grade or role change, ASYE completed. The current assignment is closed
    the day the new one starts; unchanged terms are carried over."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    lock_version(employment, version, related=employment.assignments.all)
    current = employment.assignments.order_by("-effective_from").first()
    errors = Errors()
    if current is None:
        raise ValidationError("This employment has no terms recorded yet.")
    if employment.end_date and effective_from >= employment.end_date:
        errors.add(
            "effective_from",
            f"{employment.person} left on {_fmt(employment.end_date)}: "
            "a change must be before that.",
        )
    if effective_from <= current.effective_from:
        errors.add(
            "effective_from",
            "The change must be after the latest recorded change "
            f"({_fmt(current.effective_from)}).",
        )
    _check_not_too_far_ahead(errors, "effective_from", effective_from, "date of the change")
    new = Assignment(
        employment=employment,
        effective_from=effective_from,
        team=current.team if team is _UNCHANGED else team,
        post=current.post if post is _UNCHANGED else post,
        grade=current.grade if grade is _UNCHANGED else grade,
        org_role=current.org_role if org_role is _UNCHANGED else org_role,
        fte=current.fte,
        is_asye=current.is_asye if is_asye is _UNCHANGED else is_asye,
        cfkss_status=current.cfkss_status if cfkss_status is _UNCHANGED else cfkss_status,
        change_reason=change_reason,
    )
    if fte is not _UNCHANGED:
        new.fte = _check_fte(errors, "fte", fte) or current.fte
    if (
        team is not _UNCHANGED
        and post is _UNCHANGED
        and current.post
        and current.post.team_id != new.team_id
    ):
        new.post = None  # a team move leaves the old team's post
    if new.is_asye and employment.is_agency:
        errors.add("is_asye", "ASYEs are employed by the council, not supplied by an agency.")
    _check_team_open(errors, "team", new.team, effective_from)
    _check_post(errors, new.post, new.team, effective_from)
    same = all(
        getattr(new, f) == getattr(current, f)
        for f in ("team_id", "post_id", "grade_id", "org_role", "fte", "is_asye", "cfkss_status")
    )
    if same and not errors.errors:
        errors.add("__all__", "Nothing changed: enter the new team, FTE, grade or role.")
    errors.raise_if_any()
    current.effective_to = effective_from
    current.save(update_fields=["effective_to", "updated_at"])
    full_clean(new)
    new.save()
    employment.save(update_fields=["version", "updated_at"])
    return new


# --- Caseloads and absence ------------------------------------------------------------


def caseload_ceiling() -> int:
    """The council's ceiling: a worker's caseload above it needs confirming."""
    return int(getattr(settings, "CASELOAD_CONFIRM_ABOVE", 40))


def _check_cases(errors: Errors, cases, *, confirmed: bool, who) -> int | None:
    """A worker's cases: a whole number from 0 to ``MAX_CASES``; above the council's
    ceiling only when ``confirmed``."""
    try:
        value = int(cases) if not isinstance(cases, bool) else None
        if value is None or Decimal(str(cases)) != value:
            raise ValueError
    except (TypeError, ValueError, InvalidOperation):
        errors.add("cases", f"Enter the cases held by {who} as a whole number, 0 or more.")
        return None
    if value < 0:
        errors.add("cases", f"Cases held by {who} cannot be negative (you entered {value}).")
    elif value > MAX_CASES:
        errors.add(
            "cases",
            f"{value} cases for {who} is not possible: no one can hold more than {MAX_CASES}. "
            "Check the figure.",
        )
    elif value > caseload_ceiling() and not confirmed:
        errors.add(
            "cases",
            f"{value} cases for {who} is above the council's ceiling of {caseload_ceiling()} "
            "cases for one worker: check it, and confirm the figure to save it.",
        )
    else:
        return value
    return None


@transaction.atomic
def caseload_record(
    *,
    employment: Employment,
    date: dt.date,
    cases: int,
    team: Team | None = None,
    source: str = CaseloadSource.MANUAL,
    confirmed: bool = False,
) -> CaseloadSnapshot:
    """Record (or replace) one worker's cases on ``date``. A figure above the council's
    ceiling (``settings.CASELOAD_CONFIRM_ABOVE``) needs ``confirmed``; one above
    ``MAX_CASES`` is refused."""
    errors = Errors()
    if date > timezone.localdate():
        errors.add("date", "Caseloads cannot be recorded for a future date.")
    cases = _check_cases(errors, cases, confirmed=confirmed, who=employment.person)
    if not (
        employment.start_date <= date
        and (employment.end_date is None or date < employment.end_date)
    ):
        errors.add("date", f"{employment.person} was not in post on {_fmt(date)}.")
    if team is None:
        current = (
            employment.assignments.filter(effective_from__lte=date)
            .order_by("-effective_from")
            .first()
        )
        team = current.team if current else None
        if team is None:
            errors.add("team", "No team is recorded for this worker on that date.")
    errors.raise_if_any()
    snapshot, _ = CaseloadSnapshot.objects.update_or_create(
        employment=employment,
        date=date,
        defaults={"cases": cases, "team": team, "source": source},
    )
    return snapshot


@transaction.atomic
def caseloads_record_week(
    *,
    team: Team,
    date: dt.date,
    entries: Iterable[tuple[Employment, int | None]],
    source: str = CaseloadSource.MANUAL,
    confirmed: bool = False,
) -> int:
    """Record a team's caseloads for a week in one go: ``(employment, cases)`` pairs, where
    ``None`` clears a figure entered earlier. All-or-nothing; returns how many were saved.
    ``confirmed`` confirms the figures above the council's ceiling."""
    errors = Errors()
    saved = 0
    for employment, cases in entries:
        if cases is None:
            CaseloadSnapshot.objects.filter(employment=employment, date=date).delete()
            continue
        try:
            caseload_record(
                employment=employment, date=date, cases=cases, team=team, source=source,
                confirmed=confirmed,
            )  # fmt: skip
            saved += 1
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    errors.add(f"cases_{employment.pk}", message)
    errors.raise_if_any()
    return saved


@transaction.atomic
def sickness_absence_record(
    *, employment: Employment, start_date: dt.date, end_date: dt.date, working_days_lost
) -> SicknessAbsence:
    absence = SicknessAbsence(
        employment=employment,
        start_date=start_date,
        end_date=end_date,
        working_days_lost=Decimal(str(working_days_lost)),
    )
    full_clean(absence)
    absence.save()
    return absence


# --- A starter and their person record together -----------------------------------------


RETURNING_LABEL = "This person worked here before"


def starter_returning_person(*, swe_number: str, returning: bool) -> Person | None:
    """Who a starter with ``swe_number`` is: the person already recorded with that Social
    Work England number when ``returning`` is ticked, or nobody yet (a new person).

    Refuses (``ValidationError``) a number that belongs to someone already recorded
    unless the starter is marked as returning, naming whose number it is, so a new
    starter is never added to another person's record by a typing mistake; and refuses
    ``returning`` when no one has that number. Every page that records a starter uses it.
    """
    swe = normalise_swe_number(swe_number)
    existing = Person.objects.filter(swe_number__iexact=swe).first() if swe else None
    if returning:
        if existing is None:
            raise ValidationError(
                {
                    "returning": f"No one with Social Work England number {swe} is recorded: "
                    "untick this to record a new person."
                }
            )
        return existing
    if existing is not None:
        raise ValidationError(
            {
                "swe_number": f"Social Work England number {existing.swe_number} is already "
                f"recorded for {existing}. Tick '{RETURNING_LABEL}' to record a return, "
                "or check the number."
            }
        )
    return None


@transaction.atomic
def person_starter_record(
    *,
    person: Person | None = None,
    person_details: dict | None = None,
    contract_type: str,
    start_date: dt.date,
    team: Team,
    org_role: int | None,
    fte,
    agency: Agency | None = None,
    start_origin: int | None = None,
    post: Post | None = None,
    grade: Grade | None = None,
    is_asye: bool = False,
) -> Employment:
    """Record a starter in one transaction: a new person (``person_details``, the arguments
    of ``person_create``) or a returning ``person``, and their employment.

    Every problem with the person and the employment is reported at once, and nothing is
    written unless all of it is valid. The DfE role defaults to the grade's (or the post's
    grade's) usual role.
    """
    if (person is None) == (person_details is None):
        raise ValueError("Give either a returning person or the details of a new one.")
    errors = Errors()
    if org_role is None:
        usual = grade or (post.grade if post is not None else None)
        if usual is not None:
            org_role = usual.default_org_role
        else:
            errors.add("org_role", "Choose the DfE role, or a grade that has a usual role.")
    if person is None:
        try:
            person = person_create(**person_details)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(field, message)
            # An unsaved stand-in so the employment's own rules are still checked.
            person = Person(date_of_birth=person_details.get("date_of_birth"))
    if org_role is None:
        org_role = OrgRole.CASE_HOLDER  # only to check the other terms; the error stops the save
    try:
        employment = starter_record(
            person=person,
            contract_type=contract_type,
            start_date=start_date,
            team=team,
            org_role=org_role,
            fte=fte,
            agency=agency,
            start_origin=None if contract_type == ContractType.AGENCY else start_origin,
            post=post,
            grade=grade,
            is_asye=is_asye,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            if field == "person" and person.pk is None:
                continue  # the stand-in: the person's own errors are already listed
            for message in messages:
                errors.add(field, message)
        employment = None
    errors.raise_if_any()
    return employment
