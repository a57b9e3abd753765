from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "Workforce"

    def ready(self) -> None:
        from core.audit import audit_register

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
            audit_register(model)
        # Granting a role (group membership) and a team's managers decide what people see:
        # both are audited (issue 17), as are API tokens issued and revoked (never the key).
        audit_register(
            models.User, exclude_fields=["password", "last_login"], m2m_fields={"groups"}
        )
        audit_register(models.Team, m2m_fields={"managers"})
        from knox.models import AuthToken

        audit_register(AuthToken, include_fields=["user", "expiry"])
