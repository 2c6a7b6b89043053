"""Maven's version order: a port of ComparableVersion (maven-artifact 3.8.x).

A version is lower-cased and cut into items: numbers, qualifiers (words) and
sub-lists. ``.`` separates items in the same list; ``-`` and every switch
between digits and letters open a new sub-list (``1.0-beta1`` →
``[1, [beta, [1]]]``). A word that ends the version, or is glued to a
following number, opens its own sub-list too, so ``.X`` reads as ``-X``
(``9.foo`` → ``[9, [foo]]``, while ``9.foo.1`` → ``[9, foo, 1]``).
Trailing "null" items (``0``, the empty qualifier that ``ga``/``final``/
``release`` stand for, empty lists) are removed from each list, so
``1.0.0`` == ``1`` and ``12-RELEASE`` == ``12``.

Qualifiers order alpha < beta < milestone < rc (= cr) < snapshot < "" <
sp < any other word (those lexically); a single ``a``/``b``/``m`` followed by
a digit means alpha/beta/milestone. Between item kinds: a number beats a
list, which beats a qualifier (``1.1 > 1-1 > 1-sp``). A missing item
compares as "null": a number against null is greater unless it is 0, a
qualifier against null compares with the release qualifier "".

univers' port differs from Maven on 19 reference pairs (tests/core/matching
/test_golden.py); this module is written from the specification and checked
against the golden file produced by Maven itself.
"""

from __future__ import annotations

from functools import total_ordering

# A parsed item: a number, a qualifier word, or a sub-list of items.
Item = int | str | tuple["Item", ...]

_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_SHORT = {"a": "alpha", "b": "beta", "m": "milestone"}
_RELEASE_RANK = str(_QUALIFIERS.index(""))


def parse_maven(text: str) -> tuple[Item, ...]:
    """The item list of a Maven version (any string parses, as in Maven)."""
    version = text.lower()
    root: list[Item] = []
    # Lists still open, innermost last; each is normalised once complete.
    stack: list[list[Item]] = [root]
    current = root
    start = 0
    digits = False
    for position, character in enumerate(version):
        if character in ".-":
            if position == start:
                current.append(0)
            else:
                current.append(_item(digits, version[start:position]))
            start = position + 1
            if character == "-":
                current = _open(current, stack)
        elif character.isdecimal():
            if not digits and position > start:
                current = _open_for_word(current, stack)
                current.append(_word(version[start:position], followed_by_digit=True))
                start = position
                current = _open(current, stack)
            digits = True
        else:
            if digits and position > start:
                current.append(_item(True, version[start:position]))
                start = position
                current = _open(current, stack)
            digits = False
    if len(version) > start:
        if not digits:
            current = _open_for_word(current, stack)
        current.append(_item(digits, version[start:]))
    return _freeze(root)


def _open(current: list[Item], stack: list[list[Item]]) -> list[Item]:
    child: list[Item] = []
    current.append(child)  # type: ignore[arg-type]  # frozen into a tuple by _freeze
    stack.append(child)
    return child


def _open_for_word(current: list[Item], stack: list[list[Item]]) -> list[Item]:
    # "Treat .X as -X": a word ending the version, or glued to a number after
    # it, starts its own sub-list unless it already opens one (1.0.0.X1 == 1.0.0-X1).
    return _open(current, stack) if current else current


def _item(digits: bool, text: str) -> Item:
    return int(text) if digits else _word(text, followed_by_digit=False)


def _word(text: str, *, followed_by_digit: bool) -> str:
    if followed_by_digit and len(text) == 1:
        text = _SHORT.get(text, text)
    return _ALIASES.get(text, text)


def _freeze(items: list[Item]) -> tuple[Item, ...]:
    # Inner lists first (Maven normalises its stack innermost first), then
    # drop null items from the end, looking past non-null lists but stopping
    # at the first non-null number or word.
    frozen = [_freeze(item) if isinstance(item, list) else item for item in items]
    for index in range(len(frozen) - 1, -1, -1):
        if _is_null(frozen[index]):
            del frozen[index]
        elif not isinstance(frozen[index], tuple):
            break
    return tuple(frozen)


def _is_null(item: Item) -> bool:
    if isinstance(item, int):
        return item == 0
    if isinstance(item, str):
        return _rank(item) == _RELEASE_RANK
    return len(item) == 0


def _rank(word: str) -> str:
    # Maven compares these ranks as strings: unknown words sort after "sp", lexically.
    if word in _QUALIFIERS:
        return str(_QUALIFIERS.index(word))
    return f"{len(_QUALIFIERS)}-{word}"


def _sign(left: str | int, right: str | int) -> int:
    return (left > right) - (left < right)  # type: ignore[operator]


def compare_items(left: Item | None, right: Item | None) -> int:
    """Maven's Item.compareTo, with None as the missing ("null") item; `left` is not None."""
    if isinstance(left, int):
        if right is None:
            return 0 if left == 0 else 1
        return _sign(left, right) if isinstance(right, int) else 1
    if isinstance(left, str):
        if right is None:
            return _sign(_rank(left), _RELEASE_RANK)
        if isinstance(right, str):
            return _sign(_rank(left), _rank(right))
        return -1
    assert left is not None
    if right is None:
        # The whole list against null, not only its first item (Maven MNG-6964).
        for item in left:
            result = compare_items(item, None)
            if result:
                return result
        return 0
    if isinstance(right, int):
        return -1
    if isinstance(right, str):
        return 1
    for index in range(max(len(left), len(right))):
        mine = left[index] if index < len(left) else None
        theirs = right[index] if index < len(right) else None
        if mine is None:
            result = 0 if theirs is None else -compare_items(theirs, None)
        else:
            result = compare_items(mine, theirs)
        if result:
            return result
    return 0


@total_ordering
class MavenKey:
    """A sort key ordering versions as Maven's ComparableVersion does."""

    __slots__ = ("items",)

    def __init__(self, text: str) -> None:
        self.items = parse_maven(text)

    def __lt__(self, other: MavenKey) -> bool:
        return compare_items(self.items, other.items) < 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MavenKey) and compare_items(self.items, other.items) == 0

    def __hash__(self) -> int:
        return hash(MavenKey)  # equal keys may differ in items (1.0 vs 1): no finer hash

    def __repr__(self) -> str:
        return f"MavenKey({self.items!r})"
