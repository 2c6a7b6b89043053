"""Read-only admin views: every portfolio write goes through the services (and the audit trail)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medvigil.portfolio.models import (
    ClinicalFunction,
    Deployment,
    PhaseTransition,
    Product,
    ProductVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, *arguments: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False


class ClinicalFunctionInline(admin.TabularInline):
    model = ClinicalFunction
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, target: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "model_number", "us_class", "eu_class", "is_cyber_device", "team"]
    list_filter = ["is_cyber_device", "us_class", "eu_class", "team"]
    search_fields = ["name", "model_number", "udi_di"]
    inlines = [ClinicalFunctionInline]


@admin.register(ProductVersion)
class ProductVersionAdmin(ReadOnlyAdmin):
    list_display = ["product", "version", "phase", "release_date", "end_of_support_date"]
    list_filter = ["phase", "update_method"]
    search_fields = ["product__name", "version"]


@admin.register(PhaseTransition)
class PhaseTransitionAdmin(ReadOnlyAdmin):
    list_display = ["version", "from_phase", "to_phase", "effective_date", "recorded_by"]
    list_filter = ["to_phase"]


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ["version", "organisation", "units", "since"]
    search_fields = ["organisation__name", "version__product__name"]
