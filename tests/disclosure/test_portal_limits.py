"""Limits of the public portal: a compressed OpenPGP bomb, and a rate on every anonymous write.

The bomb is real: 256 MiB of zeros compressed with bzip2 and encrypted to the
disclosure key by gpg, about 1 KB of ASCII armour.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import gnupg
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from medvigil.audit.models import AuditEvent
from medvigil.disclosure.cases.models import Case, Message
from medvigil.disclosure.keys import openpgp
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db
BOMB_BYTES = 256 * 1024 * 1024
MEMORY_BOUND = 1024 * 1024 * 1024  # address space of the process that decrypts


@pytest.fixture(scope="session")
def bomb_material(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(the disclosure key's secret half, a bomb encrypted to it), made once per session."""
    home = openpgp.short_path(tmp_path_factory.mktemp("bomb-gnupg"))
    home.chmod(0o700)
    gpg = gnupg.GPG(gnupghome=str(home))
    request = gpg.gen_key_input(
        key_type="EDDSA",
        key_curve="ed25519",
        subkey_type="ECDH",
        subkey_curve="cv25519",
        name_email="psirt@example.org",
        no_protection=True,
        expire_date="1d",
    )
    fingerprint = openpgp.make_key(gpg, request)
    secret = str(gpg.export_keys(fingerprint, secret=True, expect_passphrase=False))
    zeros = subprocess.Popen(["head", "-c", str(BOMB_BYTES), "/dev/zero"], stdout=subprocess.PIPE)
    encrypted = subprocess.run(
        [
            *("gpg", "--homedir", str(home), "--batch", "--trust-model", "always"),
            *("--compress-algo", "bzip2", "--recipient", fingerprint, "--armor", "--encrypt"),
        ],
        stdin=zeros.stdout,
        capture_output=True,
        check=True,
    )
    zeros.wait()
    openpgp.stop_agent(home)
    return secret, encrypted.stdout.decode("ascii")


@pytest.fixture
def bomb(bomb_material: tuple[str, str], private_keyring: Path) -> str:
    secret, message = bomb_material
    assert openpgp.keyring().import_keys(secret).fingerprints
    assert len(message) < 4096  # a few kilobytes that hold 256 MiB
    return message


def post_follow_up(client: Client, token: str, **values: str) -> Any:
    return client.post(reverse("disclosure:follow-up", args=[token]), values)


def test_a_compressed_bomb_as_a_report_is_refused_and_stores_nothing(bomb: str) -> None:
    client = Client()
    client.get(reverse("disclosure:report"))
    response = client.post(
        reverse("disclosure:report"), {"title": "Look at this", "description": bomb}
    )
    assert response.status_code == 413
    assert "The decrypted message is larger than" in response.content.decode()
    assert not Case.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "disclosure"
    assert not (folder.exists() and any(folder.iterdir()))


def test_a_compressed_bomb_as_a_follow_up_message_is_refused(bomb: str) -> None:
    receipt = submitted()
    response = post_follow_up(Client(), receipt.follow_up_token, body=bomb)
    assert response.status_code == 413
    assert "The decrypted message is larger than" in response.content.decode()
    assert not Message.objects.exists()


def test_a_small_encrypted_message_still_reads(bomb: str) -> None:
    gpg = openpgp.keyring()
    recipient = gpg.list_keys()[0]["fingerprint"]
    armoured = str(gpg.encrypt("Port 23 is open.", recipient, armor=True, always_trust=True))
    assert openpgp.readable(armoured) == ("Port 23 is open.", True)


def test_decrypting_a_bomb_stays_under_a_memory_bound(bomb: str, private_keyring: Path) -> None:
    """The decryption path runs in a child whose address space is capped at 1 GiB: the old
    path (the whole plaintext read into memory) dies there, the bounded one refuses."""
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_BOUND}, {MEMORY_BOUND}))
        import django
        django.setup()
        from medvigil.disclosure.keys import openpgp
        from medvigil.platform.refusals import Refusal
        try:
            openpgp.readable(sys.stdin.read())
        except Refusal as refusal:
            print(refusal.kind, refusal.status)
        # VmHWM starts again at exec; ru_maxrss would keep the forked test worker's size.
        with open("/proc/self/status") as status:
            own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(max(own, helpers))
        """
    )
    finished = subprocess.run(
        [sys.executable, "-c", script],
        input=bomb,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": ":".join(sys.path),
            "DJANGO_SETTINGS_MODULE": "medvigil.settings",
            "MEDVIGIL_HOME": str(private_keyring.parent),
        },
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    kind, status, peak_kilobytes = finished.stdout.split()
    assert (kind, status) == ("too-large", "413")
    # measured inside the child, so earlier children of this test process do not count
    assert int(peak_kilobytes) < 400 * 1024  # neither the child nor its gpg grew past 400 MB


def test_limits_are_checked_before_decryption(
    bomb: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DISCLOSURE_SUBMISSIONS_PER_HOUR = 0

    def never(_: str) -> None:
        raise AssertionError("decrypted before the rate limit")

    monkeypatch.setattr(openpgp, "decrypt", never)
    client = Client()
    client.get(reverse("disclosure:report"))
    response = client.post(
        reverse("disclosure:report"), {"title": "Look at this", "description": bomb}
    )
    assert response.status_code == 429
    assert not Case.objects.exists()


def test_follow_up_messages_are_limited_per_case_and_audited_once(settings: Any) -> None:
    settings.DISCLOSURE_MESSAGES_PER_HOUR = 2
    token = submitted().follow_up_token
    first = Client(REMOTE_ADDR="203.0.113.1")
    assert [post_follow_up(first, token, body="news?").status_code for _ in range(2)] == [302] * 2
    refused = [post_follow_up(first, token, body="news?") for _ in range(5)]
    assert {response.status_code for response in refused} == {429}
    assert 0 < int(refused[0]["Retry-After"]) <= 3600
    assert "Too many messages" in refused[0].content.decode()
    # Another address on the same case is refused too: the case has its own count.
    assert post_follow_up(Client(REMOTE_ADDR="203.0.113.2"), token, body="hi").status_code == 429
    assert Message.objects.count() == 2
    limited = AuditEvent.objects.filter(action="disclosure-rate-limited")
    assert limited.count() == 2  # once for the first address, once for the case


def test_follow_up_messages_are_limited_per_address_across_cases(settings: Any) -> None:
    settings.DISCLOSURE_MESSAGES_PER_HOUR = 1
    tokens = [submitted().follow_up_token, submitted().follow_up_token]
    client = Client(REMOTE_ADDR="203.0.113.3")
    assert post_follow_up(client, tokens[0], body="one").status_code == 302
    assert post_follow_up(client, tokens[1], body="two").status_code == 429
    assert Message.objects.count() == 1


def test_reporter_keys_are_limited_before_the_key_is_read(settings: Any) -> None:
    settings.DISCLOSURE_REPORTER_KEYS_PER_HOUR = 1
    token = submitted().follow_up_token
    client = Client(REMOTE_ADDR="203.0.113.4")
    broken = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----"
    assert post_follow_up(client, token, reporter_public_key=broken).status_code == 422
    assert post_follow_up(client, token, reporter_public_key=broken).status_code == 429


def test_reports_through_the_api_are_limited_with_retry_after(settings: Any, rosa: Any) -> None:
    settings.DISCLOSURE_SUBMISSIONS_PER_HOUR = 1
    client = signed_in(rosa)
    body = {"title": "Telnet open", "description": "Port 23 answers."}
    url = "/api/v1/disclosure/cases"
    assert client.post(url, body, content_type="application/json").status_code == 201
    refused = [client.post(url, body, content_type="application/json") for _ in range(20)]
    assert {response.status_code for response in refused} == {429}
    problem = refused[0].json()
    assert 0 < problem["retry_after"] <= 3600
    assert refused[0]["Retry-After"] == str(problem["retry_after"])
    assert Case.objects.count() == 1
    # Twenty refusals add one audit event, not twenty.
    assert AuditEvent.objects.filter(action="disclosure-rate-limited").count() == 1
