"""Encryption at rest of what reporters send: Fernet (AES-128-CBC with HMAC-SHA256).

The key is made once into MEDVIGIL_HOME/disclosure_key (configuration.py) and
reaches here as settings.DISCLOSURE_ENCRYPTION_KEY. The database and the
attachment files hold only ciphertext; a tampered token raises instead of
answering garbage.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = ["InvalidToken", "open_bytes", "open_text", "seal_bytes", "seal_text"]


@lru_cache(maxsize=4)
def cipher_for(key: str) -> Fernet:
    return Fernet(key.encode("ascii"))


def cipher() -> Fernet:
    return cipher_for(settings.DISCLOSURE_ENCRYPTION_KEY)


def seal_bytes(plaintext: bytes) -> bytes:
    return cipher().encrypt(plaintext)


def open_bytes(sealed: bytes) -> bytes:
    return cipher().decrypt(sealed)


def seal_text(plaintext: str) -> str:
    return seal_bytes(plaintext.encode("utf-8")).decode("ascii") if plaintext else ""


def open_text(sealed: str) -> str:
    return open_bytes(sealed.encode("ascii")).decode("utf-8") if sealed else ""
