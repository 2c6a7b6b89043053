"""Disclosure pages, mounted at /disclosure/ (security.txt lives at the site root)."""

from django.urls import path

from medvigil.disclosure import portal, views

app_name = "disclosure"

urlpatterns = [
    path("", portal.policy, name="policy"),
    path("report", portal.report, name="report"),
    path("report/receipt", portal.receipt, name="receipt"),
    path("follow-up/<str:follow_up_token>", portal.follow_up, name="follow-up"),
    path("openpgp-key.asc", portal.openpgp_key, name="openpgp-key"),
    path("acknowledgments", portal.acknowledgments, name="acknowledgments"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/move", views.case_move, name="case-move"),
    path("cases/<int:case_id>/messages", views.case_message, name="case-message"),
    path("cases/<int:case_id>/embargo", views.case_embargo, name="case-embargo"),
    path("cases/<int:case_id>/affected", views.case_affected, name="case-affected"),
    path("attachments/<int:attachment_id>", views.attachment_download, name="attachment"),
]
