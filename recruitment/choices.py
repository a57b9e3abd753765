"""Code sets of recruitment: vacancy reasons and statuses, advert channels, applicant
routes, the stages of an application, and why an application closed."""

from django.db import models


class VacancyReason(models.TextChoices):
    NEW_POST = "new_post", "New post"
    REPLACEMENT = "replacement", "Replacement for a leaver"
    MATERNITY_COVER = "maternity_cover", "Maternity cover"
    OTHER = "other", "Other"


class VacancyStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    FILLED = "filled", "Filled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Channel(models.TextChoices):
    """Where an advert ran."""

    CAREERS_SITE = "careers_site", "Council careers site"
    LINKEDIN = "linkedin", "LinkedIn"
    SOCIAL_MEDIA = "social_media", "Social media"
    JOB_BOARD = "job_board", "Job board"
    PARTNER = "partner", "Recruitment partner or agency"
    UNIVERSITY = "university", "University or NQSW event"
    INTERNATIONAL = "international", "International recruitment"


class Route(models.TextChoices):
    """How the applicant comes into social work at the council."""

    EXPERIENCED = "experienced", "Experienced social worker"
    NQSW = "nqsw", "Newly qualified (NQSW / ASYE)"
    STEP_UP = "step_up", "Step Up to Social Work"
    APPRENTICESHIP = "apprenticeship", "Social work degree apprenticeship"
    PG_DIPLOMA = "pg_diploma", "Postgraduate diploma"
    INTERNATIONAL = "international", "International"


class Stage(models.TextChoices):
    """The stages of an application, in order. ``CHECKS`` = pre-employment checks
    complete (DBS, references, Social Work England registration, right to work)."""

    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    CHECKS = "checks", "Pre-employment checks complete"
    STARTED = "started", "Started"


#: Stage -> its place in the order (applied 0 ... started 6).
STAGE_ORDER = {stage: index for index, stage in enumerate(Stage)}
#: The date field on Application recording when each stage was reached.
STAGE_DATE_FIELD = {
    Stage.APPLIED: "applied_on",
    Stage.SHORTLISTED: "shortlisted_on",
    Stage.INTERVIEWED: "interviewed_on",
    Stage.OFFERED: "offered_on",
    Stage.ACCEPTED: "accepted_on",
    Stage.CHECKS: "checks_completed_on",
    Stage.STARTED: "started_on",
}


class Outcome(models.TextChoices):
    """Where an application stands: still going, started, or closed at its stage."""

    IN_PROGRESS = "in_progress", "In progress"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"


class CloseReason(models.TextChoices):
    """Why an application was withdrawn (by the applicant) or rejected (by the council)."""

    NOT_SHORTLISTED = "not_shortlisted", "Not shortlisted"
    UNSUCCESSFUL_INTERVIEW = "unsuccessful_interview", "Unsuccessful at interview"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    CHECKS_FAILED = "checks_failed", "Pre-employment checks not passed"
    ACCEPTED_ELSEWHERE = "accepted_elsewhere", "Took another job"
    PAY = "pay", "Pay or terms"
    PERSONAL = "personal", "Personal reasons"
    NO_RESPONSE = "no_response", "No response from applicant"
    OTHER = "other", "Other"


class Check(models.TextChoices):
    """Pre-employment checks: each has a date field on Application."""

    DBS = "dbs_cleared_on", "DBS (enhanced, children's barred list)"
    REFERENCES = "references_cleared_on", "References"
    SWE_REGISTRATION = "swe_registration_checked_on", "Social Work England registration"
    RIGHT_TO_WORK = "right_to_work_checked_on", "Right to work"


class CheckInKind(models.TextChoices):
    """Induction check-ins for each starter (Tameside 5.4, 3.21)."""

    KIT_WEEKS = "kit_weeks", "Keeping-in-touch day (3-4 weeks)"
    DAY_90 = "day_90", "90-day check-in"
    KIT_MONTHS = "kit_months", "Keeping-in-touch day (3-4 months)"


#: Kind -> (first day it is due, last day before it is overdue), in days after the start.
CHECK_IN_WINDOWS = {
    CheckInKind.KIT_WEEKS: (21, 28),
    CheckInKind.DAY_90: (83, 90),
    CheckInKind.KIT_MONTHS: (91, 122),
}


class PipelineRoute(models.TextChoices):
    """Grow-our-own and newly qualified routes that bring social workers in later."""

    NQSW_COHORT = "nqsw_cohort", "NQSW / ASYE cohort"
    STEP_UP = "step_up", "Step Up to Social Work"
    APPRENTICESHIP = "apprenticeship", "Social work degree apprenticeship"
    PG_DIPLOMA = "pg_diploma", "Postgraduate diploma"
    INTERNATIONAL = "international", "International recruitment"
