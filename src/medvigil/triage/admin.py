"""Read-only admin views of triage records: every write goes through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medvigil.triage.models import Assessment, Decision, DueNotification, Proposal, RemediationPlan


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = (
        "vulnerability",
        "component_key",
        "version",
        "status",
        "requires_approval",
        "approved_at",
        "created_at",
    )
    list_filter = ("status", "requires_approval")
    search_fields = ("component_key", "vulnerability__canonical_id")


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ("vulnerability", "component_key", "version", "status", "source", "state")
    list_filter = ("source", "state")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = (
        "vulnerability",
        "component_key",
        "version",
        "priority",
        "ssvc_outcome",
        "harm_severity",
        "control_status",
    )
    list_filter = ("priority", "control_status")


@admin.register(RemediationPlan)
class RemediationPlanAdmin(ReadOnly):
    list_display = ("vulnerability", "component_key", "version", "due_at", "remediated_at")


@admin.register(DueNotification)
class DueNotificationAdmin(ReadOnly):
    list_display = ("plan", "clock", "threshold", "channel", "state", "attempts", "sent_at")
    list_filter = ("state", "channel", "threshold")
