from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "medvigil.web"
    label = "web"
    verbose_name = "Platform shell"
    default_auto_field = "django.db.models.BigAutoField"
