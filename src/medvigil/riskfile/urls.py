"""Risk file pages, mounted at /riskfile/."""

from django.urls import path

from medvigil.riskfile import views

app_name = "riskfile"

urlpatterns = [
    path("versions/<int:version_id>/", views.overview, name="version"),
    path("versions/<int:version_id>/model", views.upload_model, name="upload"),
    path("versions/<int:version_id>/model.yaml", views.export_model, name="export"),
    path("versions/<int:version_id>/diagram.svg", views.diagram, name="diagram"),
    path("versions/<int:version_id>/threats", views.threat_list, name="threats"),
    path("versions/<int:version_id>/threats/regenerate", views.regenerate, name="regenerate"),
    path("threats/<int:threat_id>/decision", views.threat_decide, name="threat-decide"),
    path("versions/<int:version_id>/risks", views.risk_list, name="risks"),
    path("versions/<int:version_id>/risks/new", views.risk_create, name="risk-create"),
    path("risks/<int:risk_id>/edit", views.risk_update, name="risk-update"),
    path("risks/<int:risk_id>/benefit-risk", views.benefit_risk, name="benefit-risk"),
    path(
        "risks/<int:risk_id>/benefit-risk/approval",
        views.benefit_risk_approve,
        name="benefit-risk-approve",
    ),
    path("risks/<int:risk_id>/safety-links", views.safety_link, name="safety-link"),
    path("risks/<int:risk_id>/reviewed", views.risk_reviewed, name="risk-reviewed"),
    path("versions/<int:version_id>/controls", views.control_list, name="controls"),
    path("versions/<int:version_id>/controls/new", views.control_create, name="control-create"),
    path("controls/<int:control_id>/verifications", views.verification_add, name="verify"),
    path("controls/<int:control_id>/impact-review", views.impact_review, name="impact-review"),
    path("versions/<int:version_id>/safety", views.safety_list, name="safety"),
    path("versions/<int:version_id>/safety/import", views.safety_import, name="safety-import"),
    path("safety-entries/<int:entry_id>/reviewed", views.entry_reviewed, name="entry-reviewed"),
    path(
        "versions/<int:version_id>/vulnerabilities",
        views.vulnerability_list,
        name="vulnerabilities",
    ),
    path(
        "versions/<int:version_id>/vulnerabilities/link",
        views.vulnerability_link,
        name="vulnerability-link",
    ),
    path("risks/<int:risk_id>/reevaluated", views.risk_reevaluated, name="risk-reevaluated"),
    path(
        "vulnerability-links/<int:link_id>/remove",
        views.vulnerability_unlink,
        name="vulnerability-unlink",
    ),
    path("versions/<int:version_id>/traceability", views.traceability_page, name="traceability"),
    path(
        "versions/<int:version_id>/traceability/export",
        views.traceability_export,
        name="traceability-export",
    ),
]
