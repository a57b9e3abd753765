from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from .signals import connect_exit_signals, connect_workforce_signals

        # Changes to workforce data mark the stored KPI snapshots stale and queue a refresh.
        connect_workforce_signals()
        # Erased exit text leaves no copy in a report pack (retention).
        connect_exit_signals()
