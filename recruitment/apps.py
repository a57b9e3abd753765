from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = "Recruitment"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models

        # Audited so a refused stale edit can say who changed what (core.locking). Never
        # the applicant's personal data, which must go when it is deleted on request.
        audit_register(models.Vacancy)
        audit_register(
            models.Application,
            include_fields=[
                "vacancy", "campaign", "route", "stage", "outcome", "applied_on",
                "shortlisted_on", "interviewed_on", "offered_on", "accepted_on",
                "checks_completed_on", "started_on", "dbs_cleared_on", "references_cleared_on",
                "swe_registration_checked_on", "right_to_work_checked_on", "closed_on",
                "close_reason", "anonymised_on", "version",
            ],
        )  # fmt: skip
