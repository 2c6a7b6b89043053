"""Package URL normalisation: one canonical spelling per package.

packageurl-python already lowercases the type, sorts qualifiers, drops empty
ones, encodes the npm scope (``%40angular``) and applies the type rules of
the purl specification (PyPI ``_`` to ``-``, lowercase names for the types
that are case-insensitive). On top of it, PyPI names are folded as PEP 503
does (``.`` and runs of separators become ``-``) because vulnerability
databases key PyPI packages that way, so ``zope.interface`` and
``zope-interface`` meet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packageurl import PackageURL

# Types whose purl definition requires a namespace (vendor, group, scope).
_NAMESPACE_REQUIRED = frozenset({"maven", "deb", "rpm", "apk", "composer", "golang"})
_PEP_503_SEPARATORS = re.compile(r"[-_.]+")


@dataclass(frozen=True, slots=True)
class NormalisedPurl:
    """The outcome of normalising one purl: `canonical` is None when invalid."""

    original: str
    canonical: str | None
    warning: str | None = None


def normalise_purl(text: str) -> NormalisedPurl:
    """Return the canonical purl for `text`, or a warning saying why it is invalid."""
    stripped = text.strip()
    try:
        parsed = PackageURL.from_string(stripped)
    except ValueError as error:
        return NormalisedPurl(text, None, f"invalid purl {text!r}: {error}")
    name = parsed.name
    if parsed.type == "pypi":
        name = _PEP_503_SEPARATORS.sub("-", name).lower()
    try:
        canonical = PackageURL(
            type=parsed.type,
            namespace=parsed.namespace,
            name=name,
            version=parsed.version,
            qualifiers=parsed.qualifiers,
            subpath=parsed.subpath,
        ).to_string()
    except ValueError as error:
        return NormalisedPurl(text, None, f"invalid purl {text!r}: {error}")
    warning = None
    if parsed.type in _NAMESPACE_REQUIRED and not parsed.namespace:
        warning = f"purl {text!r}: type {parsed.type!r} requires a namespace"
    return NormalisedPurl(text, canonical, warning)


def purl_identity(canonical: str) -> str:
    """The package a canonical purl names, without version, qualifiers or subpath.

    Two components with the same identity are the same package at possibly
    different versions; `diff` pairs components this way.
    """
    # A canonical purl is what packageurl-python writes: "@", "?" and "#" appear
    # only as separators (percent-encoded elsewhere), so cutting the text gives
    # what re-parsing would, without its cost on large SBOMs.
    if canonical.startswith("pkg:"):
        base = canonical.split("#", 1)[0].split("?", 1)[0]
        slash = base.rfind("/")
        at = base.find("@", slash + 1)
        return base if at < 0 else base[:at]
    parsed = PackageURL.from_string(canonical)
    return PackageURL(type=parsed.type, namespace=parsed.namespace, name=parsed.name).to_string()
