from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "medvigil.disclosure"
    label = "disclosure"
    verbose_name = "Coordinated vulnerability disclosure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.disclosure import demo, metrics, policies, tiles  # noqa: F401  (registrations)
        from medvigil.web.navigation import Area, register_area

        register_area(Area("Disclosure", "disclosure:case-list", 40))
