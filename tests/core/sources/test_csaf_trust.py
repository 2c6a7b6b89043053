"""CSAF 2.0 trust: the OASIS aggregator examples walked, hash files read, http refused."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.sources import (
    CsafDistributionError,
    digest_of,
    is_secure_address,
    looks_like_aggregator,
    read_aggregator,
    read_hash_file,
    read_provider_metadata,
    read_rolie_feed,
)
from tests.conftest import shared_data_directory

EXAMPLES = shared_data_directory() / "csaf/oasis-tcs-csaf/examples"
PROVIDER = EXAMPLES / "provider-metadata/example-01-provider-metadata.json"


@pytest.mark.parametrize("example", ["example-01", "example-02", "example-03"])
def test_the_oasis_aggregator_examples_name_their_providers_metadata(example: str) -> None:
    path = EXAMPLES / f"aggregator/{example}-aggregator.json"
    document = json.loads(path.read_bytes())
    assert looks_like_aggregator(document)
    addresses = read_aggregator(path.read_bytes(), path.name)
    assert addresses[:2] == (
        "https://www.example.com/.well-known/csaf/provider-metadata.json",
        "https://cert.example/advisories/csaf/provider-metadata.json",
    )
    listed = document["csaf_providers"] + document.get("csaf_publishers", [])
    assert len(addresses) == len({entry["metadata"]["url"] for entry in listed})


def test_the_provider_metadata_example_gives_its_public_openpgp_key() -> None:
    metadata = read_provider_metadata(PROVIDER.read_bytes(), PROVIDER.name)
    [key] = metadata.public_keys
    assert key.fingerprint == "8F5F267907B2C4559DB360DB2294BA7D2B2298B1"
    assert key.url.startswith("https://keys.example.net/vks/v1/by-fingerprint/")


def test_plain_http_is_refused_except_on_the_loopback_addresses() -> None:
    assert is_secure_address("https://psirt.example.com/csaf/provider-metadata.json")
    assert is_secure_address("http://127.0.0.1:8000/provider-metadata.json")
    assert is_secure_address("http://[::1]:8000/provider-metadata.json")
    assert not is_secure_address("http://psirt.example.com/provider-metadata.json")
    assert not is_secure_address("http://localhost.example.com/provider-metadata.json")
    assert not is_secure_address("ftp://psirt.example.com/provider-metadata.json")
    feed = {"feed": {"entry": [{"link": [{"rel": "self", "href": "http://x.example/a.json"}]}]}}
    with pytest.raises(CsafDistributionError, match="plain http, refused"):
        read_rolie_feed(json.dumps(feed).encode(), "feed.json")
    aggregator = {"csaf_providers": [{"metadata": {"url": "http://x.example/p.json"}}]}
    with pytest.raises(CsafDistributionError, match="plain http, refused"):
        read_aggregator(json.dumps(aggregator).encode(), "aggregator.json")


def test_hash_files_give_their_digest_with_or_without_the_file_name() -> None:
    content = PROVIDER.read_bytes()
    sha512 = hashlib.sha512(content).hexdigest()
    sha256 = hashlib.sha256(content).hexdigest()
    line = f"{sha512.upper()}  example-01-provider-metadata.json\n".encode()
    assert read_hash_file(line, "x.json.sha512", "sha512") == sha512 == digest_of(content, "sha512")
    assert read_hash_file(sha256.encode(), "x.json.sha256", "sha256") == sha256
    for wrong in (b"", b"not a digest", sha256.encode(), b"\xff\xfe"):
        with pytest.raises(CsafDistributionError, match=r"x\.json\.sha512"):
            read_hash_file(wrong, "x.json.sha512", "sha512")


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        st.recursive(
            st.none() | st.booleans() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(["csaf_providers", "metadata", "url"]), inner)
            ),
            max_leaves=12,
        ).map(lambda value: json.dumps(value).encode()),
        st.binary(max_size=300),
    )
)
def test_random_aggregators_and_hash_files_are_read_or_refused_cleanly(content: bytes) -> None:
    try:
        addresses = read_aggregator(content, "aggregator.json")
    except CsafDistributionError:
        addresses = ()
    assert all(is_secure_address(address) for address in addresses)
    try:
        digest = read_hash_file(content, "x.sha256", "sha256")
    except CsafDistributionError:
        digest = "0" * 64
    assert len(digest) == 64
    assert int(digest, 16) >= 0
