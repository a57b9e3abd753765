from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from core.audit import audit_register

        from . import models

        for model in (
            models.Committee,
            models.Review,
            models.Recommendation,
            models.ExecutiveResponse,
            models.Action,
            models.ProgressUpdate,
            models.MemberComment,
        ):
            audit_register(model)
