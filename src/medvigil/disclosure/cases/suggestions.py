"""Affected versions suggested from what the report mentions; a person confirms each.

A version is suggested when the report (title, description, steps, impact,
product and version fields) names its product (name or model number) or a
component of one of its SBOMs (by purl without version, or by a component
name of at least four characters standing as a whole word). Only products
and SBOMs the handler may see are searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.models import Case
from medvigil.platform import permissions
from medvigil.portfolio.models import Product, ProductVersion
from medvigil.sbom.models import Component

MINIMUM_NAME_LENGTH = 4
MAXIMUM_SUGGESTIONS = 200


@dataclass(frozen=True)
class Suggestion:
    version_id: int
    label: str
    reasons: tuple[str, ...]
    confirmed: bool


def mentioned(needle: str, haystack: str) -> bool:
    needle = needle.strip().lower()
    if len(needle) < MINIMUM_NAME_LENGTH:
        return False
    return re.search(rf"(?<![\w-]){re.escape(needle)}(?![\w-])", haystack) is not None


def report_text(target: Case) -> str:
    report = selectors.report(target)
    parts = [
        report.title,
        report.description,
        report.steps,
        report.impact,
        target.product_text,
        target.version_text,
    ]
    if target.product is not None:
        parts.append(target.product.name)
    return "\n".join(parts).lower()


def suggest(user: Any, target: Case) -> list[Suggestion]:
    text = report_text(target)
    reasons: dict[int, list[str]] = {}
    products = permissions.visible(user, Product.objects.all())
    for product in products.only("id", "name", "model_number"):
        if (
            mentioned(product.name, text)
            or mentioned(product.model_number, text)
            or (target.product_id == product.pk)
        ):
            versions = permissions.visible(user, ProductVersion.objects.filter(product=product))
            for version in versions:
                if target.version_text and target.version_text.strip() == version.version:
                    reasons.setdefault(version.pk, []).append(
                        f"names {product.name} {version.version}"
                    )
                else:
                    reasons.setdefault(version.pk, []).append(f"names product {product.name}")
    components = permissions.visible(user, Component.objects.all())
    for component_id, name, purl, version_id in components.values_list(
        "id", "name", "purl", "document__version_id"
    ).iterator():
        purl_base = purl.split("@", 1)[0].lower() if purl else ""
        if (purl_base and purl_base in text) or mentioned(name, text):
            reason = f"names component {purl_base or name}"
            found = reasons.setdefault(version_id, [])
            if reason not in found:
                found.append(reason)
        _ = component_id
    confirmed = set(target.affected_versions.values_list("version_id", flat=True))
    named = ProductVersion.objects.select_related("product").in_bulk(list(reasons))
    listed = [
        Suggestion(version_id, str(named[version_id]), tuple(found), version_id in confirmed)
        for version_id, found in reasons.items()
        if version_id in named
    ]
    listed.sort(key=lambda item: (-len(item.reasons), item.label))
    return listed[:MAXIMUM_SUGGESTIONS]
