"""Read how a CSAF 2.0 provider distributes its documents, within limits.

CSAF 2.0 (OASIS Standard, §7.1) lets a provider publish:

- ``provider-metadata.json`` (§7.1.7): ``distributions[]``, each with
  ``directory_url`` and/or ``rolie.feeds[]`` (``url``, ``tlp_label``);
- ROLIE feeds (§7.1.15, RFC 8322): ``feed.entry[]`` with ``link[]`` (the
  document at ``rel: self``) and ``updated``;
- in a directory: ``index.txt`` (§7.1.13), one document path per line, and
  ``changes.csv`` (§7.1.14), ``"path","current_release_date"`` per line,
  newest first, no heading.

Every reader takes bytes and returns frozen values, or raises
`CsafDistributionError` naming the file and what is wrong. Every address must
be https (§7.1.3: no unencrypted transport across organisations); plain http
is accepted only on the loopback addresses 127.0.0.1 and ::1, deliberately, so
a mirror on the same machine (and the tests' local server) can be walked. One
named relative to a directory must stay inside it (no ``..``, no other host).
Only TLP:WHITE/CLEAR feeds are followed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlparse

PUBLIC_LABELS = frozenset({"WHITE", "CLEAR"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1"})


class CsafDistributionError(ValueError):
    """A provider file that cannot be read or breaks a limit."""


@dataclass(frozen=True)
class CsafWalkLimits:
    """How far one synchronisation walks: the rest waits for the next one."""

    documents: int = 500  # documents downloaded per synchronisation
    document_bytes: int = 16 * 1024 * 1024  # one CSAF document
    listing_bytes: int = 64 * 1024 * 1024  # provider-metadata, feed, index.txt, changes.csv
    entries: int = 200_000  # lines or entries of one listing
    feeds: int = 16  # ROLIE feeds and directories of one provider


@dataclass(frozen=True)
class PublicKey:
    """An entry of ``public_openpgp_keys`` (§7.1.20): the key signing the documents."""

    fingerprint: str  # upper-case hex, no spaces
    url: str  # where the ASCII-armoured key is; "" when only the fingerprint is given


@dataclass(frozen=True)
class ProviderMetadata:
    canonical_url: str
    publisher: str
    feeds: tuple[str, ...]  # ROLIE feed addresses, public ones only
    directories: tuple[str, ...]  # directory_url values, ending with /
    public_keys: tuple[PublicKey, ...] = ()


@dataclass(frozen=True)
class DistributedDocument:
    url: str
    updated: datetime | None
    keys: tuple[PublicKey, ...] = ()  # the keys of the provider that lists it

    @property
    def file_name(self) -> str:
        return urlparse(self.url).path.rsplit("/", 1)[-1]


def listing_json(content: bytes, name: str, limits: CsafWalkLimits) -> Any:
    if len(content) > limits.listing_bytes:
        raise CsafDistributionError(f"{name}: over the limit of {limits.listing_bytes} bytes")
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise CsafDistributionError(f"{name}: not readable as JSON: {error}") from None


def is_secure_address(url: str) -> bool:
    """https with a host; or plain http on a loopback address (a mirror on this machine)."""
    parsed = urlparse(url)
    if parsed.scheme == "https":
        return bool(parsed.netloc)
    return parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS


def web_address(value: object, name: str, where: str) -> str:
    if not isinstance(value, str) or urlparse(value).scheme not in ("http", "https"):
        raise CsafDistributionError(f"{name}: {where} is not an https address: {value!r}")
    if not urlparse(value).netloc:
        raise CsafDistributionError(f"{name}: {where} names no host: {value!r}")
    if not is_secure_address(value):
        raise CsafDistributionError(
            f"{name}: {where} is plain http, refused (CSAF needs https): {value!r}"
        )
    return value


def _public_keys(document: dict[str, Any], name: str) -> tuple[PublicKey, ...]:
    listed = document.get("public_openpgp_keys", [])
    if not isinstance(listed, list):
        raise CsafDistributionError(f"{name}: public_openpgp_keys is not a list")
    keys = []
    for position, entry in enumerate(listed):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint.strip():
            where = f"public_openpgp_keys[{position}]"
            raise CsafDistributionError(f"{name}: {where} has no fingerprint")
        url = entry.get("url", "")
        where = f"public_openpgp_keys[{position}].url"
        keys.append(
            PublicKey(
                "".join(fingerprint.split()).upper(),
                web_address(url, name, where) if url else "",
            )
        )
    return tuple(keys)


def _timestamp(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def looks_like_provider_metadata(document: object) -> bool:
    return isinstance(document, dict) and (
        "distributions" in document or "metadata_version" in document
    )


def read_provider_metadata(
    content: bytes, name: str, limits: CsafWalkLimits = CsafWalkLimits()
) -> ProviderMetadata:
    document = listing_json(content, name, limits)
    if not isinstance(document, dict) or not isinstance(document.get("distributions", []), list):
        raise CsafDistributionError(f"{name}: not a CSAF provider-metadata.json")
    publisher = document.get("publisher")
    publisher_name = publisher.get("name", "") if isinstance(publisher, dict) else ""
    feeds: list[str] = []
    directories: list[str] = []
    for position, distribution in enumerate(document.get("distributions", [])):
        where = f"distributions[{position}]"
        if not isinstance(distribution, dict):
            raise CsafDistributionError(f"{name}: {where} is not an object")
        if "directory_url" in distribution:
            directory = web_address(distribution["directory_url"], name, f"{where}.directory_url")
            directories.append(directory if directory.endswith("/") else directory + "/")
        rolie = distribution.get("rolie", {})
        listed = rolie.get("feeds", []) if isinstance(rolie, dict) else None
        if not isinstance(listed, list):
            raise CsafDistributionError(f"{name}: {where}.rolie.feeds is not a list")
        for index, feed in enumerate(listed):
            if not isinstance(feed, dict):
                raise CsafDistributionError(f"{name}: {where}.rolie.feeds[{index}] is no object")
            label = str(feed.get("tlp_label", "")).upper()
            if label in PUBLIC_LABELS:
                feeds.append(web_address(feed.get("url"), name, f"{where}.rolie.feeds[{index}]"))
    if len(feeds) + len(directories) > limits.feeds:
        raise CsafDistributionError(f"{name}: more than {limits.feeds} feeds and directories")
    canonical = document.get("canonical_url", "")
    return ProviderMetadata(
        canonical_url=canonical if isinstance(canonical, str) else "",
        publisher=publisher_name if isinstance(publisher_name, str) else "",
        feeds=tuple(feeds),
        directories=tuple(directories),
        public_keys=_public_keys(document, name),
    )


def read_rolie_feed(
    content: bytes, name: str, limits: CsafWalkLimits = CsafWalkLimits()
) -> tuple[DistributedDocument, ...]:
    document = listing_json(content, name, limits)
    feed = document.get("feed") if isinstance(document, dict) else None
    entries = feed.get("entry", []) if isinstance(feed, dict) else None
    if not isinstance(entries, list):
        raise CsafDistributionError(f"{name}: not a ROLIE feed (no feed.entry list)")
    if len(entries) > limits.entries:
        raise CsafDistributionError(f"{name}: more than {limits.entries} entries")
    found = []
    for position, entry in enumerate(entries):
        links = entry.get("link") if isinstance(entry, dict) else None
        if not isinstance(links, list):
            raise CsafDistributionError(f"{name}: feed.entry[{position}] has no link list")
        target = next(
            (
                link.get("href")
                for link in links
                if isinstance(link, dict) and link.get("rel") == "self"
            ),
            None,
        )
        url = web_address(target, name, f"feed.entry[{position}] self link")
        found.append(DistributedDocument(url, _timestamp(entry.get("updated"))))
    return tuple(found)


def _inside(directory: str, path: str, name: str, line: int) -> str:
    cleaned = path.strip()
    if not cleaned or cleaned.startswith("/") or "\\" in cleaned or ".." in cleaned.split("/"):
        raise CsafDistributionError(f"{name}: line {line}: {path!r} is not a path in the folder")
    if urlparse(cleaned).scheme or cleaned.startswith("//"):
        raise CsafDistributionError(f"{name}: line {line}: {path!r} is not a path in the folder")
    if not cleaned.lower().endswith(".json"):
        raise CsafDistributionError(f"{name}: line {line}: {path!r} is not a .json document")
    return urljoin(directory, cleaned)


def _text_lines(content: bytes, name: str, limits: CsafWalkLimits) -> list[str]:
    if len(content) > limits.listing_bytes:
        raise CsafDistributionError(f"{name}: over the limit of {limits.listing_bytes} bytes")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CsafDistributionError(f"{name}: not UTF-8 text: {error}") from None
    lines = text.splitlines()
    if len(lines) > limits.entries:
        raise CsafDistributionError(f"{name}: more than {limits.entries} lines")
    return lines


def read_index_txt(
    content: bytes, directory: str, limits: CsafWalkLimits = CsafWalkLimits()
) -> tuple[DistributedDocument, ...]:
    name = urljoin(directory, "index.txt")
    lines = _text_lines(content, name, limits)
    return tuple(
        DistributedDocument(_inside(directory, line, name, number), None)
        for number, line in enumerate(lines, 1)
        if line.strip()
    )


def read_changes_csv(
    content: bytes, directory: str, limits: CsafWalkLimits = CsafWalkLimits()
) -> tuple[DistributedDocument, ...]:
    name = urljoin(directory, "changes.csv")
    lines = _text_lines(content, name, limits)
    found = []
    for number, row in enumerate(csv.reader(io.StringIO("\n".join(lines))), 1):
        if not row:
            continue
        if len(row) != 2:
            raise CsafDistributionError(f'{name}: line {number}: expected "path","date"')
        updated = _timestamp(row[1])
        if updated is None:
            raise CsafDistributionError(f"{name}: line {number}: {row[1]!r} is not a date")
        found.append(DistributedDocument(_inside(directory, row[0], name, number), updated))
    return tuple(found)


def select_documents(
    documents: Iterable[DistributedDocument],
    *,
    since: datetime | None,
    seen: frozenset[str] = frozenset(),
    scope: str = "",
    limits: CsafWalkLimits = CsafWalkLimits(),
) -> tuple[tuple[DistributedDocument, ...], bool]:
    """What to download now, oldest change first, and whether more is waiting.

    A document is taken when its file name starts with `scope` and it changed
    after `since`; one without a date (index.txt) when its address is not in
    `seen`. Of the same address, the newest entry counts.
    """
    newest: dict[str, DistributedDocument] = {}
    for document in documents:
        if scope and not document.file_name.lower().startswith(scope.lower()):
            continue
        known = newest.get(document.url)
        if known is None or (document.updated or _EPOCH) > (known.updated or _EPOCH):
            newest[document.url] = document
    wanted = [
        document
        for document in newest.values()
        if (document.updated is None and document.url not in seen)
        or (document.updated is not None and (since is None or document.updated > since))
    ]
    wanted.sort(key=lambda document: (document.updated or _EPOCH, document.url))
    return tuple(wanted[: limits.documents]), len(wanted) > limits.documents


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
