from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "medvigil.operations"
    label = "operations"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations: tiles, the lost-task check and its recovery with each heartbeat.
        from medvigil.operations import tiles  # noqa: F401
        from medvigil.operations.recovery import lost_tasks_check, recover_lost_tasks
        from medvigil.platform.health import register_check
        from medvigil.platform.workers import register_periodic

        register_check(lost_tasks_check)
        register_periodic(recover_lost_tasks)
