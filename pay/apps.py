from django.apps import AppConfig


class PayConfig(AppConfig):
    name = "pay"
    verbose_name = "Pay and incentives"

    def ready(self) -> None:
        from core.audit import audit_register
        from workforce.census.figures import register_pay_provider

        from . import models
        from .census import census_pay

        # The census return's pay items (2025 on) are the pay app's (workforce.census.figures).
        register_pay_provider(census_pay)

        audit_register(models.WorkerPoint)
        audit_register(models.IncentivePayment)
        audit_register(models.OnCostRate)
        audit_register(models.AgencyEquivalentGrade)
