from django.apps import AppConfig


class RiskfileConfig(AppConfig):
    name = "medvigil.riskfile"
    label = "riskfile"
    verbose_name = "Threat model and security risk file"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.riskfile import demo, policies, receivers, reports  # noqa: F401  (registrations)
