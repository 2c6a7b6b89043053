from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medvigil.accounts"
    label = "accounts"
    verbose_name = "People, organisations and access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.accounts import demo, lockout, policies, signals  # noqa: F401  (registrations)
        from medvigil.platform.navigation import Area, register_area

        register_area(Area("Account", "account", 80))
        register_area(Area("People", "administration-users", 95, administrators_only=True))
