"""security.txt checked field by field against RFC 9116, and the acknowledgments page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from medvigil.disclosure.cases import services
from tests.disclosure.conftest import submitted

pytestmark = pytest.mark.django_db
FIELD = re.compile(r"^([A-Za-z0-9-]+): (.+)$")
KNOWN = {
    "acknowledgments",
    "canonical",
    "contact",
    "encryption",
    "expires",
    "hiring",
    "policy",
    "preferred-languages",
    "csaf",
}
URI = re.compile(r"^(mailto:[^@\s]+@[^@\s]+|tel:\+?[0-9-]+|https://\S+)$")


def signed_content(body: str) -> str:
    """The text inside an OpenPGP cleartext signature (the whole body when unsigned)."""
    if not body.startswith("-----BEGIN PGP SIGNED MESSAGE-----"):
        return body
    inside = body.split("\n\n", 1)[1].split("-----BEGIN PGP SIGNATURE-----", 1)[0]
    return "\n".join(line.removeprefix("- ") for line in inside.splitlines())


def fields(body: str) -> list[tuple[str, str]]:
    found = []
    for line in signed_content(body).splitlines():
        if not line or line.startswith("#"):
            continue
        match = FIELD.match(line)
        assert match, f"not a field line: {line!r}"
        found.append((match.group(1).lower(), match.group(2)))
    return found


def fetch(settings: Any) -> tuple[Any, list[tuple[str, str]]]:
    settings.DISCLOSURE_PUBLIC_URL = "https://psirt.example.com"
    settings.DISCLOSURE_CONTACTS = ["mailto:psirt@example.com", "tel:+1-555-0100"]
    response = Client().get("/.well-known/security.txt")
    return response, fields(response.content.decode("utf-8"))


def test_security_txt_follows_rfc_9116(settings: Any) -> None:
    response, found = fetch(settings)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    names = [name for name, _ in found]
    assert set(names) <= KNOWN
    contacts = [value for name, value in found if name == "contact"]
    assert contacts[:2] == ["mailto:psirt@example.com", "tel:+1-555-0100"]  # order = preference
    assert contacts[2] == "https://psirt.example.com/disclosure/report"
    assert all(URI.match(contact) for contact in contacts)
    assert names.count("expires") == 1
    expires = datetime.datetime.fromisoformat(dict(found)["expires"].replace("Z", "+00:00"))
    now = datetime.datetime.now(datetime.UTC)
    assert now < expires < now + datetime.timedelta(days=365)  # §2.5.5: less than a year
    assert dict(found)["expires"].endswith("Z")  # RFC 3339 date-time
    assert names.count("preferred-languages") == 1
    assert dict(found)["preferred-languages"] == "en"
    assert dict(found)["canonical"] == "https://psirt.example.com/.well-known/security.txt"
    assert dict(found)["policy"] == "https://psirt.example.com/disclosure/"
    assert dict(found)["acknowledgments"] == "https://psirt.example.com/disclosure/acknowledgments"
    assert "encryption" not in names  # no key configured: no Encryption field
    for name, value in found:
        if name != "contact" and name != "preferred-languages" and name != "expires":
            assert value.startswith("https://"), name


def test_expires_moves_with_the_clock(settings: Any) -> None:
    settings.DISCLOSURE_SECURITY_TXT_DAYS = 30
    _, found = fetch(settings)
    expires = datetime.datetime.fromisoformat(dict(found)["expires"].replace("Z", "+00:00"))
    assert abs(expires - datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=30)) < (
        datetime.timedelta(minutes=1)
    )


def test_encryption_names_the_published_key_when_one_exists(
    settings: Any, disclosure_key: str
) -> None:
    _, found = fetch(settings)
    assert dict(found)["encryption"] == "https://psirt.example.com/disclosure/openpgp-key.asc"
    key = Client().get("/disclosure/openpgp-key.asc")
    assert key.status_code == 200
    assert key["Content-Type"] == "application/pgp-keys"
    assert key.content.decode().startswith("-----BEGIN PGP PUBLIC KEY BLOCK-----")


def test_acknowledgments_list_only_disclosed_valid_reports_with_credit(psirt: Any) -> None:
    credited = submitted(credit_name="Ada Researcher").case
    submitted(credit_name="Not Yet Disclosed")
    for target, outcome in (
        ("acknowledged", ""),
        ("triaged", "valid"),
        ("remediation", ""),
        ("disclosed", ""),
    ):
        credited = services.transition(credited, user=psirt, target=target, outcome=outcome)
    page = Client().get("/disclosure/acknowledgments").content.decode()
    assert "Ada Researcher" in page
    assert "Not Yet Disclosed" not in page
