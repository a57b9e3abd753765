from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "pay"
    verbose_name = "Pay and incentives"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.WorkerPoint)
        auditlog.register(models.IncentivePayment)
        auditlog.register(models.OnCostRate)
        auditlog.register(models.AgencyEquivalentGrade)
