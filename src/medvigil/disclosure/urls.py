"""Disclosure pages, mounted at /disclosure/ (security.txt lives at the site root): the
portal (intake), case handling (cases), other parties and notifications."""

from django.urls import path

from medvigil.disclosure.cases import views
from medvigil.disclosure.intake import portal
from medvigil.disclosure.notifications import views as notification_views
from medvigil.disclosure.parties import views as party_views

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
    path("cases/<int:case_id>/parties", party_views.party_invite, name="party-invite"),
    path("parties/", party_views.party_list, name="party-list"),
    path("parties/<int:party_id>/", party_views.party_detail, name="party-detail"),
    path("parties/<int:party_id>/messages", party_views.party_message, name="party-message"),
    path("parties/<int:party_id>/share", party_views.party_share, name="party-share"),
    path("parties/<int:party_id>/revoke", party_views.party_revoke, name="party-revoke"),
    path("party/<str:access_token>", party_views.party_link, name="party-link"),
    path(
        "cases/<int:case_id>/notifications",
        notification_views.notification_record,
        name="notification-record",
    ),
    path(
        "notifications/<int:notification_id>/sent",
        notification_views.notification_sent,
        name="notification-sent",
    ),
    path("cases/<int:case_id>/fix", views.fix_record, name="fix-record"),
    path("cases/<int:case_id>/findings", views.finding_link, name="finding-link"),
    path("metrics", views.metrics_page, name="metrics"),
]
