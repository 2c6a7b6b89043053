"""Vulnerability pages, mounted at /vulnerabilities/."""

from django.urls import path

from medvigil.vulns import identity_views, views

app_name = "vulns"

urlpatterns = [
    path("", views.search, name="search"),
    path("results", views.search_results, name="search-results"),
    path("feeds/", views.feeds, name="feeds"),
    path("feeds/import", views.feed_import, name="feed-import"),
    path("feeds/sync", views.feed_sync, name="feed-sync"),
    path("feeds/sources/<str:source_name>/enable", views.feed_enable, name="feed-enable"),
    path("feeds/sources/<str:source_name>/disable", views.feed_disable, name="feed-disable"),
    path("versions/<int:version_id>/findings", views.version_findings, name="version-findings"),
    path(
        "versions/<int:version_id>/findings/rows",
        views.version_finding_rows,
        name="version-finding-rows",
    ),
    path("versions/<int:version_id>/rematch", views.version_rematch, name="version-rematch"),
    path("findings/<int:finding_id>/review", views.finding_review, name="finding-review"),
    path("identities/", identity_views.identities_page, name="identities"),
    path(
        "identities/components/<int:component_id>/cpe",
        identity_views.confirm,
        name="identity-confirm",
    ),
    path(
        "identities/confirmations/<int:confirmation_id>/withdraw",
        identity_views.withdraw_confirmation,
        name="identity-withdraw",
    ),
    path(
        "identities/components/<int:component_id>/product-mappings",
        identity_views.map_product,
        name="product-map",
    ),
    path(
        "identities/product-mappings",
        identity_views.map_chosen_product,
        name="product-map-chosen",
    ),
    path(
        "identities/product-mappings/<int:mapping_id>/withdraw",
        identity_views.withdraw_mapping,
        name="product-mapping-withdraw",
    ),
    path("<str:identifier>/", views.detail, name="detail"),
]
