"""Turning values read from any format into the model, with the same rules.

Both readers hand over plain strings; this module applies what must not
depend on the format: purl canonicalisation, hash spelling, the FDA support
properties, and the document-wide checks (duplicate references, dependencies
on unknown references, the component limit).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime

from medvigil.core.sbom.model import Component
from medvigil.core.sbom.purl import normalise_purl
from medvigil.core.sbom.support import read_support

# A document lists at most this many warnings; the rest are counted.
MAX_LISTED_WARNINGS = 200

_SHA_WITHOUT_HYPHEN = re.compile(r"^SHA(1|224|256|384|512)$")


def normalise_hash_algorithm(algorithm: str) -> str:
    """CycloneDX spelling for an algorithm name (SPDX ``SHA256`` → ``SHA-256``)."""
    upper = algorithm.strip().upper().replace("_", "-")
    match = _SHA_WITHOUT_HYPHEN.match(upper)
    if match:
        return f"SHA-{match.group(1)}"
    if upper.startswith("BLAKE2B"):
        return "BLAKE2b" + upper[len("BLAKE2B") :]
    return upper


def assemble_component(
    *,
    reference: str,
    name: str,
    type: str | None = None,
    version: str | None = None,
    group: str | None = None,
    supplier: str | None = None,
    purl: str | None = None,
    cpe: str | None = None,
    swid_tag_id: str | None = None,
    hashes: Iterable[tuple[str, str]] = (),
    licenses: Iterable[str] = (),
    properties: tuple[tuple[str, str], ...] = (),
    valid_until: date | None = None,
    warnings: Iterable[str] = (),
) -> Component:
    """A component with its purl normalised and its support properties read."""
    collected = list(warnings)
    canonical_purl = None
    if purl is not None and purl.strip():
        normalised = normalise_purl(purl)
        canonical_purl = normalised.canonical
        if normalised.warning:
            collected.append(normalised.warning)
    support = read_support(properties, valid_until)
    collected.extend(support.warnings)
    return Component(
        reference=reference,
        name=name,
        type=type,
        version=version,
        group=group,
        supplier=supplier,
        purl=canonical_purl,
        purl_original=purl,
        cpe=cpe,
        swid_tag_id=swid_tag_id,
        hashes=tuple(
            (normalise_hash_algorithm(algorithm), value.strip().lower())
            for algorithm, value in hashes
        ),
        licenses=tuple(dict.fromkeys(licenses)),
        properties=properties,
        level_of_support=support.level,
        end_of_support=support.end,
        warnings=tuple(collected),
    )


def document_warnings(
    components: tuple[Component, ...],
    dependencies: tuple[tuple[str, tuple[str, ...]], ...],
    known_references: Iterable[str],
    warnings: Iterable[str],
) -> tuple[str, ...]:
    """The document's own warnings plus those of its components, capped.

    `known_references` are references that dependencies may point to besides
    the components (the primary component, CycloneDX services).
    """
    collected = list(warnings)
    counts = Counter(component.reference for component in components)
    for reference, count in counts.items():
        if count > 1:
            collected.append(
                f"reference {reference!r} is used by {count} components: "
                "their dependencies cannot be told apart"
            )
    known = set(counts) | set(known_references)
    for reference, targets in dependencies:
        for unknown in [reference, *targets]:
            if unknown not in known:
                collected.append(f"dependency on unknown reference {unknown!r}")
                known.add(unknown)
    for component in components:
        collected.extend(
            f"component {component.reference!r}: {warning}" for warning in component.warnings
        )
    if len(collected) > MAX_LISTED_WARNINGS:
        hidden = len(collected) - MAX_LISTED_WARNINGS
        collected = [*collected[:MAX_LISTED_WARNINGS], f"... and {hidden} more warnings"]
    return tuple(collected)


def parse_timestamp(text: str, field: str) -> tuple[datetime | None, str | None]:
    """An aware timestamp; a timestamp without offset is taken as UTC, with a warning."""
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, f"{field}: {text!r} is not an ISO 8601 timestamp"
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC), f"{field}: {text!r} has no UTC offset, UTC assumed"
    return parsed, None
