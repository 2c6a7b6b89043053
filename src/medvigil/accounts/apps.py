from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medvigil.accounts"
    label = "accounts"
    verbose_name = "People, organisations and access"
    default_auto_field = "django.db.models.BigAutoField"
