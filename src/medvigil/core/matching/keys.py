"""The lookup keys of advisories and components: what `AdvisoryIndex` files them under.

A prebuilt feed index stores each advisory's keys beside it, so a scanner
decodes only the advisories an SBOM can reach (see core/scanning/index_file.py).
Keys are ``("package", ecosystem, normalised name)`` and
``("cpe", vendor, product)``.
"""

from __future__ import annotations

from medvigil.core.advisories import Advisory, CpeConfiguration
from medvigil.core.matching.cpe import InvalidCpe, is_concrete_identity, parse_cpe
from medvigil.core.matching.ecosystems import normalise_name, parse_ecosystem
from medvigil.core.matching.product_cpes import product_configurations
from medvigil.core.matching.purl_match import InvalidPurl, identity_from_purl

Key = tuple[str, str, str]


def configuration_keys(configuration: CpeConfiguration) -> set[tuple[str, str]]:
    """(vendor, product) of the vulnerable criteria with a concrete vendor and product."""
    keys = set()
    for _operator, _negate, matches in configuration.nodes:
        for match in matches:
            if not match.vulnerable:
                continue
            try:
                name = parse_cpe(match.criteria)
            except InvalidCpe:
                continue
            if is_concrete_identity(name):
                keys.add((name.unescaped_vendor, name.unescaped_product))
    return keys


def advisory_keys(advisory: Advisory) -> set[Key]:
    keys: set[Key] = set()
    for package in advisory.affected:
        reference = parse_ecosystem(package.ecosystem)
        keys.add(("package", reference.base, normalise_name(reference.base, package.name)))
    for configuration in (*advisory.cpe_configurations, *product_configurations(advisory)):
        keys.update(
            ("cpe", vendor, product) for vendor, product in configuration_keys(configuration)
        )
    return keys


def component_keys(purl: str | None, cpe: str | None) -> set[Key]:
    """Every key `AdvisoryIndex.match` may look up for this component (malformed ids: none)."""
    keys: set[Key] = set()
    if purl:
        try:
            identity = identity_from_purl(purl)
        except InvalidPurl:
            identity = None
        if identity is not None:
            keys.add(("package", *identity.key))
    if cpe:
        try:
            name = parse_cpe(cpe)
        except InvalidCpe:
            return keys
        keys.add(("cpe", name.unescaped_vendor, name.unescaped_product))
    return keys
