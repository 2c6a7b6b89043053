"""Native range strings of npm and PyPI, evaluated directly (no conversion to `vers`).

univers cannot parse npm ``^1.2.3-beta.2`` / ``~1.2.3-beta.2`` or PyPI ``~=`` /
``===``, and misjudges overlapping or empty ranges once converted to `vers`
(tools.md 1.1). Here each ``||`` alternative is a conjunction of comparators
checked against the version itself, so overlap and emptiness need no care.

Pre-releases: by default a version is judged by pure order (OSV style,
node-semver's ``includePrerelease: true``); ``include_prerelease=False``
gives node-semver's default, where a pre-release only satisfies a set that
names a pre-release of the same ``major.minor.patch``.
"""

from __future__ import annotations

import functools
import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion
from packaging.version import Version as PackagingVersion

from medvigil.core.matching.semver import SemverKey, npm_key


class InvalidRange(ValueError):
    """The range string is not valid in its ecosystem's native syntax."""


_PARTIAL = re.compile(
    r"^v?(?P<major>\d+|[xX*])(?:\.(?P<minor>\d+|[xX*]))?(?:\.(?P<patch>\d+|[xX*]))?"
    r"(?:-(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)

_OPERATOR = re.compile(r"<=|>=|<|>|=|~>|~|\^")

# A comparator: operator and bound key; a set: comparators that must all hold,
# plus the (major, minor, patch) tuples of its pre-release bounds.
Comparator = tuple[str, SemverKey]
ComparatorSet = tuple[tuple[Comparator, ...], frozenset[tuple[int, int, int]]]


def _wild(part: str | None) -> bool:
    return part is None or part in ("x", "X", "*")


def _key(major: int, minor: int, patch: int, pre: str | None = None) -> SemverKey:
    text = f"{major}.{minor}.{patch}" + (f"-{pre}" if pre else "")
    return npm_key(text)


def _lowest(major: int, minor: int, patch: int) -> SemverKey:
    # "-0" is the lowest pre-release of a version: the exclusive upper bound node-semver uses.
    return _key(major, minor, patch, "0")


def _desugar(operator: str, text: str, include_prerelease: bool) -> list[Comparator]:
    """One comparator as node-semver rewrites it (replaceTilde/Caret/XRange)."""
    match = _PARTIAL.match(text)
    if match is None:
        raise InvalidRange(text)
    major_text, minor_text, patch_text, pre = match.group("major", "minor", "patch", "pre")
    if _wild(major_text):
        if operator in ("", "=", ">=", "<=", "~", "~>", "^"):
            return []
        return [("<", _lowest(0, 0, 0))]
    major = int(major_text)
    minor = 0 if _wild(minor_text) else int(minor_text)
    patch = 0 if _wild(patch_text) else int(patch_text)
    exact = not _wild(minor_text) and not _wild(patch_text)
    # With includePrerelease, node-semver lowers partial lower bounds to "-0".
    low_partial = _key(major, minor, 0, "0") if include_prerelease else _key(major, minor, 0)
    low = _key(major, minor, patch, pre) if exact else low_partial
    next_up = (major + 1, 0, 0) if _wild(minor_text) else (major, minor + 1, 0)
    if operator in ("~", "~>"):
        low = _key(major, minor, patch, pre) if exact else _key(major, minor, 0)
        return [(">=", low), ("<", _lowest(*next_up))]
    if operator == "^":
        if major > 0 or _wild(minor_text):
            upper = (major + 1, 0, 0)
        elif minor > 0 or _wild(patch_text):
            upper = (0, minor + 1, 0)
        else:
            upper = (0, 0, patch + 1)
        return [(">=", low), ("<", _lowest(*upper))]
    if exact:
        if operator in ("", "="):
            return [(">=", low), ("<=", low)]
        return [(operator, low)]
    if operator in ("", "="):
        return [(">=", low), ("<", _lowest(*next_up))]
    if operator == ">":
        return [(">=", _key(*next_up, "0") if include_prerelease else _key(*next_up))]
    if operator == "<=":
        return [("<", _lowest(*next_up))]
    if operator == "<":
        return [("<", _lowest(major, minor, 0))]
    return [(">=", low)]  # ">=" with a partial version


def _hyphen(low: str, high: str, include_prerelease: bool) -> list[Comparator]:
    """node-semver's hyphenReplace: ``A - B``."""
    comparators: list[Comparator] = []
    low_match, high_match = _PARTIAL.match(low), _PARTIAL.match(high)
    if low_match is None or high_match is None:
        raise InvalidRange(f"{low} - {high}")
    if not _wild(low_match.group("major")):
        if _wild(low_match.group("minor")) or _wild(low_match.group("patch")):
            comparators += _desugar(">=", low, include_prerelease)
        elif low_match.group("pre") or not include_prerelease:
            comparators.append((">=", npm_key(low.split("+")[0])))
        else:
            comparators.append((">=", npm_key(low.split("+")[0].removeprefix("v") + "-0")))
    if not _wild(high_match.group("major")):
        complete = not _wild(high_match.group("minor")) and not _wild(high_match.group("patch"))
        if complete and include_prerelease and not high_match.group("pre"):
            major, minor, patch = (
                int(high_match.group(name)) for name in ("major", "minor", "patch")
            )
            comparators.append(("<", _lowest(major, minor, patch + 1)))
        else:
            comparators += _desugar("<=", high, include_prerelease)
    return comparators


@functools.lru_cache(maxsize=16_384)
def parse_npm_range(text: str, include_prerelease: bool = True) -> tuple[ComparatorSet, ...]:
    """node-semver's range grammar: ``||`` of space-separated comparators or hyphen ranges."""
    sets: list[ComparatorSet] = []
    for alternative in text.split("||"):
        alternative = alternative.strip()
        comparators: list[Comparator] = []
        hyphen = re.match(r"^(\S+)\s+-\s+(\S+)$", alternative)
        if hyphen:
            comparators = _hyphen(hyphen.group(1), hyphen.group(2), include_prerelease)
        else:
            tokens = re.sub(r"(<=|>=|<|>|=|~>|~|\^)\s+", r"\1", alternative).split()
            for token in tokens or ["*"]:
                operator = _OPERATOR.match(token)
                prefix = operator.group(0) if operator else ""
                comparators += _desugar(prefix, token[len(prefix) :], include_prerelease)
        # node-semver admits a pre-release only next to a bound that is a
        # pre-release of the same major.minor.patch.
        bases = frozenset(key[:3] for _operator, key in comparators if key[3] == 0)
        sets.append((tuple(comparators), bases))
    # node-semver: a set that is only "*" makes the whole range "*".
    for any_set in sets:
        if not any_set[0] and len(sets) > 1:
            return (any_set,)
    return tuple(sets)


def _holds(operator: str, version: SemverKey, bound: SemverKey) -> bool:
    if operator == "<":
        return version < bound
    if operator == "<=":
        return version <= bound
    if operator == ">":
        return version > bound
    if operator == ">=":
        return version >= bound
    return version == bound


def npm_range_contains(range_text: str, version: str, *, include_prerelease: bool = True) -> bool:
    """Whether `version` satisfies the npm range; raises `InvalidRange` or `InvalidSemver`."""
    key = npm_key(version)
    is_prerelease = key[3] == 0
    for comparators, prerelease_bases in parse_npm_range(range_text, include_prerelease):
        if not all(_holds(operator, key, bound) for operator, bound in comparators):
            continue
        if is_prerelease and not include_prerelease and key[:3] not in prerelease_bases:
            continue
        return True
    return False


def pypi_specifier_contains(
    specifier: str, version: str, *, include_prerelease: bool = True
) -> bool:
    """PEP 440 specifiers (``~=``, ``===``, ``==1.0.*`` included) with packaging's rules.

    PEP 440's own exclusions hold even with pre-releases included: ``<2.0``
    does not admit ``2.0rc1``, ``>1.0`` does not admit ``1.0.post1``.
    Raises `InvalidRange` for a bad specifier or version.
    """
    try:
        specifiers = SpecifierSet(specifier)
        parsed = PackagingVersion(version)
    except (InvalidSpecifier, InvalidVersion) as error:
        raise InvalidRange(str(error)) from error
    return specifiers.contains(parsed, prereleases=include_prerelease or None)
