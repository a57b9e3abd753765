"""Recruitment test helpers: a vacancy and applications moved through the services."""

from __future__ import annotations

import datetime as dt
from itertools import count

from recruitment import services
from recruitment.choices import Route, Stage
from tests.factories import GradeFactory, TeamFactory
from workforce.choices import OrgRole

_names = count(1)


def open_vacancy(*, team=None, grade=None, opened_on=dt.date(2024, 1, 8), fte="1", **extra):
    return services.vacancy_open(
        team=team or TeamFactory(),
        grade=grade or GradeFactory(default_org_role=OrgRole.CASE_HOLDER),
        fte=fte,
        reason=extra.pop("reason", "new_post"),
        opened_on=opened_on,
        **extra,
    )


def apply(vacancy, *, applied_on=dt.date(2024, 2, 1), campaign=None, route=Route.EXPERIENCED, **kw):
    n = next(_names)
    return services.application_create(
        vacancy=vacancy,
        campaign=campaign,
        first_name=kw.pop("first_name", f"Applicant{n}"),
        last_name=kw.pop("last_name", f"Surname{n}"),
        route=route,
        applied_on=applied_on,
        **kw,
    )


def move(application, stage, date):
    """Move forward (refreshing the version each time, as a user reloading would)."""
    application.refresh_from_db()
    return services.application_move(
        application=application, stage=stage, date=date, version=application.version
    )


def take_to(application, last_stage, *, day=dt.date(2024, 2, 5), step=dt.timedelta(days=7)):
    """Move through every stage up to ``last_stage`` (pre-start), a week apart."""
    order = [Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.OFFERED, Stage.ACCEPTED, Stage.CHECKS]
    for stage in order:
        if stage == Stage.CHECKS:
            record_checks(application, day)  # the last one completes the stage
        else:
            move(application, stage, day)
        if stage == last_stage:
            break
        day += step
    application.refresh_from_db()
    return application


def record_checks(application, date, checks=None, checked_by="Pat Checker (HR)"):
    """Record pre-employment checks (all four by default), each on ``date``."""
    from recruitment.choices import Check

    for check in checks or list(Check):
        application.refresh_from_db()
        services.application_check_record(
            application=application, check=check, date=date, version=application.version,
            checked_by=checked_by,
        )  # fmt: skip
    application.refresh_from_db()
    return application
