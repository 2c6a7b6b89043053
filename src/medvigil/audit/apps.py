from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "medvigil.audit"
    label = "audit"
    verbose_name = "Audit trail and electronic signatures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.audit import signals  # noqa: F401  (connects the sign-in receivers)
