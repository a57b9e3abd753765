from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

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
            auditlog.register(model)
