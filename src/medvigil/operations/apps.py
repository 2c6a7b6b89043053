from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "medvigil.operations"
    label = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.operations import tiles  # noqa: F401  (registers the tiles)
