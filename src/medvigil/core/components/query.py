"""The component search language: a name, a purl or a CPE, then version constraints.

    openssl                       every component named openssl (any case)
    openssl<3.0.8                 … below 3.0.8
    openssl >=1.1, <3.0.8         … within both bounds
    pkg:npm/lodash                every version of one package (purl without version)
    pkg:npm/lodash@4.17.20        exactly that version
    pkg:npm/lodash <4.17.21       a purl, a space, then constraints
    cpe:2.3:a:openssl:openssl:*   a CPE's vendor and product (a version in it is exact)

Operators are ``<``, ``<=``, ``>``, ``>=``, ``==`` (or ``=``) and ``!=``;
several constraints, separated by commas, must all hold. Versions compare in
the order of the component's own ecosystem, read from its purl (Debian, npm,
PyPI, Maven …); a component without one is compared in the generic order.
A component whose version its order cannot place never satisfies a constraint.
A CPE query compares the version in the component's CPE when it has one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from medvigil.core.matching import (
    CpeName,
    InvalidCpe,
    InvalidPurl,
    UnorderableVersion,
    identity_from_purl,
    parse_cpe,
    parse_version,
)
from medvigil.core.sbom import normalise_purl, purl_identity

MAXIMUM_QUERY_LENGTH = 1000
MAXIMUM_VERSION_LENGTH = 256
GENERIC_ORDERING = "generic"
OPERATORS = ("<=", ">=", "==", "!=", "<", ">", "=")
_CONSTRAINT = re.compile(r"\s*(<=|>=|==|!=|<|>|=)\s*([^\s,<>=!]+)\s*")
# Where a name ends and its constraints begin.
_OPERATOR_START = re.compile(r"[<>=!]")


class InvalidQuery(ValueError):
    """A query the language cannot read; `message` says what is wrong in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QueryKind(StrEnum):
    NAME = "name"
    PURL = "purl"
    CPE = "cpe"


@dataclass(frozen=True, slots=True)
class Constraint:
    operator: str
    version: str

    def __str__(self) -> str:
        return f"{self.operator}{self.version}"

    def holds(self, ordering: str, version: str) -> bool:
        """Whether `version` satisfies this constraint in `ordering`."""
        if self.operator == "==" and version == self.version:
            return True
        try:
            sign = parse_version(ordering, version).compare(parse_version(ordering, self.version))
        except UnorderableVersion:
            return False
        return {
            "<": sign < 0,
            "<=": sign <= 0,
            ">": sign > 0,
            ">=": sign >= 0,
            "==": sign == 0,
            "!=": sign != 0,
        }[self.operator]


MINIMUM_PREFIX = 2  # characters before a name's *: "o*" would read much of the portfolio


@dataclass(frozen=True, slots=True)
class ComponentQuery:
    """A parsed query.

    `key` is what the database is searched by: the lowercased name (NAME),
    the purl without version, qualifiers or subpath (PURL), or ``vendor:product``
    (CPE). `cpe` is set for CPE queries only. `prefix` (a name or purl ending
    in ``*``): `key` is the start of the names or purls wanted.
    """

    text: str
    kind: QueryKind
    key: str
    constraints: tuple[Constraint, ...] = ()
    cpe: CpeName | None = None
    prefix: bool = False

    @property
    def constrained(self) -> bool:
        return bool(self.constraints)

    def accepts(self, version: str, purl: str = "", cpe: str = "") -> bool:
        """Whether a component found by `key` matches the whole query."""
        if self.cpe is not None:
            found = _parsed_cpe(cpe)
            if found is None or (found.vendor, found.product) != (
                self.cpe.vendor,
                self.cpe.product,
            ):
                return False
            if self.cpe.part not in ("*", found.part):
                return False
            # A CPE query compares the CPE's own version when it states one.
            if found.version not in ("*", "-"):
                version = found.unescaped_version
        if not self.constraints:
            return True
        if not version:
            return False
        ordering = component_ordering(purl)
        return all(constraint.holds(ordering, version) for constraint in self.constraints)

    def describe(self) -> str:
        """The query in its canonical spelling."""
        constraints = ", ".join(str(constraint) for constraint in self.constraints)
        target = f"cpe {self.key}" if self.kind is QueryKind.CPE else self.key
        return f"{target}{'*' if self.prefix else ''} {constraints}".strip()


@functools.lru_cache(maxsize=65_536)
def _parsed_cpe(text: str) -> _FoundCpe | None:
    # Cached: a portfolio repeats the same few CPEs across many components.
    if not text:
        return None
    try:
        name = parse_cpe(text)
    except InvalidCpe:
        return None
    return _FoundCpe(name.part, name.vendor, name.product, name.version)


@dataclass(frozen=True, slots=True)
class _FoundCpe:
    part: str
    vendor: str
    product: str
    version: str

    @property
    def unescaped_version(self) -> str:
        return re.sub(r"\\(.)", r"\1", self.version)


def component_ordering(purl: str) -> str:
    """The version ordering of a component: its purl's ecosystem, else generic."""
    if not purl:
        return GENERIC_ORDERING
    try:
        identity = identity_from_purl(purl)
    except InvalidPurl:
        return GENERIC_ORDERING
    if identity is None or identity.ecosystem.ordering is None:
        return GENERIC_ORDERING
    return identity.ecosystem.ordering


def parse_component_query(text: str) -> ComponentQuery:
    """Read a query; raises `InvalidQuery` with a message a person can act on."""
    if len(text) > MAXIMUM_QUERY_LENGTH:
        raise InvalidQuery(f"A query has at most {MAXIMUM_QUERY_LENGTH} characters.")
    if any(ord(character) < 32 and character not in "\t" for character in text):
        raise InvalidQuery("A query is one line of text, without control characters.")
    stripped = text.strip()
    if not stripped:
        raise InvalidQuery("Type a component name, a purl or a CPE, e.g. openssl<3.0.8.")
    lowered = stripped.lower()
    if lowered.startswith("pkg:"):
        return _purl_query(stripped)
    if lowered.startswith("cpe:"):
        return _cpe_query(stripped)
    return _name_query(stripped)


def _name_query(text: str) -> ComponentQuery:
    start = _OPERATOR_START.search(text)
    name = (text if start is None else text[: start.start()]).strip()
    if not name:
        raise InvalidQuery("A query starts with a component name, a purl or a CPE.")
    if "," in name:
        raise InvalidQuery("Commas separate version constraints; a name has none.")
    prefix = name.endswith("*")
    name = name.removesuffix("*")
    if "*" in name:
        raise InvalidQuery("A * may only end a name (openssl* finds names starting so).")
    if prefix and len(name) < MINIMUM_PREFIX:
        raise InvalidQuery(f"Give at least {MINIMUM_PREFIX} characters before the *.")
    constraints = _constraints("" if start is None else text[start.start() :])
    return ComponentQuery(text, QueryKind.NAME, name.lower(), constraints, prefix=prefix)


def _split_constraints(text: str) -> tuple[str, str]:
    """A purl or CPE, then everything after its first whitespace."""
    parts = text.split(None, 1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _purl_query(text: str) -> ComponentQuery:
    purl_text, rest = _split_constraints(text)
    if purl_text.endswith("*"):
        return _purl_prefix_query(text, purl_text.removesuffix("*"), rest)
    if "*" in purl_text:
        raise InvalidQuery("A * may only end a purl (pkg:npm/@babel/* finds that namespace).")
    normalised = normalise_purl(purl_text)
    if normalised.canonical is None:
        raise InvalidQuery(f"{purl_text!r} is not a package URL (pkg:type/namespace/name).")
    identity = purl_identity(normalised.canonical)
    constraints = _constraints(rest)
    version = _purl_version(normalised.canonical)
    if version:
        if constraints:
            raise InvalidQuery(
                "A purl with a version (@…) names one version; drop it to add constraints."
            )
        constraints = (Constraint("==", version),)
    return ComponentQuery(text, QueryKind.PURL, identity, constraints)


def _purl_prefix_query(text: str, start: str, rest: str) -> ComponentQuery:
    """`pkg:type/…*`: every purl starting so, normalised as a whole purl would be."""
    # An @ right after a / opens an npm scope; anywhere else it starts a version.
    if "*" in start or "?" in start or "#" in start or re.search(r"[^/]@", start):
        raise InvalidQuery(
            "A purl ending in * names a type, namespace or name start, without @, ? or #."
        )
    # Normalised with a stand-in last letter, so type rules (PEP 503, encoded @) apply.
    normalised = normalise_purl(start + "x")
    if normalised.canonical is None or not normalised.canonical.endswith("x"):
        raise InvalidQuery(f"{start + '*'!r} does not start a package URL (pkg:type/…).")
    key = purl_identity(normalised.canonical).removesuffix("x")
    if not key.startswith("pkg:") or "/" not in key:
        raise InvalidQuery(f"{start + '*'!r} does not start a package URL (pkg:type/…).")
    return ComponentQuery(text, QueryKind.PURL, key, _constraints(rest), prefix=True)


def _purl_version(canonical: str) -> str:
    base = canonical.split("#", 1)[0].split("?", 1)[0]
    slash = base.rfind("/")
    at = base.find("@", slash + 1)
    if at < 0:
        return ""
    # The canonical purl percent-encodes a version; constraints compare decoded text.
    return re.sub(r"%([0-9A-Fa-f]{2})", lambda match: chr(int(match.group(1), 16)), base[at + 1 :])


def _cpe_query(text: str) -> ComponentQuery:
    cpe_text, rest = _split_constraints(text)
    try:
        name = parse_cpe(cpe_text)
    except InvalidCpe as error:
        raise InvalidQuery(
            f"{cpe_text!r} is not a CPE "
            "(cpe:2.3:part:vendor:product:… or cpe:/part:vendor:product)."
        ) from error
    if name.vendor in ("*", "-", "") or name.product in ("*", "-", ""):
        raise InvalidQuery("A CPE query names a vendor and a product, without wildcards.")
    if any(character in name.vendor + name.product for character in "*?"):
        raise InvalidQuery("A CPE query names a vendor and a product, without wildcards.")
    constraints = _constraints(rest)
    if name.version not in ("*", "-"):
        if constraints:
            raise InvalidQuery(
                "A CPE with a version names one version; use * there to add constraints."
            )
        constraints = (Constraint("==", re.sub(r"\\(.)", r"\1", name.version)),)
    key = f"{name.vendor}:{name.product}"
    return ComponentQuery(text, QueryKind.CPE, key, constraints, name)


def _constraints(text: str) -> tuple[Constraint, ...]:
    if not text.strip():
        return ()
    constraints = []
    for part in text.split(","):
        match = _CONSTRAINT.fullmatch(part)
        if match is None:
            raise InvalidQuery(
                f"{part.strip()!r} is not a version constraint: use an operator "
                "(<, <=, >, >=, ==, !=) and a version, e.g. <3.0.8."
            )
        operator, version = match.groups()
        if len(version) > MAXIMUM_VERSION_LENGTH:
            raise InvalidQuery(f"A version has at most {MAXIMUM_VERSION_LENGTH} characters.")
        constraints.append(Constraint("==" if operator == "=" else operator, version))
    return tuple(constraints)
