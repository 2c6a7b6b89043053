"""Version ordering per ecosystem, with OSV's two special values.

`Version` wraps an ecosystem-specific sort key. Two values sit outside every
ecosystem: `ZERO` (the OSV ``"0"`` of ``introduced``) below every version, and
unparseable event versions above every version, so that an unparseable
``fixed`` can never make a version unaffected. Parsing is cached: the same few
thousand strings come back for every component of an SBOM.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packaging.version import Version as PackagingVersion
from univers.versions import (
    AlpineLinuxVersion,
    DebianVersion,
    NugetVersion,
    RpmVersion,
    RubygemsVersion,
)

from medvigil.core.matching import ecosystems
from medvigil.core.matching.maven import MavenKey
from medvigil.core.matching.packagist import PackagistKey
from medvigil.core.matching.semver import go_key, npm_key, pub_key, semver_key

# Each ordering's own key type (tuples, univers objects); only `<` is used between keys.
SortKey = Any


class UnorderableVersion(ValueError):
    """A version that its ecosystem's ordering cannot place (the only error parsing raises)."""


_BELOW_ALL = 0
_ORDERED = 1
_ABOVE_ALL = 2


@dataclass(frozen=True, slots=True, eq=False)
class Version:
    """A version placed in one ecosystem's order.

    Comparison is by the ecosystem's precedence, so equal versions may be
    spelled differently (PyPI ``1.0`` == ``1.0.0``; SemVer ``1.2.2+b`` == ``1.2.2``).
    Versions of different orderings must not be compared.
    """

    text: str
    rank: int
    key: SortKey
    ordering: str = ""

    def compare(self, other: Version) -> int:
        """-1, 0 or 1, like a C comparator."""
        if self.rank != other.rank:
            return -1 if self.rank < other.rank else 1
        if self.rank == _ORDERED:
            if self.key < other.key:
                return -1
            return 1 if other.key < self.key else 0
        if self.rank == _ABOVE_ALL:
            # Unparseable values stay a total order among themselves.
            return (self.text > other.text) - (self.text < other.text)
        return 0

    @property
    def sort_key(self) -> tuple[Any, ...]:
        """A plain tuple ordered like `compare`, for sorting and bisecting without Python calls."""
        if self.rank == _ORDERED:
            return (_ORDERED, self.key)
        if self.rank == _ABOVE_ALL:
            return (_ABOVE_ALL, self.text)
        return (self.rank,)

    @property
    def is_unparseable(self) -> bool:
        return self.rank == _ABOVE_ALL

    def __lt__(self, other: Version) -> bool:
        return self.compare(other) < 0

    def __le__(self, other: Version) -> bool:
        return self.compare(other) <= 0

    def __gt__(self, other: Version) -> bool:
        return self.compare(other) > 0

    def __ge__(self, other: Version) -> bool:
        return self.compare(other) >= 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self.compare(other) == 0

    def __hash__(self) -> int:
        # Equality is by precedence, not spelling: only the rank is safe to hash.
        return hash(self.rank)


ZERO = Version("0", _BELOW_ALL, None)
INFINITY = Version("*", _ABOVE_ALL, None)  # an OSV `limit: "*"`


def _univers(version_class: type) -> Callable[[str], SortKey]:
    def parse(text: str) -> SortKey:
        # univers orders by `.value` alone; comparing the attrs wrapper costs
        # several tuple builds per `<`, so keep only the value.
        return version_class(text).value

    return parse


def _univers_whole(version_class: type) -> Callable[[str], SortKey]:
    # Classes that define their own `<` (Alpine's Gentoo rules) keep their wrapper.
    def parse(text: str) -> SortKey:
        parsed: SortKey = version_class(text)
        return parsed

    return parse


def _pypi_key(text: str) -> SortKey:
    # packaging's own sort key is a plain tuple: `<` on it runs in C.
    return PackagingVersion(text)._key


def _rpm_key(text: str) -> SortKey:
    # rpmvercmp takes any string; refuse only those with no digit at all, as
    # they are names or stand-ins ("latest", "-"), not versions.
    if not re.search(r"\d", text):
        raise ValueError(text)
    return RpmVersion(text).value


def _dotted_numbers_key(text: str) -> SortKey:
    # CRAN / Bioconductor: integers joined by "." or "-" (R's package_version).
    parts = re.split(r"[.-]", text.strip())
    if not all(part.isdigit() for part in parts):
        raise ValueError(text)
    numbers = [int(part) for part in parts]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


_PARSERS: dict[str, Callable[[str], SortKey]] = {
    ecosystems.SEMVER: semver_key,
    ecosystems.NPM: npm_key,
    ecosystems.GO: go_key,
    ecosystems.PUB: pub_key,
    ecosystems.PYPI: _pypi_key,
    ecosystems.MAVEN: MavenKey,
    ecosystems.NUGET: _univers(NugetVersion),
    ecosystems.RUBYGEMS: _univers(RubygemsVersion),
    ecosystems.PACKAGIST: PackagistKey,
    ecosystems.DEBIAN: _univers(DebianVersion),
    ecosystems.ALPINE: _univers_whole(AlpineLinuxVersion),
    ecosystems.RPM: _rpm_key,
    ecosystems.DOTTED_NUMBERS: _dotted_numbers_key,
    # Maven's ComparableVersion is a forgiving general order: 1.1.1k > 1.1.1 > 1.1.1-rc1.
    ecosystems.GENERIC: MavenKey,
}
ORDERINGS: frozenset[str] = frozenset(_PARSERS)


@functools.lru_cache(maxsize=262_144)
def parse_version(ordering: str, text: str) -> Version:
    """A component's version in `ordering`; raises `UnorderableVersion` if it has no place."""
    parser = _PARSERS.get(ordering)
    if parser is None:
        raise UnorderableVersion(f"no version ordering named {ordering!r}")
    if not text or not text.strip() or len(text) > 256:
        raise UnorderableVersion(f"{text!r} is not a version")
    try:
        key = parser(text)
    except Exception as error:  # univers raises many types on bad input
        raise UnorderableVersion(f"{text!r} is not a {ordering} version") from error
    return Version(text, _ORDERED, key, ordering)


@functools.lru_cache(maxsize=262_144)
def parse_event_version(ordering: str, text: str) -> Version:
    """A version from an advisory: ``"0"`` is below all, unparseable is above all."""
    if text == "0":
        return ZERO
    try:
        return parse_version(ordering, text)
    except UnorderableVersion:
        return Version(text, _ABOVE_ALL, None, ordering)


def compare_versions(ordering: str, left: str, right: str) -> int:
    """-1, 0 or 1 for two version strings; raises `UnorderableVersion` for either."""
    return parse_version(ordering, left).compare(parse_version(ordering, right))
