from django.urls import path

from medvigil.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("verify/", views.verify, name="verify"),
    path("export.csv", views.export, {"format_name": "csv"}, name="export-csv"),
    path("export.json", views.export, {"format_name": "json"}, name="export-json"),
    path("object/<str:object_type>/<str:object_id>/", views.object_history, name="object"),
]
