from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "medvigil.portfolio"
    label = "portfolio"
    verbose_name = "Products, versions and lifecycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.portfolio import policies  # noqa: F401  (registers object policies)
