"""Check a downloaded CSAF document's hash file and OpenPGP signature (CSAF 2.0 §7.1.18 to §7.1.20).

For each document the walk asks for ``<document>.sha512`` (else ``.sha256``)
and ``<document>.asc``. A digest that differs, or a signature that does not
verify under the provider's listed keys, refuses the document: it is not
imported and the refusal is recorded on the source. A missing hash file, a
missing signature, or a signature that cannot be checked (the provider lists
no key, or its key cannot be fetched or has another fingerprint) is counted
on the source, visibly, and the document is imported.

Keys come only from the provider's ``public_openpgp_keys`` (fetched over
https, their fingerprint compared with the listed one) into a keyring made
for one synchronisation and removed after it; the installation's own
disclosure keyring is never touched.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from types import TracebackType

import gnupg

from medvigil.core.sources import (
    HASH_ALGORITHMS,
    CsafDistributionError,
    DistributedDocument,
    PublicKey,
    digest_of,
    read_hash_file,
)
from medvigil.vulns.downloads import DownloadFailed, fetch

SIDE_FILE_BYTES = 1024 * 1024
KEY_BYTES = 1024 * 1024


class DocumentRefused(Exception):
    """A document whose hash or signature says it is not what the provider published."""


class Verifier:
    """One synchronisation's checks: a temporary keyring, and the tally shown on the source."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tally: Counter[str] = Counter()
        self.notes: list[str] = []
        self.home = Path(tempfile.mkdtemp(prefix="medvigil-csaf-"))  # short: gpg's socket paths
        self.gpg = gnupg.GPG(gnupghome=str(self.home))
        self.loaded: dict[str, bool] = {}  # fingerprint → usable

    def __enter__(self) -> Verifier:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        subprocess.run(  # noqa: S603 - a fixed command on our own temporary keyring
            ["/usr/bin/gpgconf", "--homedir", str(self.home), "--kill", "all"],
            check=False,
            capture_output=True,
            timeout=20,
        )
        shutil.rmtree(self.home, ignore_errors=True)

    def side_file(self, url: str, target: Path) -> bytes | None:
        """A hash or signature file's bytes, or None when the provider has none (404)."""
        try:
            fetch(url, target, limit=SIDE_FILE_BYTES)
        except DownloadFailed as error:
            if error.status == 404:
                return None
            raise
        try:
            return target.read_bytes()
        finally:
            target.unlink(missing_ok=True)

    def check(self, document: DistributedDocument, path: Path) -> None:
        """Raise `DocumentRefused` for a wrong digest or a bad signature; tally the rest."""
        content = path.read_bytes()
        self.check_hash(document, content)
        self.check_signature(document, path)

    def check_hash(self, document: DistributedDocument, content: bytes) -> None:
        for algorithm in HASH_ALGORITHMS:
            url = f"{document.url}.{algorithm}"
            given = self.side_file(url, self.folder / f"hash.{algorithm}")
            if given is None:
                continue
            try:
                expected = read_hash_file(given, url, algorithm)
            except CsafDistributionError as error:
                self.tally["refused: unreadable hash"] += 1
                raise DocumentRefused(str(error)) from None
            if digest_of(content, algorithm) != expected:
                self.tally["refused: hash mismatch"] += 1
                raise DocumentRefused(f"{document.url}: its {algorithm} differs from {url}")
            self.tally["hashes verified"] += 1
            return
        self.tally["hashes missing"] += 1
        self.note(f"{document.url}: no .sha512 or .sha256 hash file")

    def check_signature(self, document: DistributedDocument, path: Path) -> None:
        signature = self.folder / "signature.asc"
        given = self.side_file(f"{document.url}.asc", signature)
        if given is None:
            self.tally["signatures missing"] += 1
            self.note(f"{document.url}: no .asc signature")
            return
        usable = {key.fingerprint for key in document.keys if self.load(key)}
        if not usable:
            self.tally["signatures unverifiable"] += 1
            reason = "lists no public OpenPGP key" if not document.keys else "key not obtained"
            self.note(f"{document.url}: signature not checked: the provider {reason}")
            return
        signature.write_bytes(given)
        try:
            verified = self.gpg.verify_data(str(signature), path.read_bytes())
        finally:
            signature.unlink(missing_ok=True)
        signer = {str(verified.fingerprint or "").upper(), str(verified.pubkey_fingerprint or "")}
        if not verified.valid or not {value.upper() for value in signer} & usable:
            self.tally["refused: bad signature"] += 1
            status = verified.status or "no valid signature"
            raise DocumentRefused(f"{document.url}: signature refused ({status})")
        self.tally["signatures verified"] += 1

    def load(self, key: PublicKey) -> bool:
        """Fetch and import one listed key once; True when it is there with its fingerprint."""
        if key.fingerprint in self.loaded:
            return self.loaded[key.fingerprint]
        usable = False
        if key.url:
            target = self.folder / "key.asc"
            try:
                fetch(key.url, target, limit=KEY_BYTES)
                imported = self.gpg.import_keys(target.read_text("utf-8", errors="replace"))
                usable = key.fingerprint in {str(found).upper() for found in imported.fingerprints}
                if not usable:
                    self.note(f"{key.url}: not the key {key.fingerprint}")
            except DownloadFailed as error:
                self.note(f"{key.url}: key not downloaded: {error}")
            finally:
                target.unlink(missing_ok=True)
        self.loaded[key.fingerprint] = usable
        return usable

    def note(self, text: str) -> None:
        if len(self.notes) < 20:
            self.notes.append(text)
