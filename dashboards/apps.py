from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from pay.figures import register_provider as register_case_holding_provider
        from workforce.census.figures import register_provider

        from .kpis.census import census_figures
        from .kpis.costs import case_holding_average
        from .signals import connect_exit_signals, connect_workforce_signals

        # The census return's figures are the KPI engine's (workforce.census.figures).
        register_provider(census_figures)
        # The cost per case-holding FTE divides by the engine's case-holders (pay.figures).
        register_case_holding_provider(case_holding_average)

        # Changes to workforce data mark the stored KPI snapshots stale and queue a refresh.
        connect_workforce_signals()
        # Erased exit text leaves no copy in a report pack (retention).
        connect_exit_signals()
