"""Triage pages, mounted at /triage/."""

from django.urls import path

from medvigil.triage import bulk_views, plots, queue, views

app_name = "triage"

urlpatterns = [
    path("versions/<int:version_id>/", views.version_list, name="version"),
    path("versions/<int:version_id>/environment", views.environment, name="environment"),
    path("versions/<int:version_id>/proposals", views.gather, name="gather"),
    path("findings/<int:finding_id>/", views.finding_page, name="finding"),
    path("findings/<int:finding_id>/decision", views.decide, name="decide"),
    path("findings/<int:finding_id>/scores", views.save_scores, name="scores"),
    path("findings/<int:finding_id>/plan", views.save_remediation, name="plan"),
    path("decisions/<int:decision_id>/approval", views.approve, name="approve"),
    path("proposals/<int:proposal_id>/confirmation", views.confirm, name="confirm"),
    path("proposals/<int:proposal_id>/dismissal", views.dismiss, name="dismiss"),
    path("bulk/", bulk_views.bulk, name="bulk"),
    path("due/", bulk_views.due, name="due"),
    path("queue/", queue.queue_page, name="queue"),
    path("dashboard/", plots.dashboard, name="dashboard"),
]
