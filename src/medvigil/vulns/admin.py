"""Read-mostly admin views of vulnerability data (writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from medvigil.vulns.models import Advisory, FeedImport, FeedSource, Finding, Vulnerability


@admin.register(Vulnerability)
class VulnerabilityAdmin(admin.ModelAdmin):
    list_display = ("canonical_id", "severity", "score", "modified")
    search_fields = ("canonical_id", "summary")
    readonly_fields = ("canonical_id", "members", "merged_into")


@admin.register(Advisory)
class AdvisoryAdmin(admin.ModelAdmin):
    list_display = ("identifier", "source", "modified", "withdrawn")
    list_filter = ("source",)
    search_fields = ("identifier",)
    exclude = ("raw", "record")
    readonly_fields = ("identifier", "source", "vulnerability")


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "url", "enabled", "last_imported_at", "last_status")


@admin.register(FeedImport)
class FeedImportAdmin(admin.ModelAdmin):
    list_display = ("origin", "kind", "status", "started_at", "finished_at")
    exclude = ("changed_keys",)


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("vulnerability", "component", "version", "state", "last_seen")
    list_filter = ("state",)
    raw_id_fields = ("vulnerability", "component", "version")
