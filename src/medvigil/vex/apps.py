from django.apps import AppConfig


class VexConfig(AppConfig):
    name = "medvigil.vex"
    label = "vex"
    verbose_name = "VEX import and export"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.vex import assessment_report, demo, policies  # noqa: F401  (registrations)
