"""Permission-matrix entries for the recruitment pages (recruitment/urls.py; see
tests/access.py).

Staff readers (HR officers, service managers, directors, admins) see vacancies, adverts,
applicants, induction and pipelines; HR officers, service managers (their own teams: the
matrix's service manager manages ``world.team``, where the vacancy is) and admins use the
forms; only HR officers and admins delete an applicant's personal data; everyone with a
role sees the aggregate funnel, and councillors never see an applicant's name.
"""

import datetime as dt

from recruitment.choices import Check
from recruitment.roles import (
    APPLICANT_DATA_ERASERS,
    FUNNEL_READERS,
    RECRUITMENT_READERS,
    RECRUITMENT_WRITERS,
)
from tests.access import Access


def build_world(world):
    """Adds ``world.vacancy`` in ``world.team``, ``world.application`` (Zebedee
    Quillfeather, pre-employment checks done) and ``world.check_in`` for the employment
    of ``world.person``."""
    from recruitment import services

    world.vacancy = services.vacancy_open(
        team=world.team,
        grade=world.grade,
        fte="1",
        reason="new_post",
        opened_on=dt.date(2024, 1, 8),
    )
    application = services.application_create(
        vacancy=world.vacancy, first_name="Zebedee", last_name="Quillfeather",
        route="experienced", applied_on=dt.date(2024, 2, 1),
    )  # fmt: skip
    for stage, day in [("interviewed", 5), ("offered", 6), ("accepted", 7)]:
        application.refresh_from_db()
        services.application_move(
            application=application, stage=stage, date=dt.date(2024, 2, day),
            version=application.version,
        )  # fmt: skip
    for check in Check:  # the last one completes the checks stage
        application.refresh_from_db()
        services.application_check_record(
            application=application, check=check, date=dt.date(2024, 2, 8),
            version=application.version, checked_by="Matrix checker",
        )  # fmt: skip
    world.application = application
    world.check_in = services.induction_check_ins_create(employment=world.employment)[0]


def _vacancy(world):
    return {"pk": world.vacancy.pk}


def _application(world):
    return {"pk": world.application.pk}


EXPECTED = {
    "recruitment:vacancy-list": Access(RECRUITMENT_READERS, query="?status=open"),
    "recruitment:vacancy-create": Access(RECRUITMENT_WRITERS),
    "recruitment:vacancy-detail": Access(RECRUITMENT_READERS, kwargs=_vacancy),
    "recruitment:vacancy-update": Access(RECRUITMENT_WRITERS, kwargs=_vacancy),
    "recruitment:application-create": Access(RECRUITMENT_WRITERS, kwargs=_vacancy),
    "recruitment:campaign-list": Access(RECRUITMENT_READERS),
    "recruitment:campaign-create": Access(RECRUITMENT_WRITERS),
    "recruitment:pipeline": Access(RECRUITMENT_READERS, post_roles=RECRUITMENT_WRITERS),
    "recruitment:application-detail": Access(RECRUITMENT_READERS, kwargs=_application),
    "recruitment:application-stage": Access(RECRUITMENT_WRITERS, kwargs=_application),
    "recruitment:application-check": Access(RECRUITMENT_WRITERS, kwargs=_application),
    "recruitment:application-start": Access(RECRUITMENT_WRITERS, kwargs=_application),
    "recruitment:application-anonymise": Access(APPLICANT_DATA_ERASERS, kwargs=_application),
    "recruitment:induction": Access(RECRUITMENT_READERS),
    "recruitment:check-in-complete": Access(
        RECRUITMENT_WRITERS, kwargs=lambda world: {"pk": world.check_in.pk}
    ),
    "recruitment:cohort-list": Access(RECRUITMENT_READERS),
    "recruitment:cohort-create": Access(RECRUITMENT_WRITERS),
    "recruitment:funnel": Access(
        FUNNEL_READERS, query="?start=2024-01-01&end=2024-12-31", notes="aggregate only"
    ),
}
