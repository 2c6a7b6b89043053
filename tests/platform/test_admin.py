"""The admin shows records but never writes around the audited services, nor shows secrets."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.audit.models import AuditEvent
from medvigil.vulns.models import Finding, Vulnerability
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_client(client: Client) -> tuple[Client, Any]:
    person = factories.user(administrator=True, username="root")
    return factories.sign_in(client, person), person


def open_finding() -> Finding:
    vulnerability = Vulnerability.objects.create(canonical_id="CVE-2024-0001")
    now = timezone.now()
    return Finding.objects.create(
        vulnerability=vulnerability,
        version=factories.version(factories.product()),
        component_name="openssl",
        method="purl",
        confidence="exact",
        first_seen=now,
        last_seen=now,
    )


def test_the_user_change_page_shows_no_second_factor_key(
    administrator_client: tuple[Client, Any],
) -> None:
    client, person = administrator_client
    device = TOTPDevice.objects.get(user=person)
    page = client.get(f"/admin/auth/user/{person.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_closing_a_finding_through_the_admin_is_refused_and_writes_nothing(
    administrator_client: tuple[Client, Any],
) -> None:
    client, _ = administrator_client
    finding = open_finding()
    events = AuditEvent.objects.count()
    answer = client.post(
        f"/admin/vulns/finding/{finding.pk}/change/",
        {"state": "closed", "close_reason": "admin said so"},
    )
    assert answer.status_code == 403
    finding.refresh_from_db()
    assert (finding.state, finding.close_reason) == ("open", "")
    deleted = client.post(f"/admin/vulns/finding/{finding.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    assert Finding.objects.filter(pk=finding.pk).exists()
    assert AuditEvent.objects.count() == events


def test_granting_superuser_through_the_admin_is_refused(
    administrator_client: tuple[Client, Any],
) -> None:
    client, _ = administrator_client
    person = factories.user(username="plain")
    events = AuditEvent.objects.count()
    answer = client.post(
        f"/admin/auth/user/{person.pk}/change/",
        {"username": "plain", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )
    assert answer.status_code == 403
    person.refresh_from_db()
    assert (person.is_superuser, person.is_staff) == (False, False)
    assert client.post("/admin/auth/user/add/", {"username": "x"}).status_code == 403
    assert AuditEvent.objects.count() == events


def test_every_registered_model_is_read_only() -> None:
    request: Any = None
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
