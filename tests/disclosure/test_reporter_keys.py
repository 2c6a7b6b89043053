"""Replies to a reporter who gave an OpenPGP key are encrypted to it (page, API and email)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gnupg
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.disclosure.cases import services
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.intake import reporter_keys
from medvigil.disclosure.intake.models import EncryptedReply, ReporterKey
from medvigil.disclosure.keys import openpgp
from medvigil.platform.refusals import Refusal
from medvigil.platform.workers import run_worker
from tests.disclosure.conftest import signed_in, submitted

REPLY = "We reproduced the telnet login; a fix is planned for 4.2.1 → Größe ✓."


@pytest.fixture
def reporter_keyring(tmp_path: Path) -> Iterator[tuple[gnupg.GPG, str]]:
    """The reporter's own GnuPG home with their key pair (private key never leaves it)."""
    home = tmp_path / "reporter-gnupg"
    home.mkdir(mode=0o700)
    home = openpgp.short_path(home)  # gpg-agent's socket path must stay short
    gpg = gnupg.GPG(gnupghome=str(home))
    made = openpgp.make_key(
        gpg,
        gpg.gen_key_input(
            key_type="EDDSA",
            key_curve="ed25519",
            subkey_type="ECDH",
            subkey_curve="cv25519",
            name_real="Rosa Researcher",
            name_email="rosa@example.org",
            no_protection=True,
            expire_date="1d",
        ),
    )
    yield gpg, made
    openpgp.stop_agent(home)


def public_key(keyring: tuple[gnupg.GPG, str]) -> str:
    gpg, fingerprint = keyring
    return str(gpg.export_keys(fingerprint))


def decrypted(keyring: tuple[gnupg.GPG, str], armoured: str) -> str:
    result = keyring[0].decrypt(armoured)
    assert result.ok, result.status
    return str(result.data.decode("utf-8"))


@pytest.mark.django_db
def test_a_reply_reaches_the_follow_up_page_encrypted_to_the_reporters_key(
    reporter_keyring: tuple[gnupg.GPG, str], psirt: Any
) -> None:
    client = Client()
    client.get(reverse("disclosure:report"))
    response = client.post(
        reverse("disclosure:report"),
        {
            "title": "Telnet open",
            "description": "Port 23 answers.",
            "reporter_public_key": public_key(reporter_keyring),
        },
    )
    assert response.status_code == 302
    link = client.get(reverse("disclosure:receipt")).context["link"]
    case = Case.objects.get()
    assert case.reporter_key.fingerprint == reporter_keyring[1]
    services.post_message(case, user=psirt, kind="to-reporter", body=REPLY)
    page = client.get(link.split("testserver", 1)[-1]).content.decode()
    assert REPLY not in page
    start = page.index("-----BEGIN PGP MESSAGE-----")
    end = page.index("-----END PGP MESSAGE-----") + len("-----END PGP MESSAGE-----")
    assert decrypted(reporter_keyring, page[start:end]) == REPLY
    # The handler still reads the reply in clear on the case page.
    detail = signed_in(psirt).get(f"/api/v1/disclosure/cases/{case.pk}/messages").json()
    assert detail[-1]["body"] == REPLY


@pytest.mark.django_db
def test_a_researcher_account_reads_the_ciphertext_through_the_api(
    reporter_keyring: tuple[gnupg.GPG, str], rosa: Any, psirt: Any
) -> None:
    case = submitted(rosa).case
    key = signed_in(rosa).put(
        f"/api/v1/disclosure/cases/{case.pk}/reporter-key",
        {"public_key": public_key(reporter_keyring)},
        content_type="application/json",
    )
    assert key.status_code == 200
    assert key.json()["fingerprint"] == reporter_keyring[1]
    services.post_message(case, user=psirt, kind="to-reporter", body=REPLY)
    thread = signed_in(rosa).get(f"/api/v1/disclosure/cases/{case.pk}/messages").json()
    assert thread[-1]["body"].startswith("-----BEGIN PGP MESSAGE-----")
    assert thread[-1]["encrypted"] is True
    assert decrypted(reporter_keyring, thread[-1]["body"]) == REPLY


@pytest.mark.django_db(transaction=True)
def test_the_email_carries_the_ciphertext_only(
    reporter_keyring: tuple[gnupg.GPG, str], psirt: Any
) -> None:
    case = submitted(
        reporter_email="rosa@example.org", reporter_public_key=public_key(reporter_keyring)
    ).case
    services.post_message(case, user=psirt, kind="to-reporter", body=REPLY)
    run_worker(batch=True)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["rosa@example.org"]
    assert sent.subject == f"[{case.number}] Reply from the PSIRT"
    assert REPLY not in sent.body
    armoured = sent.body[sent.body.index("-----BEGIN PGP MESSAGE-----") :]
    assert decrypted(reporter_keyring, armoured) == REPLY


@pytest.mark.django_db(transaction=True)
def test_without_a_key_the_email_only_says_a_reply_is_waiting(psirt: Any) -> None:
    case = submitted(reporter_email="anon@example.org").case
    services.post_message(case, user=psirt, kind="to-reporter", body=REPLY)
    services.post_message(case, user=psirt, kind="internal", body="Internal only")
    run_worker(batch=True)
    assert len(mail.outbox) == 1
    assert REPLY not in mail.outbox[0].body
    assert "follow-up link" in mail.outbox[0].body
    assert not EncryptedReply.objects.exists()


@pytest.mark.django_db
def test_a_bad_key_refuses_the_whole_report(reporter_keyring: tuple[gnupg.GPG, str]) -> None:
    gpg, fingerprint = reporter_keyring
    private = str(gpg.export_keys(fingerprint, secret=True, expect_passphrase=False))
    for text, reason in (
        ("not a key", "ASCII-armoured public key"),
        (private, "private key"),
        (
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----",
            "exactly one",
        ),
    ):
        with pytest.raises(Refusal, match=reason):
            submitted(reporter_public_key=text)
    assert not Case.objects.exists()
    assert not ReporterKey.objects.exists()


def sign_only_key(tmp_path: Path) -> str:
    home = tmp_path / "sign-only"
    home.mkdir(mode=0o700)
    home = openpgp.short_path(home)
    gpg = gnupg.GPG(gnupghome=str(home))
    request = gpg.gen_key_input(
        key_type="EDDSA",
        key_curve="ed25519",
        expire_date="1d",
        name_email="sign@example.org",
        no_protection=True,
    )
    made = openpgp.make_key(gpg, request)
    exported = str(gpg.export_keys(made))
    openpgp.stop_agent(home)
    return exported


def test_a_key_that_cannot_encrypt_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Refusal, match="cannot encrypt"):
        reporter_keys.check(sign_only_key(tmp_path))


KEY_END = "-----END PGP PUBLIC KEY BLOCK-----"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=300)
    | st.text(max_size=300).map(lambda body: f"{reporter_keys.ARMOURED_KEY}\n\n{body}\n{KEY_END}")
)
def test_any_text_is_a_key_or_a_clear_refusal(text: str) -> None:
    """Found by this test: a non-Latin-1 character crashed python-gnupg's encoding."""
    refusal = ""
    try:
        checked = reporter_keys.check(text)
    except Refusal as error:
        refusal = str(error)
    else:
        assert len(checked.fingerprint) == 40
    assert refusal.endswith(".") or not refusal
