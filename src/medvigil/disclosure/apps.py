from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "medvigil.disclosure"
    label = "disclosure"
    verbose_name = "Coordinated vulnerability disclosure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.disclosure import (  # noqa: F401  (registrations)
            advisory_policies,
            demo,
            metrics,
            policies,
            tiles,
        )
        from medvigil.disclosure.advisory_demo import load_demo_advisory  # noqa: F401  (after demo)
        from medvigil.platform.navigation import Area, register_area

        register_area(Area("Disclosure", "disclosure:case-list", 40))
