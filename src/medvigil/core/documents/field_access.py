"""Typed access to decoded JSON/YAML that names the path of a wrong field.

Every reader walks its document through `Node`, so a bad field is reported as
``file: $.affected[2].ranges[0].type: ...`` instead of a KeyError. The path is
built only when an error is raised, which keeps reading fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

from packageurl import PackageURL

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,19}$")
CWE_ID = re.compile(r"^CWE-[0-9]{1,6}$")


class DocumentFormatError(ValueError):
    """A document does not have the structure its format requires.

    The message names the file (when known) and the JSON path of the field.
    """

    def __init__(self, message: str, *, source: str | None = None, path: str = "") -> None:
        self.source = source
        self.path = path
        where = ": ".join(part for part in (source, path) if part)
        super().__init__(f"{where}: {message}" if where else message)


class Node:
    """A value inside a decoded document, with the way to reach it."""

    __slots__ = ("_key", "_parent", "source", "value")

    def __init__(
        self,
        value: object,
        source: str | None,
        parent: Node | None = None,
        key: str | int | None = None,
    ) -> None:
        self.value = value
        self.source = source
        self._parent = parent
        self._key = key

    @property
    def path(self) -> str:
        parts: list[str] = []
        node: Node | None = self
        while node is not None and node._parent is not None:
            key = node._key
            if isinstance(key, int):
                parts.append(f"[{key}]")
            elif key is not None and _IDENTIFIER.match(key):
                parts.append(f".{key}")
            else:
                parts.append(f"[{json.dumps(key)}]")
            node = node._parent
        return "$" + "".join(reversed(parts))

    def error(self, message: str) -> DocumentFormatError:
        return DocumentFormatError(message, source=self.source, path=self.path)

    # --- containers -------------------------------------------------------

    def _mapping(self) -> dict[str, object]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected an object, found {_kind(self.value)}")
        return self.value

    def has(self, key: str) -> bool:
        """True when the key is present with a non-null value."""
        return self._mapping().get(key) is not None

    def field(self, key: str) -> Node:
        """A required member."""
        value = self._mapping().get(key)
        if value is None:
            raise Node(None, self.source, self, key).error("required field is missing")
        return Node(value, self.source, self, key)

    def optional(self, key: str) -> Node | None:
        """A member that may be absent or null."""
        value = self._mapping().get(key)
        if value is None:
            return None
        return Node(value, self.source, self, key)

    def keys(self) -> tuple[str, ...]:
        return tuple(self._mapping())

    def items(self) -> Iterator[Node]:
        """The elements of an array."""
        if not isinstance(self.value, list):
            raise self.error(f"expected an array, found {_kind(self.value)}")
        for index, value in enumerate(self.value):
            yield Node(value, self.source, self, index)

    def array(self, key: str) -> Iterator[Node]:
        """The elements of an optional array member (none when absent)."""
        member = self.optional(key)
        return iter(()) if member is None else member.items()

    # --- scalars ----------------------------------------------------------

    def text(self) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected a string, found {_kind(self.value)}")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected true or false, found {_kind(self.value)}")
        return self.value

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.error(f"expected a number, found {_kind(self.value)}")
        return float(self.value)

    def timestamp(self) -> datetime:
        return parse_timestamp(self)

    def day(self) -> date:
        text = self.text().strip()
        try:
            if len(text) != 10:
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise self.error(f"expected a date YYYY-MM-DD, found {text!r}") from None

    # --- shortcuts for members --------------------------------------------

    def required_text(self, key: str) -> str:
        return self.field(key).text()

    def optional_text(self, key: str, default: str | None = None) -> str | None:
        member = self.optional(key)
        return default if member is None else member.text()

    def text_array(self, key: str) -> tuple[str, ...]:
        return tuple(item.text() for item in self.array(key))

    def optional_timestamp(self, key: str) -> datetime | None:
        member = self.optional(key)
        return None if member is None else member.timestamp()


def parse_timestamp(node: Node) -> datetime:
    """An aware UTC datetime from the RFC 3339 variants found in real feeds.

    Feeds differ: NVD omits the zone (it means UTC), NVD 1.1 omits seconds,
    KEV and CISA use 4 to 7 fractional digits, YAML may already give a datetime.
    """
    value = node.value
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) < 10 or not text[:4].isdigit():
            raise node.error(f"expected a timestamp, found {value!r}")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise node.error(f"expected a timestamp, found {value!r}") from None
    else:
        raise node.error(f"expected a timestamp, found {_kind(value)}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise node.error(f"timestamp out of range: {value!r}") from None


def decode_json(data: bytes | str, source: str | None) -> object:
    """Decode JSON, turning every decoding failure into DocumentFormatError."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:
        raise DocumentFormatError(f"not valid JSON: {error}", source=source) from None


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def versionless_purl(node: Node) -> str:
    """The purl as published, without a version (the model's purls name packages)."""
    text = node.text().strip()
    try:
        parsed = PackageURL.from_string(text)
    except ValueError as error:
        raise node.error(f"not a valid purl: {error}") from None
    if parsed.version is None:
        return text
    without_version = PackageURL(
        type=parsed.type,
        namespace=parsed.namespace,
        name=parsed.name,
        qualifiers=parsed.qualifiers,
        subpath=parsed.subpath,
    )
    return str(without_version.to_string())
