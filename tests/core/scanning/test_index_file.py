"""The prebuilt index file: exact round trip, partial reads, refusal of anything altered."""

from __future__ import annotations

import contextlib
import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvigil.core.matching import group_aliases
from medvigil.core.matching.keys import component_keys
from medvigil.core.scanning import FeedData, IndexFileError, load_feeds, read_index, write_index
from tests.core.scanning.scenario import build


@pytest.fixture(scope="module")
def feeds(shared_data: Path) -> FeedData:
    return load_feeds([shared_data / name for name in ("osv", "nvd", "cve", "kev", "epss")])


@pytest.fixture(scope="module")
def index_bytes(feeds: FeedData) -> bytes:
    return write_index(feeds)


def test_round_trip_is_exact(feeds: FeedData, index_bytes: bytes) -> None:
    loaded = read_index(index_bytes)
    assert loaded.advisories == feeds.advisories
    assert loaded.kev == feeds.kev
    assert dict(loaded.epss) == dict(feeds.epss)
    assert write_index(loaded) == index_bytes  # deterministic


def test_partial_read_builds_only_reachable_advisories(feeds: FeedData, index_bytes: bytes) -> None:
    wanted = component_keys("pkg:golang/golang.org/x/text@v0.3.5", None)
    loaded = read_index(index_bytes, wanted)
    assert "GO-2021-0113" in {advisory.id for advisory in loaded.advisories}
    assert len(loaded.advisories) < 20
    # The stored alias groups stand in for what was not built: grouping is that of every record.
    partial = group_aliases([*loaded.advisories, *loaded.identities])
    whole = group_aliases(feeds.advisories)
    assert (
        partial.members("PYSEC-2019-26")
        == whole.members("PYSEC-2019-26")
        == (
            "CVE-2019-1020019",
            "GHSA-j9m2-6hq2-4r3c",
            "PYSEC-2019-26",
        )
    )
    assert all(partial.group_of(name) == whole.group_of(name) for name in whole.canonical)


@pytest.fixture(scope="module")
def small_index(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    _sbom, feeds = build(shared_data, tmp_path_factory.mktemp("scenario"))
    return write_index(load_feeds([feeds]))


def body_lines(index_bytes: bytes) -> list[bytes]:
    return gzip.decompress(index_bytes).split(b"\n")


def rehashed(lines: list[bytes]) -> bytes:
    """The index with its header's digest made consistent again (a forgery, not a cut)."""
    import hashlib

    body = b"\n".join(lines[1:])
    header = json.loads(lines[0])
    header["sha256"] = hashlib.sha256(body).hexdigest()
    return gzip.compress(json.dumps(header).encode() + b"\n" + body)


def test_a_changed_record_is_refused(index_bytes: bytes) -> None:
    lines = body_lines(index_bytes)
    lines[2] = lines[2].replace(b'"fixed"', b'"introduced"', 1)
    with pytest.raises(IndexFileError, match="SHA-256"):
        read_index(gzip.compress(b"\n".join(lines)))


def test_a_consistent_forgery_with_a_bad_field_is_refused(index_bytes: bytes) -> None:
    lines = body_lines(index_bytes)
    record = json.loads(lines[2])
    record["a"]["affected"][0]["ranges"][0]["type"] = "EXEC"
    lines[2] = json.dumps(record).encode()
    with pytest.raises(IndexFileError, match="line 3"):
        read_index(rehashed(lines))


def test_a_partial_read_decodes_only_the_lines_its_keys_name(index_bytes: bytes) -> None:
    lines = body_lines(index_bytes)
    directory = json.loads(lines[1])
    wanted = component_keys("pkg:golang/golang.org/x/text@v0.3.5", None)
    named = {
        number for *key, numbers in directory["keys"] if tuple(key) in wanted for number in numbers
    }
    other = min(set(range(len(lines) - 2)) - named)
    lines[2 + other] = b'{"a": "never decoded"}'
    forged = rehashed(lines)
    loaded = read_index(forged, wanted)
    assert sorted(advisory.id for advisory in loaded.advisories) == sorted(
        json.loads(lines[2 + number])["a"]["id"] for number in named
    )
    with pytest.raises(IndexFileError, match=f"line {other + 3}: expected an object"):
        read_index(forged)


def test_a_directory_that_disagrees_with_its_lines_is_refused(index_bytes: bytes) -> None:
    lines = body_lines(index_bytes)
    directory = json.loads(lines[1])
    directory["groups"][0] = directory["groups"][0][:1]
    lines[1] = json.dumps(directory).encode()
    with pytest.raises(IndexFileError, match="line 2: an alias group holds two ids or more"):
        read_index(rehashed(lines))
    directory = json.loads(body_lines(index_bytes)[1])
    directory["keys"][0][3] = [10**9]
    lines[1] = json.dumps(directory).encode()
    with pytest.raises(IndexFileError, match="line 2: key positions"):
        read_index(rehashed(lines))


def test_other_versions_and_other_files_are_refused(index_bytes: bytes) -> None:
    lines = body_lines(index_bytes)
    header = json.loads(lines[0])
    header["version"] = 99
    with pytest.raises(IndexFileError, match="version 99"):
        read_index(gzip.compress(b"\n".join([json.dumps(header).encode(), *lines[1:]])))
    header["version"] = 1  # files of the first format: written again, not misread
    with pytest.raises(IndexFileError, match="version 1; this medvigil reads 2: write the index"):
        read_index(gzip.compress(b"\n".join([json.dumps(header).encode(), *lines[1:]])))
    with pytest.raises(IndexFileError, match="gzip"):
        read_index(b"PK\x03\x04 not gzip")
    with pytest.raises(IndexFileError, match="header"):
        read_index(gzip.compress(b'{"hello": 1}\n'))
    with pytest.raises(IndexFileError):
        read_index(index_bytes[: len(index_bytes) // 2])


small = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_only_raise_index_file_error(data: bytes) -> None:
    with pytest.raises(IndexFileError):
        read_index(data)
    with pytest.raises(IndexFileError):
        read_index(gzip.compress(data))


@settings(max_examples=300, deadline=None)
@given(st.lists(small, min_size=1, max_size=4), small, small)
def test_any_correctly_hashed_json_lines_load_or_raise_index_file_error(
    records: list[object], groups: object, keys: object
) -> None:
    import hashlib

    directory = {"groups": groups, "keys": keys}
    body = b"".join(
        json.dumps(record).encode() + b"\n" for record in [directory, *({"a": r} for r in records)]
    )
    header = {
        "format": "medvigil-feed-index",
        "version": 2,
        "sha256": hashlib.sha256(body).hexdigest(),
        "advisories": len(records),
        "kev": 0,
        "epss": 0,
    }
    data = gzip.compress(json.dumps(header).encode() + b"\n" + body)
    with contextlib.suppress(IndexFileError):
        read_index(data)
    with contextlib.suppress(IndexFileError):  # a partial read takes the directory's word
        read_index(data, {("package", "npm", "minimist")})


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_mutated_real_index_lines_load_or_raise_index_file_error(
    small_index: bytes, data: st.DataObject
) -> None:
    import hashlib

    lines = body_lines(small_index)
    number = data.draw(st.integers(1, len(lines) - 2))
    record = json.loads(lines[number])
    target = record[next(iter(record))]
    if isinstance(target, dict) and target:
        key = data.draw(st.sampled_from(sorted(target)))
        target[key] = data.draw(small)
    lines[number] = json.dumps(record).encode()
    body = b"\n".join(lines[1:])
    header = json.loads(lines[0])
    header["sha256"] = hashlib.sha256(body).hexdigest()
    with contextlib.suppress(IndexFileError):
        read_index(gzip.compress(json.dumps(header).encode() + b"\n" + body))
