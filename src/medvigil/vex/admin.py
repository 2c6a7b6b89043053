"""Supplier VEX documents in the admin, read-only: imports go through the service and the audit."""

from __future__ import annotations

from django.contrib import admin

from medvigil.portfolio.admin import ReadOnlyAdmin
from medvigil.vex.models import SupplierVex


@admin.register(SupplierVex)
class SupplierVexAdmin(ReadOnlyAdmin):
    list_display = ("filename", "format", "version", "author", "statement_count", "uploaded_at")
    list_filter = ("format",)
    search_fields = ("filename", "author", "identifier", "sha256")
    exclude = ("content",)
