"""What makes a CSAF provider's files trustworthy: aggregators, hash files (CSAF 2.0 §7.1).

- ``aggregator.json`` (§7.1.21, the list of CSAF providers; §7.1.22 asks
  that it names at least two): ``csaf_providers[].metadata.url`` and
  ``csaf_publishers[].metadata.url``, each the address of a provider's
  ``provider-metadata.json``, walked like a provider added by hand.
- Hash files (§7.1.18): ``<document>.sha512`` or ``<document>.sha256``, whose
  content starts with the hexadecimal digest, optionally followed by a space
  and the file name (``sha256sum`` style).

Signatures (§7.1.19, ``<document>.asc``, checked against the provider's
``public_openpgp_keys``, §7.1.20) need gpg, so they are checked by the caller.
"""

from __future__ import annotations

import hashlib
import string
from typing import Any

from medvigil.core.sources.csaf_distribution import (
    CsafDistributionError,
    CsafWalkLimits,
    listing_json,
    web_address,
)

HASH_ALGORITHMS = ("sha512", "sha256")  # in the order they are asked for
HASH_LENGTHS = {"sha512": 128, "sha256": 64}
HASH_FILE_BYTES = 64 * 1024
MAXIMUM_PROVIDERS = 64


def looks_like_aggregator(document: object) -> bool:
    return isinstance(document, dict) and (
        "csaf_providers" in document or "aggregator_version" in document
    )


def read_aggregator(
    content: bytes, name: str, limits: CsafWalkLimits | None = None
) -> tuple[str, ...]:
    """The provider-metadata.json addresses an aggregator or lister names, in its order."""
    document: Any = listing_json(content, name, limits or CsafWalkLimits())
    if not isinstance(document, dict) or not isinstance(document.get("csaf_providers"), list):
        raise CsafDistributionError(f"{name}: not a CSAF aggregator.json (no csaf_providers list)")
    addresses: list[str] = []
    for key in ("csaf_providers", "csaf_publishers"):
        listed = document.get(key, [])
        if not isinstance(listed, list):
            raise CsafDistributionError(f"{name}: {key} is not a list")
        for position, entry in enumerate(listed):
            metadata = entry.get("metadata") if isinstance(entry, dict) else None
            if not isinstance(metadata, dict):
                raise CsafDistributionError(f"{name}: {key}[{position}] has no metadata")
            url = web_address(metadata.get("url"), name, f"{key}[{position}].metadata.url")
            if url not in addresses:
                addresses.append(url)
    if len(addresses) > MAXIMUM_PROVIDERS:
        raise CsafDistributionError(f"{name}: more than {MAXIMUM_PROVIDERS} providers")
    return tuple(addresses)


def read_hash_file(content: bytes, name: str, algorithm: str) -> str:
    """The lower-case hex digest a hash file gives; refused when it gives none."""
    if algorithm not in HASH_LENGTHS:
        raise CsafDistributionError(f"{name}: unknown hash algorithm {algorithm!r}")
    if len(content) > HASH_FILE_BYTES:
        raise CsafDistributionError(f"{name}: a hash file over {HASH_FILE_BYTES} bytes")
    try:
        words = content.decode("ascii").split()
    except UnicodeDecodeError:
        raise CsafDistributionError(f"{name}: a hash file that is not ASCII text") from None
    digest = words[0].lower() if words else ""
    if len(digest) != HASH_LENGTHS[algorithm] or not set(digest) <= set(string.hexdigits):
        raise CsafDistributionError(
            f"{name}: does not start with a {algorithm} digest of "
            f"{HASH_LENGTHS[algorithm]} hexadecimal digits"
        )
    return digest


def digest_of(content: bytes, algorithm: str) -> str:
    return hashlib.new(algorithm, content).hexdigest()
