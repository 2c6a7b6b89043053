from django.contrib.auth import views as authentication_views
from django.urls import path

from medvigil.web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard/tiles", views.dashboard_tiles, name="dashboard-tiles"),
    path(
        "sign-in/",
        authentication_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("sign-out/", authentication_views.LogoutView.as_view(), name="logout"),
]
