from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "medvigil.portfolio"
    label = "portfolio"
    verbose_name = "Products, versions and lifecycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.platform.navigation import Area, register_area
        from medvigil.portfolio import demo, policies, tiles  # noqa: F401  (registrations)

        register_area(Area("Products", "portfolio:product-list", 10))
