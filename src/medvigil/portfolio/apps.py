from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "medvigil.portfolio"
    label = "portfolio"
    verbose_name = "Products, versions and lifecycle"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.portfolio import demo, policies, tiles  # noqa: F401  (registrations)
        from medvigil.web.navigation import Area, register_area

        register_area(Area("Products", "portfolio:product-list", 10))
