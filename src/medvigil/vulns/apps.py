from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "medvigil.vulns"
    label = "vulns"
    verbose_name = "Vulnerability intelligence and findings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations: policies, dashboard tiles, health check, demo step, SBOM hook.
        from medvigil.vulns import demo, health, policies, receivers, tiles  # noqa: F401
        from medvigil.web.navigation import Area, register_area

        register_area(Area("Vulnerabilities", "vulns:search", 20))
