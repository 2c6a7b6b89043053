"""Directory files of a CSAF provider: index.txt, changes.csv, hash lines, ROLIE feed, metadata."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.csaf import (
    DirectoryEntry,
    Publisher,
    changes_csv,
    hash_file,
    index_txt,
    provider_metadata,
    rolie_feed,
)

START = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
FIRST = DirectoryEntry("LUMEN-2026-001", "Pump", 2026, "lumen-2026-001.json", START, START)
SECOND = DirectoryEntry(
    "LUMEN-2025-014",
    'Gateway, "quoted"',
    2025,
    "lumen-2025-014.json",
    START - timedelta(days=200),
    START + timedelta(days=3),
)


def test_index_lists_paths_and_changes_are_newest_first_without_header() -> None:
    assert index_txt((FIRST, SECOND)) == "2025/lumen-2025-014.json\n2026/lumen-2026-001.json\n"
    assert changes_csv((FIRST, SECOND)) == (
        '"2025/lumen-2025-014.json","2026-01-08T09:30:00Z"\n'
        '"2026/lumen-2026-001.json","2026-01-05T09:30:00Z"\n'
    )
    assert index_txt(()) == changes_csv(()) == ""


def test_hash_files_read_like_sha256sum_output() -> None:
    assert hash_file("ab" * 32, "lumen-2026-001.json") == f"{'ab' * 32}  lumen-2026-001.json\n"


def test_the_feed_links_each_document_to_its_hash_and_signature() -> None:
    feed = rolie_feed(
        (FIRST, SECOND),
        feed_id="csaf-feed-tlp-white",
        title="Lumen CSAF feed (TLP:WHITE)",
        feed_url="https://lumen.example/.well-known/csaf/feed-tlp-white.json",
        folder_url="https://lumen.example/.well-known/csaf/white/",
        updated=START + timedelta(days=3),
        signed=True,
    )["feed"]
    assert feed["updated"] == "2026-01-08T09:30:00Z"
    assert [entry["id"] for entry in feed["entry"]] == ["LUMEN-2025-014", "LUMEN-2026-001"]
    newest = feed["entry"][0]
    url = "https://lumen.example/.well-known/csaf/white/2025/lumen-2025-014.json"
    assert newest["link"] == [
        {"rel": "self", "href": url},
        {"rel": "hash", "href": url + ".sha512"},
        {"rel": "signature", "href": url + ".asc"},
    ]
    assert newest["published"] == "2025-06-19T09:30:00Z"
    assert newest["content"] == {"type": "application/json", "src": url}


def test_provider_metadata_is_a_trusted_provider_only_with_a_key() -> None:
    common = {
        "publisher": Publisher(
            "Lumen", "https://lumen.example", contact_details="psirt@lumen.example"
        ),
        "canonical_url": "https://lumen.example/.well-known/csaf/provider-metadata.json",
        "directory_url": "https://lumen.example/.well-known/csaf/white/",
        "feed_url": "https://lumen.example/.well-known/csaf/feed-tlp-white.json",
        "last_updated": START,
    }
    signed = provider_metadata(
        **common, key_fingerprint="A" * 40, key_url="https://lumen.example/key.asc"
    )
    unsigned = provider_metadata(**common, key_fingerprint=None, key_url=None)
    assert signed["role"] == "csaf_trusted_provider"
    assert signed["public_openpgp_keys"] == [
        {"fingerprint": "A" * 40, "url": "https://lumen.example/key.asc"}
    ]
    assert unsigned["role"] == "csaf_provider"
    assert "public_openpgp_keys" not in unsigned
    assert signed["publisher"] == {
        "category": "vendor",
        "name": "Lumen",
        "namespace": "https://lumen.example",
        "contact_details": "psirt@lumen.example",
    }


@settings(max_examples=100)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=20),
            st.integers(2000, 2099),
            st.from_regex(r"[a-z0-9+\-_]{1,20}\.json", fullmatch=True),
            st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)),
        ),
        max_size=8,
    )
)
def test_changes_csv_reads_back_as_two_quoted_columns_newest_first(items: list[tuple]) -> None:
    entries = tuple(
        DirectoryEntry(
            title, title, year, name, moment.replace(tzinfo=UTC), moment.replace(tzinfo=UTC)
        )
        for title, year, name, moment in items
    )
    rows = list(csv.reader(io.StringIO(changes_csv(entries))))
    assert [len(row) for row in rows] == [2] * len(entries)
    times = [row[1] for row in rows]
    assert times == sorted(times, reverse=True)
    assert sorted(row[0] for row in rows) == sorted(entry.path for entry in entries)
