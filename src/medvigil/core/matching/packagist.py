"""Packagist (Composer) version order: PHP's ``version_compare`` after Composer's padding.

univers maps Composer versions onto SemVer, which rejects common Packagist
spellings (``4.3alpha1``, ``1.2.3.4``, ``5.0-RC1``); this follows PHP itself.
"""

from __future__ import annotations

import functools
import re

# PHP's special forms; anything else ranks below `dev`. Matched by prefix, in this order.
_SPECIAL_FORMS: tuple[tuple[str, int], ...] = (
    ("dev", 0),
    ("alpha", 1),
    ("a", 1),
    ("beta", 2),
    ("b", 2),
    ("rc", 3),
    ("#", 4),
    ("pl", 5),
    ("p", 5),
)
_NUMBER_PLACEHOLDER = "#N#"


class InvalidPackagistVersion(ValueError):
    """The text has no version in it."""


def canonical_parts(text: str) -> tuple[str, ...]:
    """PHP's canonical form split on dots: ``4.3.2RC1`` → ``4, 3, 2, rc, 1``.

    Composer pads releases to four numbers, so ``1.0`` equals ``1.0.0``.
    """
    value = text.strip().lower()
    if value[:1] == "v" and value[1:2].isdigit():
        value = value[1:]
    if not value or not value[0].isalnum():
        raise InvalidPackagistVersion(text)
    value = re.sub(r"[-_+]", ".", value)
    value = re.sub(r"(?<=[^\d.])(?=\d)|(?<=\d)(?=[^\d.])", ".", value)
    parts = [part for part in re.split(r"[^0-9a-z]+", value) if part]
    numbers = 0
    while numbers < len(parts) and parts[numbers].isdigit():
        numbers += 1
    if numbers == 0:
        raise InvalidPackagistVersion(text)
    padding = ["0"] * max(0, 4 - numbers)
    return (*parts[:numbers], *padding, *parts[numbers:])


def _special_rank(part: str) -> int:
    for form, rank in _SPECIAL_FORMS:
        if part.startswith(form):
            return rank
    return -6


def _compare_part(left: str, right: str) -> int:
    if left.isdigit() and right.isdigit():
        return (int(left) > int(right)) - (int(left) < int(right))
    left_rank = _special_rank(_NUMBER_PLACEHOLDER if left.isdigit() else left)
    right_rank = _special_rank(_NUMBER_PLACEHOLDER if right.isdigit() else right)
    return (left_rank > right_rank) - (left_rank < right_rank)


def compare_parts(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    """PHP ``version_compare`` on canonical parts: -1, 0 or 1."""
    for left_part, right_part in zip(left, right, strict=False):
        result = _compare_part(left_part, right_part)
        if result:
            return result
    if len(left) == len(right):
        return 0
    # A longer version wins with a number, and a pre-release word makes it lower.
    if len(left) > len(right):
        extra = left[len(right)]
        return 1 if extra.isdigit() else _compare_part(extra, _NUMBER_PLACEHOLDER)
    extra = right[len(left)]
    return -1 if extra.isdigit() else _compare_part(_NUMBER_PLACEHOLDER, extra)


@functools.total_ordering
class PackagistKey:
    """A sort key wrapping canonical parts with PHP's comparison."""

    __slots__ = ("parts",)

    def __init__(self, text: str) -> None:
        self.parts = canonical_parts(text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PackagistKey) and compare_parts(self.parts, other.parts) == 0

    def __lt__(self, other: PackagistKey) -> bool:
        return compare_parts(self.parts, other.parts) < 0

    def __hash__(self) -> int:
        # Equal keys may spell a word differently (`a` = `alpha`): hash the ranks.
        return hash(
            tuple(int(part) if part.isdigit() else _special_rank(part) for part in self.parts)
        )
