"""OpenPGP round trip: a reporter encrypts to the published key; handlers read the plaintext."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gnupg
import pytest
from django.test import Client
from django.urls import reverse

from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.keys import openpgp
from tests.disclosure.conftest import signed_in

pytestmark = pytest.mark.django_db
PLAINTEXT = "Heap overflow in the DICOM parser of the imaging workstation."


@pytest.fixture
def reporter_keyring(tmp_path: Path) -> Iterator[gnupg.GPG]:
    home = tmp_path / "reporter-gnupg"
    home.mkdir(mode=0o700)
    home = openpgp.short_path(home)  # gpg-agent's socket path must stay short
    yield gnupg.GPG(gnupghome=str(home))
    openpgp.stop_agent(home)


def test_an_encrypted_report_is_decrypted_for_handlers(
    disclosure_key: str, reporter_keyring: gnupg.GPG, psirt: Any
) -> None:
    published = Client().get(reverse("disclosure:openpgp-key")).content.decode()
    imported = reporter_keyring.import_keys(published)
    assert imported.fingerprints == [disclosure_key]
    armoured = str(
        reporter_keyring.encrypt(PLAINTEXT, disclosure_key, armor=True, always_trust=True)
    )
    assert armoured.startswith(openpgp.ARMOURED_MESSAGE)
    assert PLAINTEXT not in armoured
    client = Client()
    client.get(reverse("disclosure:report"))
    response = client.post(
        reverse("disclosure:report"), {"title": "Encrypted report", "description": armoured}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.arrived_encrypted
    assert PLAINTEXT not in case.description_sealed
    detail = signed_in(psirt).get(f"/api/v1/disclosure/cases/{case.pk}").json()
    assert detail["description"] == PLAINTEXT
    assert detail["arrived_encrypted"] is True


def test_a_message_not_for_our_key_is_kept_as_sent(disclosure_key: str) -> None:
    assert (
        openpgp.decrypt("-----BEGIN PGP MESSAGE-----\n\nbroken\n-----END PGP MESSAGE-----") is None
    )


def test_no_key_means_no_published_key() -> None:
    assert Client().get(reverse("disclosure:openpgp-key")).status_code == 404
    assert openpgp.fingerprint() == ""


class Flaky:
    """A keyring whose agent fails to answer the first `failures` times (as under load)."""

    def __init__(self, home: str, failures: int) -> None:
        self.gnupghome, self.failures, self.calls = home, failures, 0

    def gen_key(self, request: str) -> object:
        self.calls += 1
        failed = self.calls <= self.failures
        return type(
            "Result",
            (),
            {
                "fingerprint": None if failed else "F" * 40,
                "stderr": "[GNUPG:] ERROR key_generate 33554509",
            },
        )


def test_key_generation_retries_when_the_agent_does_not_answer(tmp_path: Path) -> None:
    keyring = Flaky(str(tmp_path), failures=2)
    assert openpgp.make_key(keyring, "request") == "F" * 40  # type: ignore[arg-type]
    assert keyring.calls == 3
    with pytest.raises(RuntimeError, match="key_generate 33554509"):
        openpgp.make_key(Flaky(str(tmp_path), failures=3), "request")  # type: ignore[arg-type]


def test_a_keyring_in_a_long_folder_still_works_through_a_short_link(
    tmp_path: Path, settings: Any
) -> None:
    # gpg-agent's socket lives in the keyring folder; past ~107 bytes it cannot start.
    deep = tmp_path / ("a-rather-long-installation-folder-name-" * 3) / "gnupg"
    settings.DISCLOSURE_GNUPG_HOME = deep
    try:
        made = openpgp.generate_key("PSIRT", "psirt@example.org", expire="1d")
        assert openpgp.fingerprint() == made
        used = openpgp.home()
        assert len(str(used / "S.gpg-agent.browser")) < 100
        assert used.resolve() == deep.resolve()
        assert (deep / "pubring.kbx").exists()  # the key lives in the configured folder
    finally:
        openpgp.stop_agent()


def test_a_short_link_pointing_elsewhere_is_refused(tmp_path: Path) -> None:
    deep = tmp_path / ("x" * 80) / "gnupg"
    deep.mkdir(parents=True)
    intruder = tmp_path / "elsewhere"
    intruder.mkdir()
    link = openpgp.short_path(deep)
    link.unlink()
    link.symlink_to(intruder)
    try:
        with pytest.raises(RuntimeError, match="is not a link to"):
            openpgp.short_path(deep)
    finally:
        link.unlink()
