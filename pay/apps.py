from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "pay"
    verbose_name = "Pay and incentives"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from workforce.census.figures import register_pay_provider

        from . import models
        from .census import census_pay

        # The census return's pay items (2025 on) are the pay app's (workforce.census.figures).
        register_pay_provider(census_pay)

        auditlog.register(models.WorkerPoint)
        auditlog.register(models.IncentivePayment)
        auditlog.register(models.OnCostRate)
        auditlog.register(models.AgencyEquivalentGrade)
