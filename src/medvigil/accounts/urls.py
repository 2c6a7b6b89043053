from django.contrib.auth import views as authentication_views
from django.urls import path

from medvigil.accounts import views
from medvigil.accounts.passwords import (
    AuditedPasswordChangeView,
    AuditedPasswordResetConfirmView,
    AuditedPasswordResetView,
)

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/<int:token_id>/revoke", views.revoke_token, name="token-revoke"),
    path("account/mfa/setup", views.mfa_setup, name="mfa-setup"),
    path("account/mfa/verify", views.mfa_verify, name="mfa-verify"),
    path("account/mfa/recovery-codes", views.recovery_codes, name="mfa-recovery-codes"),
    path("administration/users/", views.users, name="administration-users"),
    path("administration/users/<int:user_id>/", views.user_detail, name="administration-user"),
    path(
        "administration/users/<int:user_id>/activity",
        views.user_activity,
        name="administration-user-activity",
    ),
    path(
        "administration/organisations/",
        views.organisations,
        name="administration-organisations",
    ),
    path("administration/teams/", views.teams, name="administration-teams"),
    path("account/password/", AuditedPasswordChangeView.as_view(), name="password_change"),
    path(
        "account/password/done/",
        authentication_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password-reset/", AuditedPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        authentication_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        AuditedPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        authentication_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
