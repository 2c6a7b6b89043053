"""The files of a CSAF trusted provider's directory (CSAF 2.0 section 7.1).

Documents live in one folder per year of their initial release under the
TLP folder (``white/2026/lumen-2026-001.json``); ``index.txt`` lists their
paths, ``changes.csv`` their paths with the time of their last change, newest
first; a ROLIE feed (RFC 8322) lists them with links to the hash and
signature files; ``provider-metadata.json`` points at all of it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from medvigil.core.csaf.fields import timestamp
from medvigil.core.csaf.model import Publisher

ROLIE_CATEGORY_SCHEME = "urn:ietf:params:rolie:category:information-type"
CSAF_SCHEMA_URL = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """One published document: where it is and when it was released and last changed."""

    tracking_id: str
    title: str
    year: int
    filename: str
    initial_release: datetime
    current_release: datetime

    @property
    def path(self) -> str:
        """The path relative to the TLP folder, as index.txt and changes.csv write it."""
        return f"{self.year}/{self.filename}"


def _newest_first(entries: tuple[DirectoryEntry, ...]) -> list[DirectoryEntry]:
    return sorted(entries, key=lambda entry: (entry.current_release, entry.path), reverse=True)


def index_txt(entries: tuple[DirectoryEntry, ...]) -> str:
    return "".join(f"{entry.path}\n" for entry in sorted(entries, key=lambda item: item.path))


def changes_csv(entries: tuple[DirectoryEntry, ...]) -> str:
    """``"path","time"`` lines, no header, newest first (section 7.1.13)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for entry in _newest_first(entries):
        writer.writerow([entry.path, timestamp(entry.current_release)])
    return buffer.getvalue()


def hash_file(digest: str, filename: str) -> str:
    """A ``sha256sum``-style line: the hex digest, two spaces, the file name."""
    return f"{digest}  {filename}\n"


def rolie_feed(
    entries: tuple[DirectoryEntry, ...],
    *,
    feed_id: str,
    title: str,
    feed_url: str,
    folder_url: str,
    updated: datetime,
    signed: bool,
) -> dict[str, Any]:
    """The ROLIE feed of one TLP folder; ``folder_url`` ends with a slash."""
    items = []
    for entry in _newest_first(entries):
        url = folder_url + entry.path
        links = [{"rel": "self", "href": url}, {"rel": "hash", "href": url + ".sha512"}]
        if signed:
            links.append({"rel": "signature", "href": url + ".asc"})
        items.append(
            {
                "id": entry.tracking_id,
                "title": entry.title,
                "link": links,
                "published": timestamp(entry.initial_release),
                "updated": timestamp(entry.current_release),
                "summary": {"content": entry.title},
                "content": {"type": "application/json", "src": url},
                "format": {"schema": CSAF_SCHEMA_URL, "version": "2.0"},
            }
        )
    return {
        "feed": {
            "id": feed_id,
            "title": title,
            "link": [{"rel": "self", "href": feed_url}],
            "category": [{"scheme": ROLIE_CATEGORY_SCHEME, "term": "csaf"}],
            "updated": timestamp(updated),
            "entry": items,
        }
    }


def provider_metadata(
    *,
    publisher: Publisher,
    canonical_url: str,
    directory_url: str,
    feed_url: str,
    last_updated: datetime,
    key_fingerprint: str | None,
    key_url: str | None,
) -> dict[str, Any]:
    """``provider-metadata.json``: a trusted provider when documents are signed."""
    metadata: dict[str, Any] = {
        "canonical_url": canonical_url,
        "distributions": [
            {"directory_url": directory_url},
            {
                "rolie": {
                    "feeds": [
                        {
                            "summary": f"All TLP:WHITE advisories of {publisher.name}.",
                            "tlp_label": "WHITE",
                            "url": feed_url,
                        }
                    ]
                }
            },
        ],
        "last_updated": timestamp(last_updated),
        "list_on_CSAF_aggregators": True,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": True,
        "publisher": {
            "category": publisher.category,
            "name": publisher.name,
            "namespace": publisher.namespace,
        },
        "role": "csaf_trusted_provider" if key_fingerprint else "csaf_provider",
    }
    if publisher.contact_details:
        metadata["publisher"]["contact_details"] = publisher.contact_details
    if key_fingerprint and key_url:
        metadata["public_openpgp_keys"] = [{"fingerprint": key_fingerprint, "url": key_url}]
    return metadata
