from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "medvigil.triage"
    label = "triage"
    verbose_name = "Triage, scoring and remediation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.platform.navigation import Area, register_area
        from medvigil.platform.workers import register_periodic
        from medvigil.triage import demo, policies, receivers, tiles  # noqa: F401  (registrations)
        from medvigil.triage.notifications import check_due_if_time

        register_periodic(check_due_if_time)
        register_area(Area("Triage", "triage:due", 25, inside_only=True))
