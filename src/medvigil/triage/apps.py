from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "medvigil.triage"
    label = "triage"
    verbose_name = "Triage, scoring and remediation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.triage import policies  # noqa: F401  (registrations)
