"""Writes to recruitment data: vacancies, campaigns, applications and their stage moves,
the start (which records the starter in the workforce), induction check-ins, pipelines.

Functions are keyword-only, named ``<entity>_<action>``, atomic, and report every problem
at once as a ``django.core.exceptions.ValidationError`` with a message per field, so
nothing is half-saved. Vacancy and application writes take the ``version`` the user saw
and refuse the change if someone else has changed it since (``core.locking``).

The council's process: with ``settings.RECRUITMENT_INTERVIEW_REQUIRED`` (default True)
an offer needs an interview first. A start needs an accepted offer and the
pre-employment checks (DBS, references, Social Work England registration, right to work).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.locking import lock_version, save_versioned
from core.validation import full_clean
from workforce import services as workforce_services
from workforce.choices import ContractType, StartOrigin
from workforce.models import Employment, Grade, Post, Team

from .choices import (
    CHECK_IN_WINDOWS,
    STAGE_DATE_FIELD,
    STAGE_ORDER,
    Channel,
    Check,
    CloseReason,
    Outcome,
    PipelineRoute,
    Route,
    Stage,
    VacancyReason,
    VacancyStatus,
)
from .models import (
    Application,
    Campaign,
    InductionCheckIn,
    PipelineCohort,
    PreEmploymentCheck,
    StageChange,
    Vacancy,
)

#: The largest FTE one vacancy may be for (a bulk campaign for several posts).
MAX_VACANCY_FTE = Decimal("50")
#: Where the start origin of a starter comes from when the form does not say.
ROUTE_START_ORIGIN = {
    Route.NQSW: StartOrigin.NEWLY_QUALIFIED,
    Route.STEP_UP: StartOrigin.NEWLY_QUALIFIED,
    Route.APPRENTICESHIP: StartOrigin.NEWLY_QUALIFIED,
    Route.PG_DIPLOMA: StartOrigin.NEWLY_QUALIFIED,
    Route.INTERNATIONAL: StartOrigin.OUTSIDE_ENGLAND,
}
#: When the audit log cannot say who changed what (a bulk write).
STALE_MESSAGE = (
    "{name}'s application was changed by someone else after you opened it (it is now at: {stage})."
)
_UNCHANGED = object()


class Errors(workforce_services.Errors):
    pass


def _fmt(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def interview_required() -> bool:
    """Whether the council's process requires an interview before an offer."""
    return bool(getattr(settings, "RECRUITMENT_INTERVIEW_REQUIRED", True))


def _check_not_future(errors: Errors, field: str, date: dt.date | None, what: str) -> None:
    if date and date > timezone.localdate():
        errors.add(field, f"The {what} cannot be in the future (you entered {_fmt(date)}).")


# --- Vacancies -------------------------------------------------------------------------


def _next_reference(opened_on: dt.date) -> str:
    prefix = f"VAC-{opened_on.year}-"
    n = Vacancy.objects.filter(reference__startswith=prefix).count() + 1
    while Vacancy.objects.filter(reference=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def _check_vacancy_fte(errors: Errors, fte) -> Decimal | None:
    try:
        value = Decimal(str(fte))
    except (InvalidOperation, ValueError, TypeError):
        errors.add("fte", "Enter the FTE as a number, for example 1 or 0.5.")
        return None
    if not (Decimal(0) < value <= MAX_VACANCY_FTE):
        errors.add("fte", f"The FTE must be more than 0 and at most {MAX_VACANCY_FTE}.")
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.add("fte", f"Enter the FTE with no more than 2 decimal places (you entered {fte}).")
        return None
    return value.quantize(Decimal("0.01"))


def _check_vacancy(
    errors: Errors,
    *,
    fte,
    reason: str | None,
    opened_on: dt.date | None,
    team: Team | None = None,
    grade: Grade | None = None,
    post: Post | None = None,
    leaver_employment: Employment | None = None,
    agency_cover: Employment | None = None,
    reference: str = "",
    skip: frozenset[str] = frozenset(),
) -> tuple[Team | None, Grade | None, Decimal | None]:
    """Every rule of a new vacancy, each problem added to ``errors``; returns the team,
    grade and FTE it would have. ``skip``: fields already known to be wrong (a form's own
    errors), which are then not checked again."""
    if post is not None:
        if team is not None and post.team_id != team.pk:
            errors.add("post", f"Post {post.reference} belongs to {post.team}, not {team}.")
        team = team or post.team
        grade = grade or post.grade
        if opened_on and (
            opened_on < post.valid_from or (post.valid_to and opened_on >= post.valid_to)
        ):
            errors.add("post", f"Post {post.reference} is not funded on {_fmt(opened_on)}.")
    if team is None and not {"team", "post"} & skip:
        errors.add("team", "Choose the team (or a funded post).")
    if grade is None and not {"grade", "post"} & skip:
        errors.add("grade", "Choose the grade (or a funded post).")
    fte_value = None if "fte" in skip else _check_vacancy_fte(errors, fte)
    if fte_value is not None and post is not None:
        most = min(post.fte, Decimal(1))
        if fte_value > most:
            errors.add(
                "fte",
                f"Post {post.reference} is {most.normalize()} FTE (a post is at most 1 FTE): "
                f"a vacancy for it can be at most {most.normalize()} FTE (you entered "
                f"{fte_value.normalize()}). For several posts, open a vacancy for each.",
            )
    if "reason" not in skip:
        if reason not in VacancyReason.values:
            errors.add("reason", "Choose why the vacancy exists.")
        elif (
            reason == VacancyReason.REPLACEMENT
            and leaver_employment is None
            and "leaver_employment" not in skip
        ):
            errors.add("leaver_employment", "Choose the leaver this vacancy replaces.")
    if leaver_employment is not None:
        if reason != VacancyReason.REPLACEMENT:
            errors.add("leaver_employment", "Only a replacement vacancy names a leaver.")
        elif leaver_employment.end_date is None:
            errors.add(
                "leaver_employment",
                f"{leaver_employment.person} has no leaving date recorded: record the "
                "leaving first.",
            )
    if agency_cover is not None and not agency_cover.is_agency:
        errors.add("agency_cover", "Agency cover must be an agency placement.")
    workforce_services._check_not_too_far_ahead(errors, "opened_on", opened_on, "opening date")
    reference = (reference or "").strip()
    if reference and Vacancy.objects.filter(reference=reference).exists():
        errors.add("reference", f"Vacancy reference {reference} is already used.")
    return team, grade, fte_value


def vacancy_open_problems(*, skip=frozenset(), **fields) -> dict[str, list[str]]:
    """What ``vacancy_open`` would refuse in ``fields`` (its keyword arguments), without
    writing anything: a form reports these with its own errors, all in one round."""
    errors = Errors()
    _check_vacancy(errors, skip=frozenset(skip), **fields)
    return errors.errors


@transaction.atomic
def vacancy_open(
    *,
    fte,
    reason: str,
    opened_on: dt.date,
    team: Team | None = None,
    grade: Grade | None = None,
    post: Post | None = None,
    org_role: int | None = None,
    leaver_employment: Employment | None = None,
    agency_cover: Employment | None = None,
    reference: str = "",
    notes: str = "",
) -> Vacancy:
    """Open a vacancy against a funded ``post`` (its team and grade by default; at most
    the post's FTE, and a post is at most 1 FTE) or a ``team`` and ``grade`` (a campaign
    for several posts may be more than 1 FTE). A replacement names the leaver's
    employment."""
    errors = Errors()
    team, grade, fte_value = _check_vacancy(
        errors, fte=fte, reason=reason, opened_on=opened_on, team=team, grade=grade,
        post=post, leaver_employment=leaver_employment, agency_cover=agency_cover,
        reference=reference,
    )  # fmt: skip
    errors.raise_if_any()
    reference = (reference or "").strip()
    vacancy = Vacancy(
        reference=reference or _next_reference(opened_on),
        team=team,
        post=post,
        grade=grade,
        org_role=org_role or grade.default_org_role,
        fte=fte_value,
        reason=reason,
        leaver_employment=leaver_employment,
        agency_cover=agency_cover,
        opened_on=opened_on,
        notes=notes,
    )
    full_clean(vacancy)
    vacancy.save()
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    version: int,
    status: str | None = None,
    date: dt.date | None = None,
    agency_cover=_UNCHANGED,
    notes: str | None = None,
) -> Vacancy:
    """Put a vacancy on hold, reopen, withdraw or fill it (``date`` closes it), or change
    its agency cover or notes."""
    errors = Errors()
    changes: dict = {}
    if status is not None and status != vacancy.status:
        if status not in VacancyStatus.values:
            errors.add("status", "Choose a status from the list.")
        elif status in (VacancyStatus.FILLED, VacancyStatus.WITHDRAWN):
            if date is None:
                errors.add("date", "Enter the date the vacancy closed.")
            elif date < vacancy.opened_on:
                errors.add(
                    "date",
                    f"The vacancy cannot close before it opened ({_fmt(vacancy.opened_on)}).",
                )
            changes.update(status=status, closed_on=date)
        else:
            changes.update(status=status, closed_on=None)
    if agency_cover is not _UNCHANGED:
        if agency_cover is not None and not agency_cover.is_agency:
            errors.add("agency_cover", "Agency cover must be an agency placement.")
        changes["agency_cover"] = agency_cover
    if notes is not None:
        changes["notes"] = notes
    errors.raise_if_any()
    _save_versioned(
        vacancy, version, changes,
        stale_message=lambda: f"Vacancy {vacancy.reference} was changed by someone else after "
        "you opened it.",
    )  # fmt: skip
    return vacancy


def _save_versioned(obj, version: int, changes: dict, *, stale_message) -> None:
    """Write ``changes`` only if ``obj`` is still at ``version``; otherwise refuse, saying
    who changed what (``core.locking``; ``stale_message()`` when the audit log cannot)."""
    save_versioned(obj, version, changes, fallback=stale_message)


def _application_stale_message(application: Application):
    def message() -> str:
        stage = Application.objects.filter(pk=application.pk).values_list("stage", flat=True)
        label = Stage(stage[0]).label.lower() if stage else "deleted"
        return STALE_MESSAGE.format(name=application.applicant_name, stage=label)

    return message


# --- Campaigns -------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    title: str,
    channel: str,
    opened_on: dt.date,
    partner: str = "",
    closes_on: dt.date | None = None,
    cost=None,
    vacancies=(),
) -> Campaign:
    """Record an advert or campaign; a recruitment partner channel names the partner."""
    errors = Errors()
    if not (title or "").strip():
        errors.add("title", "Enter a title for the advert or campaign.")
    if channel not in Channel.values:
        errors.add("channel", "Choose the channel from the list.")
    if channel == Channel.PARTNER and not (partner or "").strip():
        errors.add("partner", "Enter the name of the recruitment partner or agency.")
    if closes_on and opened_on and closes_on < opened_on:
        errors.add("closes_on", f"The advert cannot close before it opens ({_fmt(opened_on)}).")
    if cost is not None:
        try:
            cost = Decimal(str(cost))
            if cost < 0:
                errors.add("cost", "The cost cannot be negative.")
        except (InvalidOperation, ValueError):
            errors.add("cost", "Enter the cost in pounds, for example 1250.00.")
    errors.raise_if_any()
    campaign = Campaign(
        title=title.strip(),
        channel=channel,
        partner=(partner or "").strip(),
        opened_on=opened_on,
        closes_on=closes_on,
        cost=cost,
    )
    full_clean(campaign)
    campaign.save()
    if vacancies:
        campaign.vacancies.set(vacancies)
    return campaign


# --- Applications ----------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    vacancy: Vacancy,
    route: str,
    applied_on: dt.date,
    first_name: str,
    last_name: str,
    campaign: Campaign | None = None,
    email: str = "",
    phone: str = "",
    swe_number: str = "",
    is_internal: bool = False,
    by=None,
) -> Application:
    """Record an application for ``vacancy`` (stage: applied)."""
    errors = Errors()
    if not (first_name or "").strip():
        errors.add("first_name", "Enter the applicant's first name.")
    if not (last_name or "").strip():
        errors.add("last_name", "Enter the applicant's last name.")
    if route not in Route.values:
        errors.add("route", "Choose the applicant's route from the list.")
    _check_not_future(errors, "applied_on", applied_on, "application date")
    if applied_on and applied_on < vacancy.opened_on:
        errors.add(
            "applied_on",
            f"The application date is before vacancy {vacancy.reference} opened "
            f"({_fmt(vacancy.opened_on)}).",
        )
    if applied_on and vacancy.closed_on and applied_on >= vacancy.closed_on:
        errors.add(
            "vacancy",
            f"Vacancy {vacancy.reference} closed on {_fmt(vacancy.closed_on)} "
            f"({vacancy.get_status_display().lower()}).",
        )
    if campaign is not None and applied_on and applied_on < campaign.opened_on:
        errors.add(
            "applied_on",
            f"The application date is before the advert opened ({_fmt(campaign.opened_on)}).",
        )
    swe = workforce_services.normalise_swe_number(swe_number)
    if swe:
        try:
            from workforce.models import swe_number_validator

            swe_number_validator(swe)
        except ValidationError as exc:
            errors.add("swe_number", exc.messages[0])
    errors.raise_if_any()
    application = Application(
        vacancy=vacancy,
        campaign=campaign,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        swe_number=swe,
        is_internal=is_internal,
        route=route,
        applied_on=applied_on,
    )
    full_clean(application)
    application.save()
    StageChange.objects.create(
        application=application,
        to_stage=Stage.APPLIED,
        outcome=Outcome.IN_PROGRESS,
        date=applied_on,
        recorded_by=by,
    )
    return application


def _latest_stage_date(application: Application) -> tuple[dt.date, str]:
    """The date of the most recent stage reached, and its label."""
    stage = Stage(application.stage)
    return getattr(application, STAGE_DATE_FIELD[stage]), stage.label.lower()


def _check_open(errors: Errors, application: Application) -> None:
    if application.outcome != Outcome.IN_PROGRESS:
        errors.add(
            NON_FIELD_ERRORS,
            f"{application.applicant_name}'s application is already closed "
            f"({application.get_outcome_display().lower()} on {_fmt(application.closed_on or application.started_on)}).",  # noqa: E501
        )


def _check_date_after_previous(errors: Errors, application: Application, date: dt.date) -> None:
    previous, label = _latest_stage_date(application)
    if date and previous and date < previous:
        errors.add(
            "date",
            f"The date ({_fmt(date)}) is before the previous stage: "
            f"{application.applicant_name} was {label} on {_fmt(previous)}.",
        )


def _record_move(
    application: Application,
    version: int,
    changes: dict,
    *,
    to_stage: str,
    outcome: str,
    date: dt.date,
    close_reason: str = "",
    by=None,
) -> Application:
    from_stage = application.stage
    _save_versioned(
        application, version, changes, stale_message=_application_stale_message(application)
    )
    StageChange.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=to_stage,
        outcome=outcome,
        date=date,
        close_reason=close_reason,
        recorded_by=by,
    )
    return application


def _stale_check(application: Application, version: int) -> None:
    """Refuse a stale edit before checking anything else (``core.locking``)."""
    lock_version(application, version, fallback=_application_stale_message(application))


@transaction.atomic
def application_move(
    *, application: Application, stage: str, date: dt.date, version: int, by=None
) -> Application:
    """Move an application forward to ``stage`` on ``date`` (stages may be skipped where
    the process allows: shortlisting, for instance). Starting is ``application_start``."""
    _stale_check(application, version)
    errors = Errors()
    _check_open(errors, application)
    if stage not in Stage.values:
        errors.add("stage", "Choose a stage from the list.")
        errors.raise_if_any()
    target = Stage(stage)
    name = application.applicant_name
    if target == Stage.STARTED:
        errors.add("stage", f"Record {name}'s start with 'Record the start' (it adds the starter).")
    elif STAGE_ORDER[target] <= STAGE_ORDER[Stage(application.stage)]:
        errors.add(
            "stage",
            f"{name} is already {Stage(application.stage).label.lower()}: choose a later stage.",
        )
    elif target == Stage.OFFERED and interview_required() and not application.interviewed_on:
        errors.add(
            "stage",
            f"{name} cannot be offered the job before an interview: the council's process "
            "requires one. Record the interview first.",
        )
    elif target == Stage.ACCEPTED and not application.offered_on:
        errors.add("stage", f"{name} cannot accept before an offer is recorded.")
    elif target == Stage.CHECKS and not application.accepted_on:
        errors.add(
            "stage", f"{name} has not accepted an offer: record the acceptance before the checks."
        )
    elif target == Stage.CHECKS and missing_checks(application):
        errors.add(
            "stage",
            f"{name}'s pre-employment checks are not all recorded (missing: "
            f"{_listed(missing_checks(application))}). Record each check, with its date and "
            "who checked it, first.",
        )
    _check_not_future(errors, "date", date, "date")
    _check_date_after_previous(errors, application, date)
    errors.raise_if_any()
    changes = {"stage": target.value, STAGE_DATE_FIELD[target]: date}
    return _record_move(
        application, version, changes, to_stage=target, outcome=Outcome.IN_PROGRESS, date=date,
        by=by,
    )  # fmt: skip


@transaction.atomic
def application_close(
    *,
    application: Application,
    outcome: str,
    close_reason: str,
    date: dt.date,
    version: int,
    by=None,
) -> Application:
    """Close an application at its stage: withdrawn (by the applicant) or rejected."""
    _stale_check(application, version)
    errors = Errors()
    _check_open(errors, application)
    if outcome not in (Outcome.WITHDRAWN, Outcome.REJECTED):
        errors.add("outcome", "Choose withdrawn or rejected.")
    if close_reason not in CloseReason.values:
        errors.add("close_reason", "Choose the reason from the list.")
    _check_not_future(errors, "date", date, "date")
    _check_date_after_previous(errors, application, date)
    errors.raise_if_any()
    changes = {"outcome": outcome, "closed_on": date, "close_reason": close_reason}
    return _record_move(
        application, version, changes, to_stage=application.stage, outcome=outcome, date=date,
        close_reason=close_reason, by=by,
    )  # fmt: skip


#: The actions of a stage change: a later stage, or closing the application.
CLOSE_ACTIONS = {o.value: o for o in (Outcome.WITHDRAWN, Outcome.REJECTED)}


def application_stage_change(
    *,
    application: Application,
    action: str,
    date: dt.date,
    version: int,
    close_reason: str = "",
    by=None,
) -> Application:
    """One entry point for the pages and the API: ``action`` is a stage (move forward) or
    ``withdrawn`` / ``rejected`` (close, with ``close_reason``)."""
    if action in CLOSE_ACTIONS:
        return application_close(
            application=application, outcome=action, close_reason=close_reason, date=date,
            version=version, by=by,
        )  # fmt: skip
    return application_move(
        application=application, stage=action, date=date, version=version, by=by
    )


@transaction.atomic
def applications_stage_change(
    *, moves: list[tuple[Application, int]], action: str, date: dt.date, close_reason="", by=None
) -> list[Application]:
    """A bulk move from the pipeline page: all of them or none. Problems are reported
    per applicant (``{"Jo Bloggs": [...]}``) so the page can say who could not move."""
    errors = Errors()
    done = []
    for application, version in moves:
        try:
            with transaction.atomic():
                done.append(
                    application_stage_change(
                        application=application,
                        action=action,
                        date=date,
                        version=version,
                        close_reason=close_reason,
                        by=by,
                    )  # fmt: skip
                )
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                for message in messages:
                    errors.add(NON_FIELD_ERRORS, f"{application.applicant_name}: {message}")
    if not moves:
        errors.add(NON_FIELD_ERRORS, "Select at least one applicant.")
    errors.raise_if_any()
    return done


@transaction.atomic
def application_check_record(
    *,
    application: Application,
    check: str,
    date: dt.date,
    version: int,
    checked_by: str = "",
    by=None,
) -> Application:
    """Record one pre-employment check as passed: its date and who checked it (``by`` is
    the user recording it). When all four are recorded on an accepted application, it
    moves to "checks complete" on the date of the last one."""
    _stale_check(application, version)
    errors = Errors()
    _check_open(errors, application)
    if check not in Check.values:
        errors.add("check", "Choose the check from the list.")
    else:
        done = PreEmploymentCheck.objects.filter(application=application, kind=check).first()
        if done is not None:
            errors.add(
                "check",
                f"The {Check(check).label} check is already recorded: passed on "
                f"{_fmt(done.checked_on)}, checked by {done.checked_by}.",
            )
    if not (checked_by or "").strip():
        errors.add("checked_by", "Enter who checked it.")
    if not application.offered_on:
        errors.add("check", "Pre-employment checks start after an offer: record the offer first.")
    elif date and date < application.offered_on:
        errors.add("date", f"The check date is before the offer ({_fmt(application.offered_on)}).")
    _check_not_future(errors, "date", date, "check date")
    errors.raise_if_any()
    PreEmploymentCheck.objects.create(
        application=application, kind=check, checked_on=date,
        checked_by=checked_by.strip(), recorded_by=by,
    )  # fmt: skip
    changes = {check: date}
    dates = {c.value: changes.get(c.value, getattr(application, c.value)) for c in Check}
    if application.stage == Stage.ACCEPTED and all(dates.values()):
        last = max(dates.values())
        last = max(last, application.accepted_on)
        changes.update(stage=Stage.CHECKS, checks_completed_on=last)
        return _record_move(
            application, version, changes, to_stage=Stage.CHECKS, outcome=Outcome.IN_PROGRESS,
            date=last, by=by,
        )  # fmt: skip
    _save_versioned(
        application, version, changes, stale_message=_application_stale_message(application)
    )
    return application


def missing_checks(application: Application) -> list[str]:
    """The labels of the pre-employment checks not yet recorded for ``application``."""
    return [c.label for c in Check if getattr(application, c.value) is None]


def _listed(labels: list[str]) -> str:
    """The checks' labels in a sentence: "References and Right to work"."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


@transaction.atomic
def application_start(
    *,
    application: Application,
    version: int,
    start_date: dt.date,
    contract_type: str = ContractType.PERMANENT,
    fte=None,
    team: Team | None = None,
    post: Post | None = None,
    grade: Grade | None = None,
    org_role: int | None = None,
    is_asye: bool | None = None,
    start_origin: int | None = None,
    swe_number: str = "",
    date_of_birth: dt.date | None = None,
    returning: bool = False,
    by=None,
) -> Application:
    """The applicant starts: record the starter in the workforce (a new person, or, when
    ``returning`` says they worked here before, the person already recorded with that
    Social Work England number, and their employment) in the same step, fill the vacancy
    when its FTE is met, and schedule the induction check-ins. Everything the application
    knows is used; nothing is typed twice."""
    _stale_check(application, version)
    errors = Errors()
    _check_open(errors, application)
    name = application.applicant_name
    vacancy = application.vacancy
    if contract_type == ContractType.AGENCY:
        errors.add(
            "contract_type", "A recruited starter is employed: choose permanent or fixed-term."
        )
    if not application.accepted_on:
        errors.add(
            NON_FIELD_ERRORS,
            f"{name} cannot start without accepting an offer: record the acceptance first.",
        )
    elif application.stage != Stage.CHECKS:
        errors.add(
            NON_FIELD_ERRORS,
            f"{name}'s pre-employment checks are not complete (missing: "
            f"{_listed(missing_checks(application))}). Record them before the start.",
        )
    previous, label = _latest_stage_date(application)
    if start_date and previous and start_date < previous:
        errors.add(
            "start_date",
            f"The start date ({_fmt(start_date)}) is before the previous stage: {name} was "
            f"{label} on {_fmt(previous)}.",
        )
    swe = workforce_services.normalise_swe_number(swe_number or application.swe_number)
    person = None
    if not swe:
        errors.add("swe_number", f"Enter {name}'s Social Work England number.")
    else:
        try:
            person = workforce_services.starter_returning_person(
                swe_number=swe, returning=returning
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.add(field, message)
    errors.raise_if_any()

    grade = grade or vacancy.grade
    if fte is None:
        fte = min(vacancy.fte, Decimal(1))
    if is_asye is None:
        is_asye = application.route == Route.NQSW or grade.is_asye
    if start_origin is None:
        start_origin = ROUTE_START_ORIGIN.get(application.route, StartOrigin.NOT_KNOWN)
    terms = {
        "contract_type": contract_type,
        "start_date": start_date,
        "team": team or vacancy.team,
        "org_role": org_role or vacancy.org_role,
        "fte": fte,
        "start_origin": start_origin,
        "post": post if post is not None else vacancy.post,
        "grade": grade,
        "is_asye": is_asye,
    }
    if person is not None:
        employment = workforce_services.person_starter_record(person=person, **terms)
    else:
        details = {
            "swe_number": swe,
            "first_name": application.first_name,
            "last_name": application.last_name,
            "date_of_birth": date_of_birth,
        }
        employment = workforce_services.person_starter_record(person_details=details, **terms)

    changes = {
        "stage": Stage.STARTED,
        "outcome": Outcome.STARTED,
        "started_on": start_date,
        "employment": employment,
        "swe_number": swe,
    }
    _record_move(
        application, version, changes, to_stage=Stage.STARTED, outcome=Outcome.STARTED,
        date=start_date, by=by,
    )  # fmt: skip
    induction_check_ins_create(employment=employment)
    _vacancy_fill_if_met(vacancy, start_date)
    return application


@transaction.atomic
def application_start_link(
    *, application: Application, employment: Employment, version: int, by=None
) -> Application:
    """The applicant's start was already recorded in the workforce (on the HR pages or by
    a census import): link that employment instead of recording it again, fill the
    vacancy and schedule the induction check-ins."""
    _stale_check(application, version)
    errors = Errors()
    _check_open(errors, application)
    if application.stage != Stage.CHECKS:
        errors.add(
            NON_FIELD_ERRORS,
            f"{application.applicant_name} has not reached the pre-employment checks: "
            "record the acceptance and the checks first.",
        )
    if employment.is_agency:
        errors.add("employment", "An agency placement is not a recruited start.")
    if Application.objects.filter(employment=employment).exists():
        errors.add("employment", "This employment is already linked to another application.")
    previous, label = _latest_stage_date(application)
    if previous and employment.start_date < previous:
        errors.add(
            "employment",
            f"The employment started on {_fmt(employment.start_date)}, before the applicant "
            f"was {label} ({_fmt(previous)}).",
        )
    errors.raise_if_any()
    changes = {
        "stage": Stage.STARTED,
        "outcome": Outcome.STARTED,
        "started_on": employment.start_date,
        "employment": employment,
        "swe_number": application.swe_number or employment.person.swe_number,
    }
    _record_move(
        application, version, changes, to_stage=Stage.STARTED, outcome=Outcome.STARTED,
        date=employment.start_date, by=by,
    )  # fmt: skip
    induction_check_ins_create(employment=employment)
    _vacancy_fill_if_met(application.vacancy, employment.start_date)
    return application


def _vacancy_fill_if_met(vacancy: Vacancy, date: dt.date) -> None:
    from workforce.models import Assignment

    started = Assignment.objects.filter(
        employment__application__vacancy=vacancy, change_reason="start"
    ).aggregate(fte=Sum("fte"))["fte"] or Decimal(0)
    if started >= vacancy.fte and vacancy.status in (VacancyStatus.OPEN, VacancyStatus.ON_HOLD):
        Vacancy.objects.filter(pk=vacancy.pk).update(
            status=VacancyStatus.FILLED, closed_on=max(date, vacancy.opened_on),
            version=vacancy.version + 1,
        )  # fmt: skip
        vacancy.refresh_from_db()


@transaction.atomic
def application_anonymise(*, application: Application, on: dt.date | None = None) -> Application:
    """Delete the applicant's personal data on request. The dates, stages, route and
    campaign stay, so every aggregate figure is unchanged; a started applicant's
    workforce record is staff data and is not touched."""
    on = on or timezone.localdate()
    if application.anonymised_on:
        raise ValidationError(
            {NON_FIELD_ERRORS: ["This applicant's personal data has already been deleted."]}
        )
    Application.objects.filter(pk=application.pk).update(
        first_name="", last_name="", email="", phone="", swe_number="", anonymised_on=on,
        version=application.version + 1,
    )  # fmt: skip
    application.refresh_from_db()
    return application


# --- Induction -------------------------------------------------------------------------


@transaction.atomic
def induction_check_ins_create(*, employment: Employment) -> list[InductionCheckIn]:
    """Keeping-in-touch days at 3-4 weeks and 3-4 months and a 90-day check-in."""
    start = employment.start_date
    created = []
    for kind, (first, last) in CHECK_IN_WINDOWS.items():
        check_in, _ = InductionCheckIn.objects.get_or_create(
            employment=employment,
            kind=kind,
            defaults={
                "due_from": start + dt.timedelta(days=first),
                "due_by": start + dt.timedelta(days=last),
            },
        )
        created.append(check_in)
    return created


@transaction.atomic
def induction_check_in_complete(
    *, check_in: InductionCheckIn, completed_on: dt.date, notes: str = ""
) -> InductionCheckIn:
    errors = Errors()
    if check_in.completed_on:
        errors.add(NON_FIELD_ERRORS, f"Already recorded on {_fmt(check_in.completed_on)}.")
    start = check_in.employment.start_date
    if completed_on and completed_on < start:
        errors.add("completed_on", f"The check-in cannot be before the start ({_fmt(start)}).")
    _check_not_future(errors, "completed_on", completed_on, "check-in date")
    errors.raise_if_any()
    check_in.completed_on = completed_on
    check_in.notes = notes
    check_in.save(update_fields=["completed_on", "notes"])
    return check_in


# --- Pipelines -------------------------------------------------------------------------


@transaction.atomic
def pipeline_cohort_create(
    *,
    route: str,
    name: str,
    places: int,
    expected_start: dt.date,
    provider: str = "",
    team: Team | None = None,
    grade: Grade | None = None,
    notes: str = "",
) -> PipelineCohort:
    errors = Errors()
    if route not in PipelineRoute.values:
        errors.add("route", "Choose the route from the list.")
    if not (name or "").strip():
        errors.add("name", "Enter a name for the cohort.")
    if places is None or places < 1:
        errors.add("places", "Enter the number of places: 1 or more.")
    errors.raise_if_any()
    cohort = PipelineCohort(
        route=route, name=name.strip(), places=places, expected_start=expected_start,
        provider=provider.strip(), team=team, grade=grade, notes=notes,
    )  # fmt: skip
    full_clean(cohort)
    cohort.save()
    return cohort
