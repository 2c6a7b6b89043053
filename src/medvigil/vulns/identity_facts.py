"""What the matcher reads from people's statements about components (see `identities`).

Kept apart from the services so that matching can read confirmations and
mappings without importing the services that call matching.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from medvigil.sbom.models import Component
from medvigil.vulns.models import CpeConfirmation, ProductMapping
from medvigil.vulns.records import CPE, NO_KEY, PRODUCT, Key, fold, product_keys


def identity_of(component: Component) -> tuple[str, str]:
    """(identity, folded supplier): the supplier counts only where there is no purl."""
    return component.identity, "" if component.purl else fold(component.supplier)[:300]


def mapping_key(mapping: ProductMapping) -> Key:
    if mapping.kind == ProductMapping.Kind.MODEL:
        return (PRODUCT, mapping.vendor, f"model:{mapping.value}"[:500])
    if mapping.kind in (ProductMapping.Kind.CPE, ProductMapping.Kind.PURL):
        return (PRODUCT, mapping.kind, mapping.value)
    return (PRODUCT, mapping.vendor, mapping.value)


@dataclass
class IdentityFacts:
    """What people said about one component: a confirmed CPE, mapped product keys."""

    cpe: str | None = None
    confirmation: int | None = None
    products: dict[Key, int] = field(default_factory=dict)


def facts_for(rows: list[tuple[int, str, str, str]]) -> dict[int, IdentityFacts]:
    """Per component (pk, identity, supplier, purl): its live confirmation and mappings."""
    keyed = {
        pk: (identity, "" if purl else fold(supplier)[:300])
        for pk, identity, supplier, purl in rows
    }
    identities = sorted({identity for identity, _supplier in keyed.values()})
    if not identities:
        return {}
    live = Q(identity__in=identities, withdrawn_at__isnull=True)
    confirmations = {
        (row.identity, row.supplier): row for row in CpeConfirmation.objects.filter(live)
    }
    mappings: dict[tuple[str, str], list[ProductMapping]] = {}
    for mapping in ProductMapping.objects.filter(live):
        mappings.setdefault((mapping.identity, mapping.supplier), []).append(mapping)
    facts: dict[int, IdentityFacts] = {}
    for pk, key in keyed.items():
        confirmation = confirmations.get(key)
        found = mappings.get(key, [])
        if confirmation is None and not found:
            continue
        facts[pk] = IdentityFacts(
            cpe=None if confirmation is None else confirmation.cpe,
            confirmation=None if confirmation is None else confirmation.pk,
            products={mapping_key(mapping): mapping.pk for mapping in found},
        )
    return facts


def keys_with_facts(keys: set[Key], facts: IdentityFacts | None, cpe_key: Key | None) -> set[Key]:
    """A component's lookup keys once confirmations and mappings are added."""
    if facts is None:
        return keys
    extra = set(facts.products)
    if cpe_key is not None and cpe_key[0] == CPE:
        extra.add(cpe_key)
    return (keys - {NO_KEY}) | extra if extra else keys


PRODUCT_MAPPING_RULE = "product_mapping"


def product_provenance(advisory: Any, key: Key, mapping_id: int) -> list[dict[str, Any]]:
    """Candidate entries for the products of `advisory` (a `StoredAdvisory`) under `key`."""
    entries = []
    for index, package in enumerate(advisory.engine.affected):
        if key not in product_keys(package):
            continue
        published = [*package.versions, *package.version_ranges] or ["no version given"]
        named = f"{package.vendor or ''} {package.name}".strip()
        entries.append(
            {
                "advisory": advisory.identifier,
                "source": advisory.source,
                "package": index,
                "method": "product",
                "rule": PRODUCT_MAPPING_RULE,
                "matched": f"{named} ({', '.join(published)})",
                "fixed": [],
                "confidence": "low",
                "explanation": (
                    f"the advisory names the product {named!r} only by name; product "
                    f"mapping {mapping_id} links it to this component: a candidate for review"
                ),
                "mapping": mapping_id,
            }
        )
    return entries
