from django.apps import AppConfig


class ExitsConfig(AppConfig):
    name = "exits"
    verbose_name = "Exits"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models, signals  # noqa: F401  (signals: exit records for every leaver)

        # Changes are audited (who, when, before/after) - but never the free text, which
        # must go when the retention period ends, not live on in the audit trail.
        audit_register(models.ExitRecord)
        audit_register(
            models.ExitQuestionnaire, exclude_fields=["free_text", "quote", "updated_at"]
        )
