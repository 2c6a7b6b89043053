"""TOTP is required for inside roles: enrol, verify, recovery codes; the API refuses until then."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.audit.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def password_sign_in(client: Client, username: str) -> None:
    response = client.post("/sign-in/", {"username": username, "password": factories.PASSWORD})
    assert response.status_code == 302


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize(
    "role", ["administrator", "product-security", "risk-manager", "regulatory", "psirt", "viewer"]
)
def test_every_inside_role_must_enrol_before_reaching_any_page(client: Client, role: str) -> None:
    factories.user(username="inside", roles={role})
    password_sign_in(client, "inside")
    for path in ("/", "/account/", "/products/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == "/account/mfa/setup"
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403
    assert "second sign-in step" in api.json()["detail"]


@pytest.mark.parametrize("role", ["researcher", "customer", "supplier"])
def test_outside_roles_need_no_second_factor(client: Client, role: str) -> None:
    kind = {"customer": "customer", "supplier": "supplier"}.get(role)
    organisation = factories.organisation(kind) if kind else None
    factories.user(username="outside", roles={role}, organisation=organisation)
    password_sign_in(client, "outside")
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/accounts/me").json()["roles"] == [role]


def test_enrolment_confirms_a_code_and_shows_ten_recovery_codes_once(client: Client) -> None:
    person = factories.user(username="priya", roles={"product-security"})
    password_sign_in(client, "priya")
    page = client.get("/account/mfa/setup").content.decode()
    assert "data:image/svg+xml" in page
    secret = re.search(r"<code data-secret>([A-Z2-7]+)</code>", page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    wrong = client.post("/account/mfa/setup", {"code": "000000"})
    assert b"That code is not right" in wrong.content
    time.sleep(1.1)  # django-otp throttles the device for a second after a failure
    confirmed = client.post("/account/mfa/setup", {"code": current_code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", confirmed.content.decode())
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/accounts/me").json()["second_factor_enrolled"] is True
    actions = list(AuditEvent.objects.filter(actor=person).values_list("action", flat=True))
    assert "mfa-enrolment-failed" in actions
    assert "mfa-enrolled" in actions


def test_a_recovery_code_signs_in_once(client: Client) -> None:
    person = factories.user(username="pascal", roles={"psirt"})
    device = TOTPDevice.objects.create(user=person, confirmed=True, name="phone")
    from medvigil.accounts.mfa import replace_recovery_codes

    codes = replace_recovery_codes(person)
    password_sign_in(client, "pascal")
    assert client.get("/")["Location"] == "/account/mfa/verify"
    client.post("/account/mfa/verify", {"code": codes[0]})
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    other = Client()
    password_sign_in(other, "pascal")
    reused = other.post("/account/mfa/verify", {"code": codes[0]})
    assert b"That code is not right" in reused.content
    other.post("/account/mfa/verify", {"code": current_code(device)})
    assert other.get("/").status_code == 200
