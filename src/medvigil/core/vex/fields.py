"""Field readers shared by the VEX readers, on top of `core.documents`.

`Node` raises `DocumentFormatError`; `reading_errors` turns it into
`VexFormatError` at each reader's boundary, keeping file and path.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from medvigil.core.documents import DocumentFormatError, Node
from medvigil.core.sbom import normalise_purl
from medvigil.core.vex.model import VexFormatError


@contextmanager
def reading_errors(source: str) -> Iterator[None]:
    try:
        yield
    except DocumentFormatError as error:
        message = str(error)
        where = ": ".join(part for part in (error.source, error.path) if part)
        if where and message.startswith(where + ": "):
            message = message[len(where) + 2 :]
        raise VexFormatError(message, source=source, path=error.path) from None
    except RecursionError:
        raise VexFormatError("the document nests too deeply", source=source) from None


def choice(node: Node, allowed: Collection[str]) -> str:
    text = node.text()
    if text not in allowed:
        raise node.error(f"must be one of {', '.join(sorted(allowed))}, found {text!r}")
    return text


def canonical_purl(node: Node) -> str:
    """The canonical spelling of a purl field; a malformed purl is an error."""
    normalised = normalise_purl(node.text())
    if normalised.canonical is None:
        raise node.error(normalised.warning or "not a valid purl")
    return normalised.canonical


def optional_text(node: Node, key: str) -> str | None:
    """A text member, None when absent or blank."""
    text = node.optional_text(key)
    return text.strip() or None if text is not None else None


def document_version(node: Node | None) -> str | None:
    """A document's version number as text; it must be a positive integer."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise node.error(f"expected a positive integer version, found {value!r}")
    return str(value)
