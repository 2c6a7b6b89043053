"""FDA extras: a component's level of support and end-of-support date.

Neither CycloneDX nor SPDX 2 has a field for the level of support, and only
SPDX 2.3 has a slot close to an end-of-support date (``validUntilDate``), so
both travel as name/value properties. Property names are compared after
folding case and dropping ``-``, ``_`` and spaces, so ``levelOfSupport``,
``level-of-support`` and ``Level of support`` are one name. The accepted
names and values are listed in docs/sbom-formats.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from medvigil.core.sbom.model import LevelOfSupport

_FOLDED_SEPARATORS = re.compile(r"[-_\s]+")


def _fold(text: str) -> str:
    return _FOLDED_SEPARATORS.sub("", text).lower()


LEVEL_OF_SUPPORT_NAMES = frozenset(
    _fold(name)
    for name in (
        "medvigil:level-of-support",
        "medvigil:support-level",
        "fda:level-of-support",
        "fda:support-level",
        "level-of-support",
        "support-level",
    )
)
END_OF_SUPPORT_NAMES = frozenset(
    _fold(name)
    for name in (
        "medvigil:end-of-support",
        "fda:end-of-support",
        "end-of-support",
        "end-of-support-date",
        "cdx:lifecycle:milestone:endOfSupport",
    )
)

_SPELLINGS: tuple[tuple[LevelOfSupport, tuple[str, ...]], ...] = (
    (
        "actively maintained",
        ("actively maintained", "active", "active maintenance", "maintained", "supported"),
    ),
    (
        "no longer maintained",
        ("no longer maintained", "not maintained", "unmaintained", "end of life", "eol"),
    ),
    ("abandoned", ("abandoned",)),
    ("unknown", ("unknown", "noassertion")),
)
_LEVEL_SPELLINGS: dict[str, LevelOfSupport] = {
    _fold(spelling): level for level, spellings in _SPELLINGS for spelling in spellings
}


@dataclass(frozen=True, slots=True)
class Support:
    """What the properties say about support, with what could not be read."""

    level: LevelOfSupport | None = None
    end: date | None = None
    warnings: tuple[str, ...] = ()


def is_support_property(name: str) -> bool:
    """Whether a property name carries a level of support or an end of support."""
    folded = _fold(name)
    return folded in LEVEL_OF_SUPPORT_NAMES or folded in END_OF_SUPPORT_NAMES


def normalise_level_of_support(value: str) -> LevelOfSupport | None:
    """The controlled value for a spelling (``"EOL"`` → ``"no longer maintained"``)."""
    return _LEVEL_SPELLINGS.get(_fold(value))


def parse_end_of_support(value: str) -> date | None:
    """An ISO 8601 date, or the date part of an ISO 8601 timestamp; None otherwise."""
    text = value.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def read_support(
    properties: tuple[tuple[str, str], ...], valid_until: date | None = None
) -> Support:
    """Level and end of support from a component's properties.

    The first recognised property of each kind wins; a later different value
    is reported, as is a value that cannot be read. `valid_until` (SPDX
    ``validUntilDate``) is used when no property gives an end of support.
    """
    level: LevelOfSupport | None = None
    end: date | None = None
    warnings: list[str] = []
    for name, value in properties:
        folded = _fold(name)
        if folded in LEVEL_OF_SUPPORT_NAMES:
            read_level = normalise_level_of_support(value)
            if read_level is None:
                warnings.append(f"property {name!r}: unknown level of support {value!r}")
            elif level is None:
                level = read_level
            elif read_level != level:
                warnings.append(f"property {name!r}: second level of support {value!r} ignored")
        elif folded in END_OF_SUPPORT_NAMES:
            read_end = parse_end_of_support(value)
            if read_end is None:
                warnings.append(f"property {name!r}: end of support {value!r} is not a date")
            elif end is None:
                end = read_end
            elif read_end != end:
                warnings.append(f"property {name!r}: second end of support {value!r} ignored")
    if end is None:
        end = valid_until
    return Support(level, end, tuple(warnings))
