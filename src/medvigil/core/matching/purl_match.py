"""A component's identity in OSV terms, read from its purl.

Matching by purl is exact: the OSV ecosystem and the normalised package name
must both be equal. There is no fuzzy name matching here, by design: a near
name is a different package.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from packageurl import PackageURL

from medvigil.core.matching.ecosystems import (
    Ecosystem,
    ecosystem_for_purl,
    normalise_name,
    normalise_release,
)


class InvalidPurl(ValueError):
    """The purl string is not a package URL."""


@dataclass(frozen=True, slots=True)
class PackageIdentity:
    """What the index keys on: the bare OSV ecosystem and the normalised name.

    `release` is the distribution release from the ``distro`` qualifier (or
    None), `version` the purl's version with an rpm ``epoch`` folded in.
    """

    ecosystem: Ecosystem
    name: str
    release: str | None
    version: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.ecosystem.name, self.name)


@functools.lru_cache(maxsize=65_536)
def identity_from_purl(purl: str) -> PackageIdentity | None:
    """The OSV identity of a purl, or None for a type no OSV ecosystem covers.

    Raises `InvalidPurl` when the string is not a purl at all. Cached:
    parsing a purl costs more than matching it, and portfolios repeat them.
    """
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError as error:
        raise InvalidPurl(str(error)) from error
    ecosystem = ecosystem_for_purl(parsed.type, parsed.namespace)
    if ecosystem is None:
        return None
    qualifiers = parsed.qualifiers if isinstance(parsed.qualifiers, dict) else {}
    release = None
    if ecosystem.release_scoped and qualifiers.get("distro"):
        release = normalise_release(ecosystem.name, str(qualifiers["distro"]))
    version = parsed.version
    epoch = qualifiers.get("epoch")
    if version and epoch and ":" not in version and str(epoch) != "0":
        version = f"{epoch}:{version}"
    return PackageIdentity(ecosystem, osv_name(ecosystem, parsed), release, version)


def osv_name(ecosystem: Ecosystem, purl: PackageURL) -> str:
    """The package name as OSV spells it, then normalised for the index."""
    namespace = purl.namespace or ""
    name = purl.name
    if ecosystem.name == "Maven":
        full = f"{namespace}:{name}" if namespace else name
    elif ecosystem.name in ("Go", "npm", "Packagist", "SwiftURL") and namespace:
        # Go module paths, npm scopes and Composer vendors join with "/".
        full = f"{namespace}/{name}"
    else:
        # Distribution vendors (debian, alpine, redhat) are the ecosystem, not the name.
        full = name
    return normalise_name(ecosystem.name, full)
