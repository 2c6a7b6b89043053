"""How complete an SBOM is: NTIA minimum elements plus the FDA extras.

Per component (NTIA, "The Minimum Elements For a Software Bill of
Materials", 2021): supplier, name, version, a unique identifier (purl, CPE,
SWID tag or a hash) and a dependency relationship (the component appears in
the dependency graph, as a source or a target). Per document: the author of
the SBOM data and a timestamp. The FDA premarket guidance adds the level of
support and the end-of-support date of each component.

The primary component (the product itself) is judged with the others when
the format lists it separately (CycloneDX ``metadata.component``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from medvigil.core.sbom.model import Component, SbomDocument

ComponentElement = Literal[
    "supplier",
    "name",
    "version",
    "unique identifier",
    "dependency relationship",
    "level of support",
    "end of support",
]
NTIA_ELEMENTS: tuple[ComponentElement, ...] = (
    "supplier",
    "name",
    "version",
    "unique identifier",
    "dependency relationship",
)
FDA_ELEMENTS: tuple[ComponentElement, ...] = ("level of support", "end of support")


@dataclass(frozen=True, slots=True)
class ElementCoverage:
    """How many components carry one element, and which do not."""

    element: ComponentElement
    present: int
    total: int
    missing: tuple[str, ...]

    @property
    def percentage(self) -> float:
        """Share of components with the element, 0 to 100; 100 for no component at all."""
        return 100.0 if self.total == 0 else round(100.0 * self.present / self.total, 1)


@dataclass(frozen=True, slots=True)
class QualityReport:
    """The completeness of one SBOM; `missing` lists component references."""

    components: int
    has_author: bool
    has_timestamp: bool
    elements: tuple[ElementCoverage, ...]

    def coverage(self, element: ComponentElement) -> ElementCoverage:
        return next(coverage for coverage in self.elements if coverage.element == element)

    @property
    def meets_ntia_minimum(self) -> bool:
        """Author, timestamp and every NTIA element on every component."""
        return (
            self.has_author
            and self.has_timestamp
            and all(not self.coverage(element).missing for element in NTIA_ELEMENTS)
        )

    @property
    def meets_fda_extras(self) -> bool:
        return all(not self.coverage(element).missing for element in FDA_ELEMENTS)


def assess_quality(document: SbomDocument) -> QualityReport:
    """The NTIA minimum elements and FDA extras found in `document`."""
    components = list(document.components)
    primary = document.primary_component
    if primary is not None and all(item.reference != primary.reference for item in components):
        components.insert(0, primary)
    in_graph = {reference for reference, _ in document.dependencies} | {
        target for _, targets in document.dependencies for target in targets
    }
    checks: dict[ComponentElement, Callable[[Component], bool]] = {
        "supplier": lambda component: bool(component.supplier),
        "name": lambda component: bool(component.name.strip()),
        "version": lambda component: bool(component.version),
        "unique identifier": lambda component: bool(
            component.purl or component.cpe or component.swid_tag_id or component.hashes
        ),
        "dependency relationship": lambda component: component.reference in in_graph,
        "level of support": lambda component: component.level_of_support is not None,
        "end of support": lambda component: component.end_of_support is not None,
    }
    elements = tuple(
        _coverage(element, components, checks[element]) for element in NTIA_ELEMENTS + FDA_ELEMENTS
    )
    return QualityReport(
        components=len(components),
        has_author=bool(document.authors),
        has_timestamp=document.created is not None,
        elements=elements,
    )


def _coverage(
    element: ComponentElement, components: list[Component], check: Callable[[Component], bool]
) -> ElementCoverage:
    missing = tuple(component.reference for component in components if not check(component))
    return ElementCoverage(element, len(components) - len(missing), len(components), missing)
