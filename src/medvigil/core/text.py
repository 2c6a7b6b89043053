"""Text that a database can store: PostgreSQL refuses the NUL character in text and JSON."""

from __future__ import annotations

__all__ = ["NUL", "nul_path"]

NUL = "\x00"


def nul_path(value: object, path: str = "$") -> str | None:
    """The path of the first string (key or value) holding a NUL character, or None."""
    pending: list[tuple[object, str]] = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return where
        elif isinstance(item, dict):
            for key, inner in item.items():
                if isinstance(key, str) and NUL in key:
                    return where
                pending.append((inner, f"{where}.{key}"))
        elif isinstance(item, list | tuple):
            pending.extend((inner, f"{where}[{index}]") for index, inner in enumerate(item))
    return None
