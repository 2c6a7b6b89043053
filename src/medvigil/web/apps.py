from django.apps import AppConfig


class WebConfig(AppConfig):
    """The page face: dashboard, navigation, base templates, sign-in."""

    name = "medvigil.web"
    label = "web"
    verbose_name = "Pages"
    default_auto_field = "django.db.models.BigAutoField"
