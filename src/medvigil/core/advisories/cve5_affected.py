"""CVE 5 ``affected[]`` products as `AffectedPackage` values.

A CVE 5 product is named either by a package registry (collectionURL +
packageName) or by vendor + product. Known registries give an OSV ecosystem
and a purl; anything else keeps vendor/product and CPEs for the matcher. The
published ``versions[]`` are always kept as `VersionStatus` values; OSV-style
ranges are derived only where the meaning is exactly the same.
"""

from __future__ import annotations

from typing import get_args

from packageurl import PackageURL

from medvigil.core.advisories.model import (
    AffectedPackage,
    AffectedRange,
    EventKind,
    RangeEvent,
    RangeType,
    VersionChange,
    VersionStatus,
    VersionStatusKind,
)
from medvigil.core.documents import Node

_STATUSES: tuple[VersionStatusKind, ...] = get_args(VersionStatusKind)

# collectionURL (scheme, "www." and trailing "/" removed) → (OSV ecosystem, purl type).
_REGISTRIES: dict[str, tuple[str, str]] = {
    "pypi.org": ("PyPI", "pypi"),
    "pypi.org/project": ("PyPI", "pypi"),
    "pypi.python.org": ("PyPI", "pypi"),
    "registry.npmjs.org": ("npm", "npm"),
    "npmjs.com": ("npm", "npm"),
    "repo.maven.apache.org/maven2": ("Maven", "maven"),
    "repo1.maven.org/maven2": ("Maven", "maven"),
    "crates.io": ("crates.io", "cargo"),
    "rubygems.org": ("RubyGems", "gem"),
    "packagist.org": ("Packagist", "composer"),
    "nuget.org": ("NuGet", "nuget"),
    "nuget.org/packages": ("NuGet", "nuget"),
    "pkg.go.dev": ("Go", "golang"),
    "proxy.golang.org": ("Go", "golang"),
    "hex.pm": ("Hex", "hex"),
    "repo.hex.pm": ("Hex", "hex"),
    "pub.dev": ("Pub", "pub"),
    "cran.r-project.org": ("CRAN", "cran"),
    "hackage.haskell.org": ("Hackage", "hackage"),
    "access.redhat.com/downloads/content/package-browser": ("Red Hat", "rpm"),
}
# Purl types whose names carry a namespace before the last "/" (or ":" for Maven).
_NAMESPACED = {"npm", "golang", "composer", "maven"}
# Bounds that carry no version: "n/a" in converted legacy records.
_NO_VERSION = {"", "n/a", "unspecified", "-"}


def read_cve_affected(node: Node) -> AffectedPackage:
    """One product of a CNA or ADP ``affected[]`` array."""
    vendor = node.optional_text("vendor")
    product = node.optional_text("product")
    package_name = node.optional_text("packageName")
    collection = node.optional_text("collectionURL")
    if not (product or package_name):
        raise node.error("a product needs vendor and product, or collectionURL and packageName")
    default_node = node.optional("defaultStatus")
    default_status = None if default_node is None else _status(default_node)
    statuses = tuple(_version_status(item) for item in node.array("versions"))
    if not statuses and default_status is None:
        raise node.error("a product needs versions or defaultStatus")
    repository = node.optional_text("repo")
    ranges, versions = _derived(statuses, default_status, repository)
    registry = _registry(collection) if collection and package_name else None
    name = package_name or product or ""
    return AffectedPackage(
        ecosystem="" if registry is None else registry[0],
        name=name,
        purl=None if registry is None else _purl(registry[1], name),
        ranges=ranges,
        versions=versions,
        vendor=vendor,
        cpes=tuple(cpe.strip() for cpe in node.text_array("cpes")),
        default_status=default_status,
        version_statuses=statuses,
    )


def _registry(collection: str) -> tuple[str, str] | None:
    key = collection.strip().lower().split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return _REGISTRIES.get(key)


def _purl(purl_type: str, name: str) -> str | None:
    namespace: str | None = None
    if purl_type == "maven":
        if ":" not in name:
            return None
        namespace, name = name.split(":", 1)
    elif purl_type in _NAMESPACED and "/" in name:
        namespace, name = name.rsplit("/", 1)
    elif purl_type == "rpm":
        namespace = "redhat"
    try:
        return str(PackageURL(type=purl_type, namespace=namespace, name=name).to_string())
    except ValueError:
        return None


def _status(node: Node) -> VersionStatusKind:
    text = node.text().strip()
    for status in _STATUSES:
        if text == status:
            return status
    raise node.error(f"status must be affected, unaffected or unknown, found {text!r}")


def _version_status(node: Node) -> VersionStatus:
    less_than = node.optional_text("lessThan")
    less_than_or_equal = node.optional_text("lessThanOrEqual")
    if less_than is not None and less_than_or_equal is not None:
        raise node.error("a version has lessThan or lessThanOrEqual, not both")
    changes = tuple(
        VersionChange(at=change.required_text("at").strip(), status=_status(change.field("status")))
        for change in node.array("changes")
    )
    return VersionStatus(
        version=node.required_text("version").strip(),
        status=_status(node.field("status")),
        version_type=node.optional_text("versionType"),
        # Real records carry stray spaces ("4.4.* "); they are never meaningful.
        less_than=None if less_than is None else less_than.strip(),
        less_than_or_equal=None if less_than_or_equal is None else less_than_or_equal.strip(),
        changes=changes,
    )


def _derived(
    statuses: tuple[VersionStatus, ...],
    default_status: VersionStatusKind | None,
    repository: str | None,
) -> tuple[tuple[AffectedRange, ...], tuple[str, ...]]:
    """OSV ranges and versions that say exactly what the affected entries say.

    When the default is "affected" the entries list exceptions, which OSV
    ranges cannot express: then nothing is derived and the matcher reads
    `version_statuses`. Entries with ``changes`` or a ``2.*`` bound are left
    out for the same reason.
    """
    if default_status == "affected":
        return (), ()
    ranges: list[AffectedRange] = []
    versions: list[str] = []
    for entry in statuses:
        if entry.status != "affected" or entry.changes:
            continue
        upper = entry.less_than if entry.less_than is not None else entry.less_than_or_equal
        if upper is None:
            if entry.version.lower() not in _NO_VERSION and entry.version not in {"0", "*"}:
                versions.append(entry.version)
            continue
        lower = "0" if entry.version.lower() in _NO_VERSION else entry.version
        if ("*" in upper and upper != "*") or "*" in lower:
            continue
        range_type = _range_type(entry.version_type, repository)
        if range_type is None:
            continue
        events = [RangeEvent("introduced", lower)]
        if upper != "*":
            kind: EventKind = "fixed" if entry.less_than is not None else "last_affected"
            events.append(RangeEvent(kind, upper))
        repository_for_range = repository if range_type == "GIT" else None
        ranges.append(AffectedRange(range_type, tuple(events), repository_for_range))
    return tuple(ranges), tuple(versions)


def _range_type(version_type: str | None, repository: str | None) -> RangeType | None:
    kind = (version_type or "").lower()
    if kind == "git":
        # Commit ranges need the repository to be evaluated at all.
        return "GIT" if repository else None
    if kind == "semver":
        return "SEMVER"
    return "ECOSYSTEM"
