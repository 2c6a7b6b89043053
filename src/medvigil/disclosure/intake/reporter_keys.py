"""A reporter's own OpenPGP key: checked on receipt, and used to encrypt replies to them.

Each operation imports the key into a throwaway GnuPG home, so a reporter's
key never enters the manufacturer's keyring and no trust decision is kept.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import gnupg

from medvigil.disclosure.keys import openpgp
from medvigil.platform.refusals import Refusal

ARMOURED_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
MAXIMUM_KEY_CHARACTERS = 64 * 1024


@dataclass(frozen=True)
class CheckedKey:
    fingerprint: str
    armoured: str


@contextmanager
def throwaway_keyring() -> Iterator[gnupg.GPG]:
    with tempfile.TemporaryDirectory(prefix="medvigil-gpg-") as directory:
        home = Path(directory)
        home.chmod(0o700)
        try:
            gpg = gnupg.GPG(gnupghome=str(home))
            gpg.encoding = "utf-8"  # replies are any Unicode text, not Latin-1
            yield gpg
        finally:
            openpgp.stop_agent(home)


def imported(gpg: gnupg.GPG, armoured: str) -> str:
    """Import one key and return its fingerprint, or refuse."""
    result = gpg.import_keys(armoured)
    fingerprints = sorted(set(result.fingerprints or []))
    if len(fingerprints) != 1:
        raise Refusal("Give exactly one OpenPGP public key.")
    keys = [key for key in gpg.list_keys() if key["fingerprint"] == fingerprints[0]]
    if not keys:
        raise Refusal("The OpenPGP key could not be read.")
    capabilities = str(keys[0].get("cap", ""))
    if "E" not in capabilities:
        raise Refusal("The OpenPGP key cannot encrypt (it is expired, revoked or sign-only).")
    return fingerprints[0]


def check(text: str) -> CheckedKey:
    """One ASCII-armoured public key that can encrypt, or a Refusal."""
    armoured = text.strip()
    if len(armoured) > MAXIMUM_KEY_CHARACTERS:
        raise Refusal(f"The OpenPGP key is longer than {MAXIMUM_KEY_CHARACTERS} characters.")
    if "PRIVATE KEY BLOCK" in armoured:
        raise Refusal("That is a private key: give only your public key.")
    if not armoured.startswith(ARMOURED_KEY):
        raise Refusal(f"Paste an ASCII-armoured public key starting with {ARMOURED_KEY}.")
    if not armoured.isascii():
        raise Refusal("An ASCII-armoured key holds only ASCII characters.")
    with throwaway_keyring() as gpg:
        fingerprint = imported(gpg, armoured)
        exported = str(gpg.export_keys(fingerprint))
    return CheckedKey(fingerprint, exported or armoured)


def encrypt(armoured_key: str, fingerprint: str, text: str) -> str:
    """`text` encrypted to the reporter's key, ASCII-armoured."""
    with throwaway_keyring() as gpg:
        if imported(gpg, armoured_key) != fingerprint:
            raise Refusal("The stored key does not match its fingerprint.")
        result = gpg.encrypt(text, fingerprint, armor=True, always_trust=True)
        if not result.ok:
            raise Refusal(f"gpg could not encrypt to the reporter's key: {result.status}.")
        return str(result)
