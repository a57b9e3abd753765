from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from .signals import connect_workforce_signals

        # Changes to workforce data mark the stored KPI snapshots stale and queue a refresh.
        connect_workforce_signals()
