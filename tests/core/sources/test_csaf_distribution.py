"""CSAF 2.0 distribution files: real examples read, limits held, random input refused cleanly."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.sources import (
    CsafDistributionError,
    CsafWalkLimits,
    DistributedDocument,
    read_changes_csv,
    read_index_txt,
    read_provider_metadata,
    read_rolie_feed,
    select_documents,
)
from tests.conftest import shared_data_directory

DATA = shared_data_directory()
PROVIDER = DATA / "csaf/oasis-tcs-csaf/examples/provider-metadata/example-01-provider-metadata.json"
OASIS_FEED = DATA / "csaf/oasis-tcs-csaf/examples/ROLIE/example-01-feed-tlp-white.json"
CISA_FEED = DATA / "csaf/cisagov-CSAF/it/csaf_files/IT/white/cisa-csaf-it-feed-tlp-white.json"
DIRECTORY = "https://psirt.example.com/.well-known/csaf/white/"
CHANGES = (
    b'"2024/va-24-254-01.json","2024-10-03T16:03:00Z"\n'
    b'"2024/va-24-201-01.json","2024-07-19T16:00:00.000Z"\n'
)


def test_the_oasis_provider_metadata_example_names_its_public_rolie_feed() -> None:
    metadata = read_provider_metadata(PROVIDER.read_bytes(), PROVIDER.name)
    assert metadata.canonical_url == (
        "https://www.example.com/.well-known/csaf/provider-metadata.json"
    )
    assert metadata.publisher == "Example Company ProductCERT"
    assert metadata.feeds == ("https://www.example.com/.well-known/csaf/feed-tlp-white.json",)
    assert metadata.directories == ()


def test_only_public_feeds_are_followed_and_directories_end_with_a_slash() -> None:
    document = {
        "metadata_version": "2.0",
        "distributions": [
            {"directory_url": "https://psirt.example.com/csaf/white"},
            {
                "rolie": {
                    "feeds": [
                        {"tlp_label": "AMBER", "url": "https://psirt.example.com/amber.json"},
                        {"tlp_label": "CLEAR", "url": "https://psirt.example.com/clear.json"},
                    ]
                }
            },
        ],
    }
    metadata = read_provider_metadata(json.dumps(document).encode(), "provider-metadata.json")
    assert metadata.feeds == ("https://psirt.example.com/clear.json",)
    assert metadata.directories == ("https://psirt.example.com/csaf/white/",)


def test_the_cisa_rolie_feed_lists_each_document_with_its_update_time() -> None:
    documents = read_rolie_feed(CISA_FEED.read_bytes(), CISA_FEED.name)
    first = documents[0]
    assert first.url == (
        "https://raw.githubusercontent.com/cisagov/CSAF/develop/"
        "csaf_files/IT/white/2024/va-24-254-02.json"
    )
    assert first.updated == datetime(2024, 10, 3, 16, 3, tzinfo=UTC)
    assert first.file_name == "va-24-254-02.json"
    assert all(document.url.endswith(".json") for document in documents)
    oasis = read_rolie_feed(OASIS_FEED.read_bytes(), OASIS_FEED.name)
    assert oasis
    assert all(document.updated is not None for document in oasis)


def test_changes_csv_and_index_txt_name_documents_inside_their_folder() -> None:
    changes = read_changes_csv(CHANGES, DIRECTORY)
    assert changes == (
        DistributedDocument(
            DIRECTORY + "2024/va-24-254-01.json", datetime(2024, 10, 3, 16, 3, tzinfo=UTC)
        ),
        DistributedDocument(
            DIRECTORY + "2024/va-24-201-01.json", datetime(2024, 7, 19, 16, tzinfo=UTC)
        ),
    )
    index = read_index_txt(b"2024/va-24-254-01.json\n\n2024/va-24-201-01.json\n", DIRECTORY)
    assert [document.url for document in index] == [document.url for document in changes]
    assert {document.updated for document in index} == {None}


@pytest.mark.parametrize(
    "line",
    [
        "../secrets.json",
        "/etc/passwd.json",
        "https://elsewhere.example/evil.json",
        "//elsewhere.example/evil.json",
        "2024/report.pdf",
        "2024\\..\\x.json",
    ],
)
def test_a_path_leaving_the_folder_is_refused(line: str) -> None:
    with pytest.raises(CsafDistributionError, match="line 1"):
        read_index_txt(line.encode(), DIRECTORY)
    with pytest.raises(CsafDistributionError, match="line 1"):
        read_changes_csv(f'"{line}","2024-01-01T00:00:00Z"'.encode(), DIRECTORY)


def test_listings_over_their_limits_are_refused() -> None:
    limits = CsafWalkLimits(entries=1)
    with pytest.raises(CsafDistributionError, match="more than 1 lines"):
        read_changes_csv(CHANGES, DIRECTORY, limits)
    with pytest.raises(CsafDistributionError, match="more than 1 entries"):
        read_rolie_feed(CISA_FEED.read_bytes(), CISA_FEED.name, limits)
    small = CsafWalkLimits(listing_bytes=1000)
    with pytest.raises(CsafDistributionError, match="over the limit of 1000 bytes"):
        read_rolie_feed(CISA_FEED.read_bytes(), CISA_FEED.name, small)
    with pytest.raises(CsafDistributionError, match=r"line 1: 'yesterday' is not a date"):
        read_changes_csv(b'"2024/a.json","yesterday"', DIRECTORY)


def test_the_walk_takes_what_changed_since_the_last_one_oldest_first_within_its_limit() -> None:
    documents = read_changes_csv(CHANGES, DIRECTORY)
    everything, more = select_documents(documents, since=None)
    assert [document.file_name for document in everything] == [
        "va-24-201-01.json",
        "va-24-254-01.json",
    ]
    assert more is False
    since = datetime(2024, 8, 1, tzinfo=UTC)
    newer, _ = select_documents(documents, since=since)
    assert [document.file_name for document in newer] == ["va-24-254-01.json"]
    first, more = select_documents(documents, since=None, limits=CsafWalkLimits(documents=1))
    assert ([document.file_name for document in first], more) == (["va-24-201-01.json"], True)
    assert select_documents(documents, since=None, scope="icsma-") == ((), False)
    index = read_index_txt(b"2024/a.json\n2024/b.json\n", DIRECTORY)
    unseen, _ = select_documents(index, since=since, seen=frozenset({DIRECTORY + "2024/a.json"}))
    assert [document.file_name for document in unseen] == ["b.json"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)
SEED_KEYS = ["feed", "entry", "link", "rel", "href", "updated", "distributions", "rolie", "feeds"]


def shaped() -> st.SearchStrategy[bytes]:
    """JSON near the real shapes: the seeds' keys with random values, and random JSON."""
    keyed = st.dictionaries(st.sampled_from(SEED_KEYS), json_values, max_size=4)
    feed = st.builds(
        lambda entries: {"feed": {"entry": entries}},
        st.lists(
            st.dictionaries(st.sampled_from(["link", "updated", "id"]), json_values, max_size=3)
            | st.builds(
                lambda href, updated: {"link": [{"rel": "self", "href": href}], "updated": updated},
                st.text(max_size=40),
                st.text(max_size=30),
            ),
            max_size=4,
        ),
    )
    return st.one_of(keyed, feed, json_values).map(lambda value: json.dumps(value).encode())


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(shaped(), st.binary(max_size=300)))
def test_random_json_and_bytes_are_read_or_refused_with_the_readers_error(content: bytes) -> None:
    for reader in (read_provider_metadata, read_rolie_feed):
        with contextlib.suppress(CsafDistributionError):
            reader(content, "fuzzed.json")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(max_size=300).map(str.encode), st.binary(max_size=300)))
def test_random_listings_are_read_or_refused_and_never_leave_the_folder(content: bytes) -> None:
    for reader in (read_changes_csv, read_index_txt):
        try:
            documents = reader(content, DIRECTORY)
        except CsafDistributionError:
            continue
        assert all(document.url.startswith(DIRECTORY) for document in documents)


def test_cisa_index_txt_and_the_specification_changes_csv_line_are_read() -> None:
    # The first lines of github.com/cisagov/CSAF csaf_files/IT/white/index.txt, as published.
    cisa_index = b"2025/va-25-273-01.json\n2025/va-25-272-01.json\n2024/va-24-201-01.json\n"
    base = "https://raw.githubusercontent.com/cisagov/CSAF/develop/csaf_files/IT/white/"
    documents = read_index_txt(cisa_index, base)
    assert [document.url for document in documents] == [
        base + "2025/va-25-273-01.json",
        base + "2025/va-25-272-01.json",
        base + "2024/va-24-201-01.json",
    ]
    # The changes.csv line of CSAF 2.0 section 7.1.14's example.
    line = b'"2020/example_company_-_2020-yh4711.json","2020-07-01T10:09:07Z"\n'
    (change,) = read_changes_csv(line, DIRECTORY)
    assert change.url == DIRECTORY + "2020/example_company_-_2020-yh4711.json"
    assert change.updated == datetime(2020, 7, 1, 10, 9, 7, tzinfo=UTC)
