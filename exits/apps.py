from django.apps import AppConfig


class ExitsConfig(AppConfig):
    name = "exits"
    verbose_name = "Exits"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (exit records for every leaver)
