"""TOTP multi-factor authentication, required for every inside role.

After the password, an inside user either enrols (scans the secret, confirms
a code, receives ten recovery codes shown once) or verifies with a code from
the authenticator or one recovery code. Until then every page redirects to
that step and the API refuses the session.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any, cast

import segno
from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.audit.services import record
from medvigil.platform import permissions

RECOVERY_CODE_COUNT = 10
# Paths an inside user may reach before the second factor.
OPEN_PATHS = ("/account/mfa/", "/sign-out/", "/sign-in/", "/static/", "/api/", "/password-reset/")


def needs_second_factor(user: Any) -> bool:
    return bool(user.is_authenticated and permissions.is_inside(user))


def session_is_verified(user: Any) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def qr_code_data_uri(device: TOTPDevice) -> str:
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=4))


@transaction.atomic
def confirm_enrolment(request: HttpRequest, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code; returns the new recovery codes, or None if wrong."""
    if not device.verify_token(code.strip().replace(" ", "")):
        record("mfa-enrolment-failed", cast(Model, request.user))
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_recovery_codes(request.user)
    otp_login(request, device)
    record("mfa-enrolled", cast(Model, request.user), details={"device": "totp"})
    return codes


def replace_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def verify_second_factor(request: HttpRequest, code: str) -> bool:
    user = cast(Model, request.user)  # signed in: the second step follows the first
    cleaned = code.strip().replace(" ", "")
    totp = confirmed_totp(user)
    # Only a code shaped like a TOTP code goes to the authenticator device, so that a
    # recovery code never counts as a failed authenticator attempt (and its throttling).
    looks_like_totp = cleaned.isdigit() and totp is not None and len(cleaned) == totp.digits
    if looks_like_totp and totp is not None and totp.verify_token(cleaned):
        otp_login(request, totp)
        record("mfa-verified", user, details={"device": "totp"})
        return True
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(cleaned):
            otp_login(request, device)
            remaining = StaticToken.objects.filter(device=device).count()
            record(
                "mfa-verified", user, details={"device": "recovery code", "remaining": remaining}
            )
            return True
    record("mfa-verification-failed", user)
    return False


class SecondFactorRequiredMiddleware:
    """Sends inside users without a verified second factor to enrol or verify."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not session_is_verified(user)
            and not request.path.startswith(OPEN_PATHS)
        ):
            target = "mfa-verify" if confirmed_totp(user) else "mfa-setup"
            return redirect(target)
        return self.get_response(request)
