from django.apps import AppConfig


class SbomConfig(AppConfig):
    name = "medvigil.sbom"
    label = "sbom"
    verbose_name = "Software bills of materials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations: policies, demo step, the sweep of files left by killed imports,
        # the menu area of the component search.
        from medvigil.platform.navigation import Area, register_area
        from medvigil.platform.workers import register_periodic
        from medvigil.sbom import demo, policies  # noqa: F401
        from medvigil.sbom.orphans import sweep_when_due
        from medvigil.sbom.search import may_search

        register_periodic(sweep_when_due)
        register_area(Area("Components", "sbom:where", 15, allowed=may_search))
