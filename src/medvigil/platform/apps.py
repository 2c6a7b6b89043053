from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "medvigil.platform"
    label = "platform"
    verbose_name = "Platform"
    default_auto_field = "django.db.models.BigAutoField"
