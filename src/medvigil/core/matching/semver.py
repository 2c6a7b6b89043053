"""SemVer 2.0 precedence and its ecosystem dialects (npm, Go, Pub), as sort keys.

univers' `SemverVersion` makes ``1.2.2+build.4`` and ``1.2.2`` neither equal
nor ordered (tools.md 1.1), which breaks `versions[]` equality and sorting.
Here build metadata is dropped from the key, as semver.org §10 says, so the
two compare equal. Pub is the exception: pub_semver orders builds after the
bare version, so its key keeps them.
"""

from __future__ import annotations

import re
from typing import Any

# A sort key: tuples of ints and tagged identifiers, compared with plain `<`.
SemverKey = tuple[Any, ...]

_STRICT = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
# OSV's coercion for SEMVER ranges: missing minor/patch are 0, leading zeros dropped.
_LENIENT = re.compile(
    r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
_GO_SHORTHAND = re.compile(r"^(0|[1-9]\d*)(\.(0|[1-9]\d*))?$")


class InvalidSemver(ValueError):
    """The text is not a version in this SemVer dialect."""


def _identifiers(text: str | None) -> tuple[tuple[int, int | str], ...]:
    # Numeric identifiers sort below alphanumeric ones, and numerically (semver §11.4).
    if not text:
        return ()
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in text.split("."))


def _key(match: re.Match[str], *, keep_build: bool = False) -> SemverKey:
    major, minor, patch, prerelease, build = match.groups()
    release = (int(major), int(minor or 0), int(patch or 0))
    # A release sorts after all of its pre-releases: flag 1 beats flag 0.
    key: SemverKey = (*release, 0 if prerelease else 1, _identifiers(prerelease))
    if keep_build:
        key = (*key, 1 if build else 0, _identifiers(build))
    return key


def semver_key(text: str) -> SemverKey:
    """Strict SemVer 2.0 (crates.io, Hex): ``MAJOR.MINOR.PATCH[-pre][+build]``."""
    match = _STRICT.match(text.strip())
    if match is None:
        match = _LENIENT.match(text.strip().removeprefix("v"))
        if match is None:
            raise InvalidSemver(text)
    return _key(match)


def npm_key(text: str) -> SemverKey:
    """node-semver's strict parser: an optional leading ``v`` or ``=`` is allowed."""
    stripped = text.strip().lstrip("=v")
    match = _STRICT.match(stripped)
    if match is None:
        raise InvalidSemver(text)
    return _key(match)


def go_key(text: str) -> SemverKey:
    """Go module versions, with or without ``v`` (OSV drops it), or ``go1.21`` for stdlib.

    Pseudo-versions are ordinary pre-releases and ``+incompatible`` is build
    metadata, so both order exactly as golang.org/x/mod/semver orders them.
    """
    stripped = text.strip()
    if stripped.startswith("go"):
        stripped = stripped[2:]
    stripped = stripped.removeprefix("v")
    match = _STRICT.match(stripped)
    if match is None and _GO_SHORTHAND.match(stripped):
        # x/mod accepts the shorthands v1 and v1.2 (= v1.0.0, v1.2.0), nothing looser.
        match = _LENIENT.match(stripped)
    if match is None:
        raise InvalidSemver(text)
    return _key(match)


def pub_key(text: str) -> SemverKey:
    """Dart's pub_semver: like SemVer, but ``1.0.0+1`` sorts after ``1.0.0``."""
    match = _STRICT.match(text.strip())
    if match is None:
        raise InvalidSemver(text)
    return _key(match, keep_build=True)
