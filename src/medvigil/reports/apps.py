from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "medvigil.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.reports import policies  # noqa: F401  (registers the object policy)
