"""security.txt clear-signed with the disclosure key (RFC 9116 §2.3), Expires kept current."""

from __future__ import annotations

import datetime
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from medvigil.disclosure.keys import openpgp
from tests.disclosure.test_security_txt import fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier_home(tmp_path: Path, disclosure_key: str) -> Iterator[Path]:
    """A researcher's own GnuPG home holding only the published public key."""
    home = tmp_path / "verifier"
    home.mkdir(mode=0o700)
    home = openpgp.short_path(home)  # gpg-agent's socket path must stay short
    published = Client().get("/disclosure/openpgp-key.asc").content
    subprocess.run(
        ["/usr/bin/gpg", "--homedir", str(home), "--batch", "--import"],
        input=published,
        check=True,
        capture_output=True,
    )
    yield home
    openpgp.stop_agent(home)


def gpg_verify(home: Path, signed: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["/usr/bin/gpg", "--homedir", str(home), "--batch", "--status-fd", "1", "--verify"],
        input=signed,
        capture_output=True,
        check=False,
    )


def test_gpg_verify_accepts_the_signed_file(
    settings: Any, verifier_home: Path, disclosure_key: str
) -> None:
    settings.DISCLOSURE_PUBLIC_URL = "https://psirt.example.com"
    cache.clear()
    response = Client().get("/.well-known/security.txt")
    body = response.content
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert body.startswith(b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA")
    assert b"-----BEGIN PGP SIGNATURE-----" in body
    verified = gpg_verify(verifier_home, body)
    assert verified.returncode == 0, verified.stderr.decode()
    assert f"VALIDSIG {disclosure_key}".encode() in verified.stdout
    found = dict(fields(body.decode()))
    assert found["canonical"] == "https://psirt.example.com/.well-known/security.txt"
    expires = datetime.datetime.fromisoformat(found["expires"].replace("Z", "+00:00"))
    ahead = expires - timezone.now()
    assert datetime.timedelta(days=179) < ahead <= datetime.timedelta(days=180)


def test_a_changed_file_fails_verification(settings: Any, verifier_home: Path) -> None:
    cache.clear()
    body = Client().get("/.well-known/security.txt").content
    tampered = body.replace(b"Contact: ", b"Contact: https://evil.example/ ", 1)
    assert gpg_verify(verifier_home, tampered).returncode != 0


def test_expires_stays_current_across_days(settings: Any, disclosure_key: str) -> None:
    """The signed file is rebuilt when its cached copy lapses: Expires follows the clock."""
    cache.clear()
    first = dict(fields(Client().get("/.well-known/security.txt").content.decode()))
    cache.clear()  # what an hour's expiry of the cached signature does
    later = timezone.now() + datetime.timedelta(days=3)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("medvigil.disclosure.intake.portal.timezone.now", lambda: later)
        second = dict(fields(Client().get("/.well-known/security.txt").content.decode()))
    moved = datetime.datetime.fromisoformat(
        second["expires"].replace("Z", "+00:00")
    ) - datetime.datetime.fromisoformat(first["expires"].replace("Z", "+00:00"))
    assert datetime.timedelta(days=3) - datetime.timedelta(minutes=1) < moved
    assert moved < datetime.timedelta(days=3) + datetime.timedelta(minutes=1)


def test_one_signature_serves_many_requests_within_the_hour(
    settings: Any, disclosure_key: str
) -> None:
    cache.clear()
    first = Client().get("/.well-known/security.txt").content
    second = Client().get("/.well-known/security.txt").content
    assert first == second


def test_signing_can_be_turned_off(settings: Any, disclosure_key: str) -> None:
    settings.DISCLOSURE_SECURITY_TXT_SIGNED = False
    body = Client().get("/.well-known/security.txt").content
    assert not body.startswith(b"-----BEGIN PGP")
    assert b"Encryption: " in body


def test_a_key_that_cannot_sign_leaves_the_file_unsigned_not_broken(
    settings: Any, disclosure_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()

    def refuses(text: str) -> str:
        raise RuntimeError("gpg could not sign: expired key")

    monkeypatch.setattr(openpgp, "clearsign", refuses)
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.content.startswith(b"# Security contact")
