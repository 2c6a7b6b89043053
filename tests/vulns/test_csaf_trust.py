"""Trusted CSAF providers, served on 127.0.0.1 from the shared ICSMA files: an aggregator
walked to its providers, each document's hash file checked and its OpenPGP signature
verified against the provider's listed key; what cannot be trusted is refused or shown."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gnupg
import pytest
from django.test import Client
from django.urls import reverse

from medvigil.audit.models import AuditEvent
from medvigil.platform.refusals import Refusal
from medvigil.vulns import sources, sync
from medvigil.vulns.models import Advisory, FeedSource
from tests import factories
from tests.conftest import shared_data_directory
from tests.feed_mirror import ICSMA, provider_metadata, serve, write

YEAR = "white/2024"


@dataclass
class Trusted:
    aggregator: str
    documents: list[str]  # file names: verified, bad hash, bad signature, unsigned, unverifiable


def make_key(home: Path, name: str) -> str:
    gpg = gnupg.GPG(gnupghome=str(home))
    request = gpg.gen_key_input(
        key_type="EDDSA",
        key_curve="ed25519",
        key_usage="sign",
        name_real=name,
        name_email="psirt@example.com",
        no_protection=True,
        expire_date="1y",
    )
    return str(gpg.gen_key(request).fingerprint)


def sign(gpg: gnupg.GPG, fingerprint: str, path: Path) -> None:
    signed = gpg.sign(path.read_bytes(), keyid=fingerprint, detach=True)
    path.with_name(path.name + ".asc").write_bytes(signed.data)


def directory_provider(root: Path, base: str, name: str, keys: list[dict[str, str]]) -> str:
    """A provider with a directory and changes.csv; returns its provider-metadata address."""
    folder = root / name
    rows = []
    for path in sorted(folder.glob(f"{YEAR}/*.json")):
        tracking = json.loads(path.read_text("utf-8"))["document"]["tracking"]
        rows.append((str(path.relative_to(folder / "white")), tracking["current_release_date"]))
    rows.sort(key=lambda row: row[1], reverse=True)
    write(folder / "white/changes.csv", "".join(f'"{p}","{d}"\n' for p, d in rows).encode())
    url = f"{base}/{name}/.well-known/csaf/provider-metadata.json"
    metadata = json.loads(provider_metadata(url, {"directory_url": f"{base}/{name}/white/"}))
    if keys:
        metadata["public_openpgp_keys"] = keys
        metadata["role"] = "csaf_trusted_provider"
    write(folder / ".well-known/csaf/provider-metadata.json", json.dumps(metadata).encode())
    return url


@pytest.fixture
def trusted(tmp_path: Path) -> Iterator[Trusted]:
    root = tmp_path / "mirror"
    home = Path(tempfile.mkdtemp(prefix="mv-test-gpg-"))  # short: gpg-agent's socket path
    try:
        with serve(root) as base:
            yield build(root, base, home)
    finally:
        subprocess.run(["/usr/bin/gpgconf", "--homedir", str(home), "--kill", "all"], check=False)
        shutil.rmtree(home, ignore_errors=True)


def build(root: Path, base: str, home: Path) -> Trusted:
    gpg = gnupg.GPG(gnupghome=str(home))
    listed, stranger = make_key(home, "Provider PSIRT"), make_key(home, "Someone else")
    write(root / f"signed/openpgp/{listed}.asc", gpg.export_keys(listed).encode())
    originals = sorted((shared_data_directory() / ICSMA).rglob("icsma-2*.json"))[:5]
    names = [path.name for path in originals]
    for position, original in enumerate(originals):
        provider = "signed" if position < 4 else "keyless"
        target = root / provider / YEAR / original.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(original, target)
        digest = hashlib.sha512(target.read_bytes()).hexdigest()
        if position == 1:  # a hash file that does not match the document
            digest = hashlib.sha512(b"tampered" + target.read_bytes()).hexdigest()
        if position == 3:  # only a SHA-256 file, and no signature
            sha256 = hashlib.sha256(target.read_bytes()).hexdigest()
            target.with_name(target.name + ".sha256").write_text(f"{sha256}  {target.name}\n")
            continue
        target.with_name(target.name + ".sha512").write_text(f"{digest}  {target.name}\n")
        sign(gpg, stranger if position == 2 else listed, target)
    key = {"fingerprint": listed, "url": f"{base}/signed/openpgp/{listed}.asc"}
    providers = [
        directory_provider(root, base, "signed", [key]),
        directory_provider(root, base, "keyless", []),
    ]
    aggregator = {
        "aggregator": {"category": "lister", "name": "Local lister", "namespace": base},
        "aggregator_version": "2.0",
        "canonical_url": f"{base}/lister/aggregator.json",
        "csaf_providers": [{"metadata": {"url": url}} for url in providers],
        "last_updated": "2026-12-07T00:00:00Z",
    }
    write(root / "lister/aggregator.json", json.dumps(aggregator).encode())
    return Trusted(f"{base}/lister/aggregator.json", names)


def imported_files() -> set[str]:
    names = Advisory.objects.filter(source="csaf").values_list("document_name", flat=True)
    return {Path(name).name.split("-", 1)[1] for name in names}


@pytest.mark.django_db
def test_an_aggregator_is_walked_and_only_documents_that_check_out_are_imported(
    trusted: Trusted, client: Client
) -> None:
    source = sources.add_source("csaf-lister", trusted.aggregator, "csaf")
    outcome = sync.sync_source(source)
    verified, bad_hash, bad_signature, unsigned, unverifiable = trusted.documents
    assert outcome.status == "imported"
    assert imported_files() == {verified, unsigned, unverifiable}
    checks = ("hashes", "signatures", "refused")
    assert {key: count for key, count in outcome.counts.items() if key.startswith(checks)} == {
        "hashes verified": 4,  # all but the tampered one; the unsigned one by its sha256
        "signatures verified": 1,
        "refused: hash mismatch": 1,
        "refused: bad signature": 1,
        "signatures missing": 1,
        "signatures unverifiable": 1,
    }
    source.refresh_from_db()
    refused = source.state["csaf_refused"]
    assert len(refused) == 2
    assert any(bad_hash in line and "sha512 differs" in line for line in refused)
    assert any(bad_signature in line and "signature refused" in line for line in refused)
    assert "2 document(s) refused" in source.last_error
    unverified = " ".join(source.state["csaf_unverified"])
    assert f"{unsigned}: no .asc signature" in unverified
    assert f"{unverifiable}: signature not checked: the provider lists no public" in unverified
    event = AuditEvent.objects.filter(action="vulns.feed.synced").latest("id")
    assert event.details["counts"]["refused: bad signature"] == 1

    factories.sign_in(client, factories.user(administrator=True))
    page = client.get(reverse("vulns:feeds")).content.decode()
    assert "Refused documents (2)" in page
    assert "Imported without a full check (2)" in page
    assert sync.sync_source(source).status == "unchanged"  # the walk moved past them


@pytest.mark.django_db
def test_plain_http_csaf_addresses_are_refused(trusted: Trusted, tmp_path: Path) -> None:
    with pytest.raises(Refusal, match="https only"):
        sources.add_source("csaf-http", "http://psirt.example.com/provider-metadata.json", "csaf")
    assert not FeedSource.objects.filter(name="csaf-http").exists()
    lister = tmp_path / "mirror/lister/aggregator.json"
    document: dict[str, Any] = json.loads(lister.read_text())
    document["csaf_providers"].append({"metadata": {"url": "http://psirt.example.com/p.json"}})
    lister.write_text(json.dumps(document))
    source = sources.add_source("csaf-lister", trusted.aggregator, "csaf")
    outcome = sync.sync_source(source)
    assert outcome.status == "failed"
    assert "plain http, refused" in outcome.error
    assert not Advisory.objects.filter(source="csaf").exists()
