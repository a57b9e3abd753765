from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "Workforce"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models, signals

        signals.connect()

        # Every change to a person's record is audited: who, when, before/after.
        for model in (
            models.Person,
            models.Employment,
            models.Assignment,
            models.CaseloadSnapshot,
            models.SicknessAbsence,
        ):
            auditlog.register(model)
        auditlog.register(models.User, exclude_fields=["password", "last_login"])
