"""OSV ecosystems: their version ordering, purl spelling and name rules.

An OSV ecosystem string is ``Name[:suffix]``; the suffix scopes a record to a
distribution release (``Debian:12``, ``Alpine:v3.20``, ``Ubuntu:22.04:LTS``)
or a repository (``Maven:https://maven.google.com``). Everything the matcher
needs to know about one ecosystem lives in its `Ecosystem` entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ordering names understood by `medvigil.core.matching.versions`.
SEMVER = "semver"
GO = "go"
NPM = "npm"
PUB = "pub"
PYPI = "pypi"
MAVEN = "maven"
NUGET = "nuget"
RUBYGEMS = "rubygems"
PACKAGIST = "packagist"
DEBIAN = "debian"
ALPINE = "alpine"
RPM = "rpm"
DOTTED_NUMBERS = "dotted-numbers"
GENERIC = "generic"


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """One OSV ecosystem.

    `ordering` is None when the ecosystem has no version ordering: such
    records match only by exact string against `versions[]`.
    `release_scoped` ecosystems carry a distribution release in their suffix
    and a component only matches records of its own release (or unscoped ones).
    """

    name: str
    ordering: str | None
    purl_type: str | None = None
    purl_namespace: str | None = None
    release_scoped: bool = False


_ECOSYSTEMS: tuple[Ecosystem, ...] = (
    Ecosystem("PyPI", PYPI, "pypi"),
    Ecosystem("npm", NPM, "npm"),
    Ecosystem("Go", GO, "golang"),
    Ecosystem("Maven", MAVEN, "maven"),
    Ecosystem("NuGet", NUGET, "nuget"),
    Ecosystem("RubyGems", RUBYGEMS, "gem"),
    Ecosystem("crates.io", SEMVER, "cargo"),
    Ecosystem("Packagist", PACKAGIST, "composer"),
    Ecosystem("Hex", SEMVER, "hex"),
    Ecosystem("Pub", PUB, "pub"),
    Ecosystem("SwiftURL", SEMVER, "swift"),
    Ecosystem("Julia", SEMVER, "julia"),
    Ecosystem("Bitnami", SEMVER, "bitnami"),
    Ecosystem("CRAN", DOTTED_NUMBERS, "cran"),
    Ecosystem("Bioconductor", DOTTED_NUMBERS, "bioconductor"),
    Ecosystem("Debian", DEBIAN, "deb", "debian", release_scoped=True),
    Ecosystem("Ubuntu", DEBIAN, "deb", "ubuntu", release_scoped=True),
    Ecosystem("Alpine", ALPINE, "apk", "alpine", release_scoped=True),
    Ecosystem("Alpaquita", ALPINE, "apk", "alpaquita", release_scoped=True),
    Ecosystem("Chainguard", ALPINE, "apk", "chainguard"),
    Ecosystem("Wolfi", ALPINE, "apk", "wolfi"),
    Ecosystem("MinimOS", ALPINE, "apk", "minimos"),
    Ecosystem("Red Hat", RPM, "rpm", "redhat", release_scoped=True),
    Ecosystem("AlmaLinux", RPM, "rpm", "almalinux", release_scoped=True),
    Ecosystem("Rocky Linux", RPM, "rpm", "rocky-linux", release_scoped=True),
    Ecosystem("openSUSE", RPM, "rpm", "opensuse", release_scoped=True),
    Ecosystem("SUSE", RPM, "rpm", "suse", release_scoped=True),
    Ecosystem("openEuler", RPM, "rpm", "openeuler", release_scoped=True),
    Ecosystem("Mageia", RPM, "rpm", "mageia", release_scoped=True),
    Ecosystem("Azure Linux", RPM, "rpm", "azure-linux", release_scoped=True),
    # No ordering: these match by exact string against versions[] only.
    Ecosystem("Hackage", None, "hackage"),
    Ecosystem("GHC", None),
    Ecosystem("ConanCenter", None, "conan"),
    Ecosystem("OSS-Fuzz", None),
    Ecosystem("GitHub Actions", None, "github"),
    Ecosystem("Android", None),
    Ecosystem("Linux", None),
    Ecosystem("Kubernetes", None),
    Ecosystem("Photon OS", None),
    Ecosystem("FreeBSD", None),
    Ecosystem("GIT", None),
)

ECOSYSTEMS: dict[str, Ecosystem] = {ecosystem.name: ecosystem for ecosystem in _ECOSYSTEMS}
_BY_PURL: dict[tuple[str, str | None], Ecosystem] = {
    (ecosystem.purl_type, ecosystem.purl_namespace): ecosystem
    for ecosystem in _ECOSYSTEMS
    if ecosystem.purl_type is not None
}

DEBIAN_CODENAMES: dict[str, str] = {
    "buzz": "1.1",
    "rex": "1.2",
    "bo": "1.3",
    "hamm": "2.0",
    "slink": "2.1",
    "potato": "2.2",
    "woody": "3.0",
    "sarge": "3.1",
    "etch": "4",
    "lenny": "5",
    "squeeze": "6",
    "wheezy": "7",
    "jessie": "8",
    "stretch": "9",
    "buster": "10",
    "bullseye": "11",
    "bookworm": "12",
    "trixie": "13",
    "forky": "14",
    "duke": "15",
}
UBUNTU_CODENAMES: dict[str, str] = {
    "trusty": "14.04",
    "xenial": "16.04",
    "bionic": "18.04",
    "cosmic": "18.10",
    "disco": "19.04",
    "eoan": "19.10",
    "focal": "20.04",
    "groovy": "20.10",
    "hirsute": "21.04",
    "impish": "21.10",
    "jammy": "22.04",
    "kinetic": "22.10",
    "lunar": "23.04",
    "mantic": "23.10",
    "noble": "24.04",
    "oracular": "24.10",
    "plucky": "25.04",
    "questing": "25.10",
}


@dataclass(frozen=True, slots=True)
class EcosystemReference:
    """An ecosystem string split into its registered ecosystem and suffix.

    `ecosystem` is None for a name this registry does not know; `release` is
    the normalised distribution release for release-scoped ecosystems
    (``"12"``, ``"22.04"``, ``"3.20"``, ``"8"``), else None.
    """

    text: str
    base: str
    suffix: str | None
    ecosystem: Ecosystem | None
    release: str | None


def parse_ecosystem(text: str) -> EcosystemReference:
    """Split ``"Debian:12"`` into base ``Debian`` and release ``12``."""
    base, separator, suffix = text.partition(":")
    ecosystem = ECOSYSTEMS.get(base)
    release = None
    if separator and ecosystem is not None and ecosystem.release_scoped:
        release = normalise_release(ecosystem.name, suffix)
    return EcosystemReference(text, base, suffix if separator else None, ecosystem, release)


def normalise_release(ecosystem_name: str, text: str) -> str | None:
    """The comparable release of a distribution from a suffix or a distro qualifier.

    Accepts OSV suffixes (``12``, ``v3.20``, ``Pro:18.04:LTS``, ``rhel_aus:8.4::appstream``)
    and purl ``distro`` values (``bookworm``, ``debian-12``, ``alpine-3.20.1``,
    ``esm-infra-legacy/trusty``, ``rhel-8``, ``el8``). None when it cannot tell.
    """
    value = text.strip().lower().rsplit("/", 1)[-1]
    if ecosystem_name in ("Debian", "Ubuntu"):
        codenames = DEBIAN_CODENAMES if ecosystem_name == "Debian" else UBUNTU_CODENAMES
        for part in re.split(r"[:\-\s]+", value):
            if part in codenames:
                return codenames[part]
        match = re.search(r"\d+(?:\.\d+)?", value)
        if match is None:
            return None
        number = match.group(0)
        # Debian point releases (12.5) belong to the major release 12.
        return number.split(".")[0] if ecosystem_name == "Debian" else number
    if ecosystem_name in ("Alpine", "Alpaquita"):
        if "edge" in value:
            return "edge"
        match = re.search(r"(\d+)\.(\d+)", value)
        return f"{match.group(1)}.{match.group(2)}" if match else None
    if ecosystem_name in ("SUSE", "openSUSE"):
        # SUSE suffixes are product names, not numbers a purl can state: unscoped.
        return None
    # RPM family: releases share a major number (el8, rhel-8, AlmaLinux:8, rhel_aus:8.4).
    match = re.search(r"(?:el|rhel|[:_\-]|^)(\d+)", value)
    return match.group(1) if match else None


def ecosystem_for_purl(purl_type: str, namespace: str | None) -> Ecosystem | None:
    """The OSV ecosystem of a purl type (and vendor namespace for distributions)."""
    purl_type = purl_type.lower()
    vendor = namespace.lower() if namespace else None
    found = _BY_PURL.get((purl_type, vendor))
    if found is None and purl_type not in ("deb", "rpm", "apk"):
        found = _BY_PURL.get((purl_type, None))
    return found


def normalise_name(ecosystem_name: str, name: str) -> str:
    """The name as the index keys it; names that differ only in spelling collide.

    PyPI: PEP 503. NuGet, Packagist, Hex, Pub and distribution packages:
    case-insensitive. Go module paths, Maven coordinates, npm names and crates
    stay case-sensitive, as their registries treat them.
    """
    if ecosystem_name == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem_name in ("NuGet", "Packagist", "Hex", "Pub", "CRAN"):
        return name.lower()
    ecosystem = ECOSYSTEMS.get(ecosystem_name)
    if ecosystem is not None and ecosystem.purl_type in ("deb", "apk"):
        return name.lower()
    return name


def release_compatible(record_release: str | None, component_release: str | None) -> bool:
    """Whether a record scoped to one release may apply to a component's release.

    An unscoped record applies to every release; a component whose release is
    unknown is matched against every release (the caller lowers confidence).
    """
    if record_release is None or component_release is None:
        return True
    return record_release == component_release
