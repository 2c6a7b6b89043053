"""Byte counts as people write them, for limits stated on forms and in refusals."""

from __future__ import annotations

KILOBYTE = 1024
MEGABYTE = 1024 * 1024


def size_text(size: int) -> str:
    """60 MB, 512 KB, 900 bytes (binary units, as the limits are set)."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.3g} MB"
    if size >= KILOBYTE:
        return f"{size / KILOBYTE:.3g} KB"
    return f"{size} bytes"
