"""The client's address: X-Forwarded-For is believed only from a trusted proxy.

Before, every per-address limit trusted the last X-Forwarded-For entry whenever
MEDVIGIL_TLS was set, so any client could choose the address its limits were
counted on (issue 19, defect 11).
"""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory, override_settings

from medvigil.audit.context import actor_for_request
from medvigil.configuration import ConfigurationError, read_configuration
from medvigil.platform.addresses import address_behind_proxies, client_address

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8::1"))


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # No trusted proxy: whatever the header says, the peer is the client.
        ("198.51.100.9", "203.0.113.5", "198.51.100.9"),
        ("198.51.100.9", "", "198.51.100.9"),
        # One trusted proxy: the entry it appended.
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        # A client's forged entries left of the one the proxy appended are ignored.
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        # Two trusted proxies in a row are walked past.
        ("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
        ("2001:db8::1", "2001:db8::7", "2001:db8::7"),
        # Only trusted proxies: the leftmost address they name.
        ("10.0.0.2", "10.3.3.3", "10.3.3.3"),
        # A trusted proxy without a header, or with garbage in it, is the client itself.
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "1.2.3.4, not-an-address", "10.0.0.2"),
    ],
)
def test_the_client_is_the_first_address_that_is_not_a_trusted_proxy(
    peer: str, forwarded: str, expected: str
) -> None:
    assert address_behind_proxies(peer, forwarded, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_ignored_even_behind_tls() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    with override_settings(TRUSTED_PROXIES=()):
        assert client_address(request) == "198.51.100.9"
        assert actor_for_request(request).client_address == "198.51.100.9"
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert client_address(request) == "198.51.100.9"
    request.META["REMOTE_ADDR"] = "10.9.9.9"
    with override_settings(TRUSTED_PROXIES=PROXIES):
        assert client_address(request) == "203.0.113.5"
        assert actor_for_request(request).client_address == "203.0.113.5"


def test_trusted_proxies_are_read_from_the_environment(tmp_path: object) -> None:
    home = {"MEDVIGIL_HOME": str(tmp_path)}
    assert read_configuration(home).trusted_proxies == ()
    configured = read_configuration(
        {**home, "MEDVIGIL_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8, ::1"}
    )
    assert [str(network) for network in configured.trusted_proxies] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]
    with pytest.raises(ConfigurationError, match="MEDVIGIL_TRUSTED_PROXIES"):
        read_configuration({**home, "MEDVIGIL_TRUSTED_PROXIES": "proxy.example"})
