from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "medvigil.alerts"
    label = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.alerts import demo, policies  # noqa: F401  (registrations)
        from medvigil.alerts.processing import process
        from medvigil.alerts.selectors import unread_count
        from medvigil.platform.navigation import Area, register_area
        from medvigil.platform.workers import register_periodic

        register_periodic(process)
        register_area(Area("Alerts", "alerts:inbox", 12, badge=unread_count))
