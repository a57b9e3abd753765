from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = "Agency social workers"

    def ready(self) -> None:
        from core.audit import audit_register
        from workforce.followups import register_follow_up

        from . import models
        from .followups import placement_follow_up

        # Placements and the cap sign-offs are audited (who, when, before/after): a cap
        # breach stands on its two signatures, so a change to one must leave a trace.
        audit_register(models.AgencyPlacement)
        audit_register(models.CapSignOff)
        audit_register(models.RegionalPriceCap)

        # Starting an agency worker on the HR pages leads on to the placement form, and the
        # person page says when the placement details are missing (workforce.followups).
        register_follow_up(placement_follow_up)
