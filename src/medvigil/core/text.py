"""Text that a database can store: PostgreSQL refuses the NUL character in text and JSON."""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["NUL", "not_utf8", "nul_path"]

NUL = "\x00"


def _entries(container: object) -> tuple[Iterator[tuple[object, object]], bool]:
    """(key or index, value) of a mapping or a sequence, and whether it is a sequence."""
    if isinstance(container, dict):
        return iter(container.items()), False
    if isinstance(container, list | tuple):
        return enumerate(container), True
    return iter(()), False


def nul_path(value: object, path: str = "$") -> str | None:
    """The path of the first string (key or value) holding a NUL character, or None.

    Walks depth first with one iterator per open container, so the memory it
    needs grows with the nesting depth, not with the number of values.
    """
    if isinstance(value, str):
        return path if NUL in value else None
    steps = [path]
    walking = [_entries(value)]
    while walking:
        entries, sequence = walking[-1]
        entry = next(entries, None)
        if entry is None:
            walking.pop()
            steps.pop()
            continue
        key, inner = entry
        if isinstance(key, str) and NUL in key:
            return "".join(steps)
        if isinstance(inner, str):
            if NUL in inner:
                return "".join(steps) + (f"[{key}]" if sequence else f".{key}")
        elif isinstance(inner, dict | list | tuple):
            steps.append(f"[{key}]" if sequence else f".{key}")
            walking.append(_entries(inner))
    return None


def not_utf8(error: UnicodeDecodeError) -> str:
    """Why the bytes are not text, as their author can act on it: where, and what to do.

    Python's own message ("'utf-8' codec can't decode byte 0xcd in position 12")
    names a codec and an offset; people know lines and how to save a file.
    """
    body = bytes(error.object)
    line = body.count(b"\n", 0, error.start) + 1
    column = error.start - (body.rfind(b"\n", 0, error.start) + 1) + 1
    byte = body[error.start : error.start + 1].hex()
    return (
        f"not UTF-8 text (byte 0x{byte} on line {line}, column {column} is not a UTF-8 "
        "character); save or export the file as UTF-8 and upload it again"
    )
