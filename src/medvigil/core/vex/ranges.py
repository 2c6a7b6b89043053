"""Is a version inside a VEX statement's version range?

Ranges come as VERS (``vers:semver/>=2.2.0|<=2.4.0``, purl-spec VERS) or,
in CSAF ``product_version_range`` branches, as bare constraints
(``<=1.14.0``). Constraints are sorted and read as the VERS specification
says: an equality matches itself, ``!=`` excludes, and each lower bound
pairs with the upper bound that follows it; an unpaired bound is open on
its other side. Versions are ordered with `core.matching.versions` (the
scheme's ordering when known, else the generic Maven-like order).
"""

from __future__ import annotations

from medvigil.core.matching import UnorderableVersion, Version, parse_version

# VERS scheme → the version ordering `parse_version` takes.
_SCHEMES = {
    "semver": "semver",
    "npm": "npm",
    "golang": "go",
    "pypi": "pypi",
    "maven": "maven",
    "nuget": "nuget",
    "gem": "rubygems",
    "composer": "packagist",
    "deb": "debian",
    "alpine": "alpine",
    "rpm": "rpm",
}
_COMPARATORS = (">=", "<=", "!=", ">", "<", "=")


def in_range(range_text: str, version_text: str) -> bool | None:
    """True or False when decidable; None when the range or version cannot be read."""
    text = range_text.strip()
    scheme = ""
    if text.startswith("vers:"):
        scheme, _, text = text[len("vers:") :].partition("/")
    ordering = _SCHEMES.get(scheme.lower(), "generic")
    if text.strip() == "*":
        return True
    try:
        version = parse_version(ordering, version_text)
        constraints = sorted(
            (_constraint(ordering, part) for part in text.split("|") if part.strip()),
            key=_sort_key,
        )
    except (UnorderableVersion, ValueError):
        return None
    if not constraints:
        return None
    if any(comparator == "!=" and version.compare(bound) == 0 for comparator, bound in constraints):
        return False
    if any(comparator == "=" and version.compare(bound) == 0 for comparator, bound in constraints):
        return True
    bounds = [
        (comparator, bound) for comparator, bound in constraints if comparator not in ("=", "!=")
    ]
    for index, (comparator, bound) in enumerate(bounds):
        if comparator.startswith(">"):
            following = bounds[index + 1] if index + 1 < len(bounds) else None
            if following is not None and following[0].startswith("<"):
                upper, limit = following
                if _holds(comparator, version, bound) and _holds(upper, version, limit):
                    return True
            elif _holds(comparator, version, bound):
                return True
        else:
            preceding = bounds[index - 1] if index > 0 else None
            if (preceding is None or preceding[0].startswith("<")) and _holds(
                comparator, version, bound
            ):
                return True
    return False


def _constraint(ordering: str, part: str) -> tuple[str, Version]:
    stripped = part.strip()
    for comparator in _COMPARATORS:
        if stripped.startswith(comparator):
            return comparator, parse_version(ordering, stripped[len(comparator) :].strip())
    return "=", parse_version(ordering, stripped)


def _sort_key(constraint: tuple[str, Version]) -> _Ordered:
    return _Ordered(constraint[1])


class _Ordered:
    __slots__ = ("version",)

    def __init__(self, version: Version) -> None:
        self.version = version

    def __lt__(self, other: _Ordered) -> bool:
        return self.version.compare(other.version) < 0


def _holds(comparator: str, version: Version, bound: Version) -> bool:
    order = version.compare(bound)
    return {
        ">=": order >= 0,
        ">": order > 0,
        "<=": order <= 0,
        "<": order < 0,
    }[comparator]
