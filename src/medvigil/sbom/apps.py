from django.apps import AppConfig


class SbomConfig(AppConfig):
    name = "medvigil.sbom"
    label = "sbom"
    verbose_name = "Software bills of materials"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medvigil.sbom import demo, policies  # noqa: F401  (registers policies, demo step)
