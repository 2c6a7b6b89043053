"""The Django admin, read-only for every model, without second-factor secrets.

Every write of medvigil goes through a service that appends its audit event;
the admin's forms would write around them (closing a finding, granting
superuser) and leave no trace. So the site wraps whatever is registered, by
any app or library, in an admin that may list and show but never add, change,
delete or run actions. Second-factor devices are not registered at all: their
pages would show every user's TOTP key and recovery codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db.models import Model
from django.http import HttpRequest

# Their rows are secrets (TOTP keys, recovery codes): never shown, even read-only.
HIDDEN_MODELS = frozenset({"otp_totp.totpdevice", "otp_static.staticdevice"})


class ReadOnlyInline(admin.options.InlineModelAdmin):
    def has_add_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """Mixed in before an app's own admin class: it keeps the lists, filters and read-only pages."""

    def has_add_permission(self, request: HttpRequest, *arguments: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class ReadOnlyAdminSite(admin.AdminSite):
    site_header = "medvigil administration (read-only: changes go through medvigil's pages)"

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin] | None = None,
        **options: Any,
    ) -> None:
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else model_or_iterable
        for model in models:
            if model._meta.label_lower in HIDDEN_MODELS:
                continue
            base = admin_class or admin.ModelAdmin
            inlines = [
                type(f"ReadOnly{inline.__name__}", (ReadOnlyInline, inline), {})
                for inline in base.inlines
            ]
            attributes = {"inlines": inlines}
            read_only = type(f"ReadOnly{base.__name__}", (ReadOnlyModelAdmin, base), attributes)
            super().register(model, read_only, **options)


class ReadOnlyAdminConfig(AdminConfig):
    """Installed in place of "django.contrib.admin" (same label, this site as the default)."""

    default_site = "medvigil.platform.admin.ReadOnlyAdminSite"
