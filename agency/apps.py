from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = "Agency social workers"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Placements and the cap sign-offs are audited (who, when, before/after): a cap
        # breach stands on its two signatures, so a change to one must leave a trace.
        auditlog.register(models.AgencyPlacement)
        auditlog.register(models.CapSignOff)
        auditlog.register(models.RegionalPriceCap)
