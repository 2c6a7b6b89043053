"""The client's address, the one every per-address limit and every audit event uses.

X-Forwarded-For is written by whoever sends the request, so an entry is believed
only when it was appended by a proxy listed in MEDVIGIL_TRUSTED_PROXIES: starting
from the direct peer, walk the header from the right past trusted proxies; the
first address that is not one is the client. Without a trusted peer the header
is ignored, so a client cannot pick the address its limits are counted on.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest

from medvigil.configuration import Network

# The audit trail's column is this wide.
LONGEST_ADDRESS = 64


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted(text: str, proxies: Iterable[Network]) -> bool:
    address = parse_address(text)
    return address is not None and any(address in network for network in proxies)


def address_behind_proxies(peer: str, forwarded: str, proxies: tuple[Network, ...]) -> str:
    """The client's address given the direct peer, X-Forwarded-For and the trusted proxies."""
    client = peer.strip()
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    while is_trusted(client, proxies) and hops:
        candidate = hops.pop()
        # A trusted proxy that forwarded something other than an address: stop at the proxy.
        if parse_address(candidate) is None:
            break
        client = candidate
    return client[:LONGEST_ADDRESS]


def client_address(request: HttpRequest) -> str:
    return address_behind_proxies(
        str(request.META.get("REMOTE_ADDR", "")),
        str(request.META.get("HTTP_X_FORWARDED_FOR", "")),
        settings.TRUSTED_PROXIES,
    )
