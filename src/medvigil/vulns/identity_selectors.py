"""What the identity page and API read: CPE proposals, confirmations, product mappings.

A proposal is made for each component identity that matching cannot place
(no CPE, no package-ecosystem purl, not a distribution package) in a
version the user sees. The proposed CPE product comes from the component's
name, purl namespace and supplier; a pair that advisories already name is
preferred, and the count of those advisories is shown, so a person checks
rather than guesses. Nothing here matches anything: only a confirmation does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from medvigil.platform import permissions
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom.models import Component
from medvigil.vulns.identity_facts import identity_of
from medvigil.vulns.models import AffectedEntry, ComponentMatchKey, CpeConfirmation, ProductMapping

# Suppliers that name a build system or a placeholder, not the product's vendor.
NOT_VENDORS = {"openembedded", "yocto", "noassertion", "organization", "unknown", "none"}
SUFFIXES = {"inc", "ltd", "llc", "gmbh", "corp", "corporation", "foundation", "project", "co"}
LIMIT = 200  # proposals per page


@dataclass
class Proposal:
    component: Component
    identity: str
    supplier: str
    count: int
    vendor: str
    product: str
    advisories: int
    alternatives: list[tuple[str, str, int]] = field(default_factory=list)


def cpe_word(text: str) -> str:
    return re.sub(r"[^a-z0-9._\-~+]+", "_", text.strip().lower()).strip("_")


def candidate_pairs(name: str, supplier: str, namespace: str) -> list[tuple[str, str]]:
    """(vendor, product) pairs worth checking, most likely first."""
    product = cpe_word(name)
    vendors = [cpe_word(namespace)] if namespace else []
    words = [word for word in re.split(r"[\s,.()]+", supplier.lower()) if word]
    words = [word for word in words if word not in SUFFIXES and word not in NOT_VENDORS]
    if words:
        vendors += [cpe_word(words[0]), cpe_word("_".join(words))]
    vendors.append(product)
    return [(vendor, product) for vendor in dict.fromkeys(vendors) if vendor and product]


def known_counts(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not pairs:
        return {}
    rows = (
        AffectedEntry.objects.filter(
            kind="cpe",
            namespace__in={vendor for vendor, _ in pairs},
            name__in={product for _, product in pairs},
        )
        .values_list("namespace", "name")
        .annotate(total=Count("advisory_id", distinct=True))
    )
    return {(vendor, product): total for vendor, product, total in rows}


def unplaced_components(user: Any) -> QuerySet[Component]:
    """Components of visible versions that matching keyed as having no identity."""
    visible = permissions.visible(user, ProductVersion.objects.all())
    return unplaced_everywhere().filter(document__version__in=visible)


def unplaced_everywhere() -> QuerySet[Component]:
    """Every component that matching keyed as having no identity (the command line's view)."""
    unplaced = ComponentMatchKey.objects.filter(kind="none").values("component_id")
    return Component.objects.filter(cpe="", pk__in=unplaced)


def proposals(components: QuerySet[Component]) -> list[Proposal]:
    """Every proposal, page after page (the command line's view)."""
    found: list[Proposal] = []
    after = ""
    while True:
        page, after = proposal_page(components, after)
        found += page
        if not after:
            return found


def proposal_page(
    components: QuerySet[Component], after: str = "", limit: int | None = None
) -> tuple[list[Proposal], str]:
    """Up to `limit` proposals whose identity sorts after `after`, and the next page's `after`.

    Keyset paging on the identity: a page ends at the end of an identity (its
    suppliers' groups are never split across pages); "" when it is the last.
    """
    limit = limit or LIMIT
    confirmed = set(
        CpeConfirmation.objects.filter(withdrawn_at__isnull=True).values_list(
            "identity", "supplier"
        )
    )
    groups: dict[tuple[str, str], list[Component]] = {}
    rows = components.order_by("identity", "pk")
    if after:
        rows = rows.filter(identity__gt=after)
    last, following = "", ""
    for component in rows.iterator(chunk_size=2000):
        key = identity_of(component)
        if key in confirmed:
            continue
        if key not in groups and len(groups) >= limit and component.identity != last:
            following = last
            break
        groups.setdefault(key, []).append(component)
        last = component.identity
    return build_proposals(list(groups.items())), following


def build_proposals(chosen: list[tuple[tuple[str, str], list[Component]]]) -> list[Proposal]:
    pairs = {
        (key, tuple(candidate_pairs(items[0].name, items[0].supplier, _namespace(items[0]))))
        for key, items in chosen
    }
    counts = known_counts({pair for _key, found in pairs for pair in found})
    by_key = dict(pairs)
    found: list[Proposal] = []
    for key, items in chosen:
        ranked = sorted(by_key[key], key=lambda pair: -counts.get(pair, 0))
        vendor, product = ranked[0]
        found.append(
            Proposal(
                component=items[0],
                identity=key[0],
                supplier=key[1],
                count=len(items),
                vendor=vendor,
                product=product,
                advisories=counts.get((vendor, product), 0),
                alternatives=[(v, p, counts.get((v, p), 0)) for v, p in ranked[1:]],
            )
        )
    return found


def _namespace(component: Component) -> str:
    if not component.purl.startswith("pkg:"):
        return ""
    parts = component.purl.split("@", 1)[0].split("?", 1)[0][4:].split("/")
    return parts[1] if len(parts) > 2 else ""


def confirmations() -> QuerySet[CpeConfirmation]:
    return CpeConfirmation.objects.select_related("confirmed_by", "withdrawn_by").order_by(
        "withdrawn_at", "identity", "-confirmed_at"
    )


def mappings() -> QuerySet[ProductMapping]:
    return ProductMapping.objects.select_related("created_by", "withdrawn_by").order_by(
        "withdrawn_at", "vendor", "value", "-created_at"
    )
