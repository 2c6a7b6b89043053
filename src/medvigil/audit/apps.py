from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "medvigil.audit"
    label = "audit"
    verbose_name = "Audit trail and electronic signatures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.audit import signals  # noqa: F401  (connects the sign-in receivers)
        from medvigil.audit.selectors import may_read_trail
        from medvigil.audit.services import checkpoint_if_due
        from medvigil.platform.navigation import Area, register_area
        from medvigil.platform.workers import register_periodic

        register_area(Area("Audit trail", "audit:events", 80, allowed=may_read_trail))
        register_periodic(checkpoint_if_due)
