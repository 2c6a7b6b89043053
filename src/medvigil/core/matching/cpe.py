"""CPE 2.3 names: parsing the formatted string and NISTIR 7696 attribute matching.

Values keep their formatted-string escapes (``\\:``, ``\\*``) and are lowercased;
an unescaped ``*`` alone is ANY, ``-`` is NA, and unescaped ``*``/``?`` at the
ends of a value are wildcards. A criterion matches a component when the
criterion is a superset of it, attribute by attribute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from enum import Enum
from urllib.parse import unquote

ANY = "*"
NOT_APPLICABLE = "-"


class InvalidCpe(ValueError):
    """The text is not a CPE 2.3 formatted string or a CPE 2.2 URI."""


@dataclass(frozen=True, slots=True)
class CpeName:
    """The eleven attributes of a CPE name, in formatted-string spelling."""

    part: str
    vendor: str
    product: str
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    def with_version(self, version: str) -> CpeName:
        values = [getattr(self, attribute.name) for attribute in fields(self)]
        values[3] = escape(version.lower())
        return CpeName(*values)

    @property
    def unescaped_vendor(self) -> str:
        return unescape(self.vendor)

    @property
    def unescaped_product(self) -> str:
        return unescape(self.product)


_UNESCAPED_COLON = re.compile(r"(?<!\\):")
_SPECIAL = re.compile(r"([^A-Za-z0-9._\-])")


def escape(value: str) -> str:
    """Backslash-quote what the formatted string reserves (anything but ``[A-Za-z0-9._-]``)."""
    return _SPECIAL.sub(r"\\\1", value)


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def parse_cpe(text: str) -> CpeName:
    """A CPE from its 2.3 formatted string, or from a 2.2 URI (converted)."""
    value = text.strip()
    if value.lower().startswith("cpe:2.3:"):
        parts = _UNESCAPED_COLON.split(value[8:])
        if len(parts) > 11 or len(parts) < 3 or any(not part for part in parts):
            raise InvalidCpe(f"{text!r}: a CPE 2.3 name has 11 non-empty attributes")
        if parts[0].lower() not in ("a", "o", "h", ANY):
            raise InvalidCpe(f"{text!r}: part must be a, o or h")
        parts += [ANY] * (11 - len(parts))
        return CpeName(*(_checked(part.lower(), text) for part in parts))
    if value.lower().startswith("cpe:/"):
        return _parse_uri(value, text)
    raise InvalidCpe(f"{text!r} does not start with cpe:2.3: or cpe:/")


def _checked(value: str, text: str) -> str:
    # Wildcards may only sit at the beginning or the end of a value.
    inner = re.sub(r"\\.", "", value)[1:-1]
    if "*" in inner or "?" in inner.strip("?"):
        raise InvalidCpe(f"{text!r}: wildcard inside {value!r}")
    if value.endswith("\\") and not value.endswith("\\\\"):
        raise InvalidCpe(f"{text!r}: dangling escape in {value!r}")
    return value


def _parse_uri(value: str, text: str) -> CpeName:
    parts = value[5:].split(":")
    if len(parts) > 7:
        raise InvalidCpe(f"{text!r}: a CPE 2.2 URI has at most 7 components")
    parts += [""] * (7 - len(parts))
    part, vendor, product, version, update, edition, language = parts
    extended = [edition, ANY, ANY, ANY, ANY]
    if edition.startswith("~"):
        # Packed edition: ~edition~sw_edition~target_sw~target_hw~other
        extended = (edition[1:].split("~") + [""] * 5)[:5]

    def convert(component: str) -> str:
        if component == "":
            return ANY
        if component == "-":
            return NOT_APPLICABLE
        return escape(unquote(component).lower())

    edition_value, sw_edition, target_sw, target_hw, other = (
        convert(item) if item != ANY else ANY for item in extended
    )
    return CpeName(
        convert(part),
        convert(vendor),
        convert(product),
        convert(version),
        convert(update),
        edition_value,
        convert(language),
        sw_edition,
        target_sw,
        target_hw,
        other,
    )


class Relation(Enum):
    EQUAL = "equal"
    SUPERSET = "superset"
    SUBSET = "subset"
    DISJOINT = "disjoint"
    UNDEFINED = "undefined"


def _has_wildcard(value: str) -> bool:
    return bool(re.search(r"(?<!\\)[*?]", value)) and value != ANY


def _pattern(value: str) -> re.Pattern[str]:
    pieces = []
    wildcards = {"*": ".*", "?": "."}
    for piece in re.findall(r"\\.|.", value):
        pieces.append(wildcards.get(piece) or re.escape(piece))
    return re.compile("".join(pieces))


def compare_attribute(source: str, target: str) -> Relation:
    """NISTIR 7696 table 6-2: the relation of a criterion value to a component value."""
    if _has_wildcard(target):
        return Relation.UNDEFINED  # a component must be concrete
    if source == target:
        return Relation.EQUAL
    if source == ANY:
        return Relation.SUPERSET
    if target == ANY:
        return Relation.SUBSET
    if NOT_APPLICABLE in (source, target):
        return Relation.DISJOINT
    if _has_wildcard(source) and _pattern(source).fullmatch(target):
        return Relation.SUPERSET
    return Relation.DISJOINT


def is_superset(criteria: CpeName, component: CpeName, *, skip_version: bool = False) -> bool:
    """Whether `criteria` names a set that contains `component` (every attribute ⊇)."""
    for attribute in fields(CpeName):
        if skip_version and attribute.name == "version":
            continue
        relation = compare_attribute(
            getattr(criteria, attribute.name), getattr(component, attribute.name)
        )
        if relation not in (Relation.EQUAL, Relation.SUPERSET):
            return False
    return True


def is_concrete_identity(name: CpeName) -> bool:
    """A usable name has a concrete vendor and product: never match on vendor or product alone."""
    return all(
        value not in (ANY, NOT_APPLICABLE) and not _has_wildcard(value)
        for value in (name.vendor, name.product)
    )
