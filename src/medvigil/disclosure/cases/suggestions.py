"""Affected versions suggested from what the report mentions; a person confirms each.

A version is suggested when the report (title, description, steps, impact,
product and version fields) names its product (name or model number) or a
component of one of its SBOMs (by purl without version, or by a component
name of at least four characters standing as a whole word). Only products
and SBOMs the handler may see are searched.

The suggestions cost what the case holds, not what the portfolio holds: the
names and purls the text could mention are drawn from the text once (every
stretch of up to `MAXIMUM_NAME_LENGTH` characters between word boundaries,
and every `pkg:` identity), then looked up through the component indexes on
`LOWER(name)` and `identity` (purl without version). A portfolio of a million
components costs the same few queries as one of a hundred.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from django.db.models.functions import Lower

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.models import Case
from medvigil.platform import permissions
from medvigil.portfolio.models import Product, ProductVersion
from medvigil.sbom.models import Component

MINIMUM_NAME_LENGTH = 4
MAXIMUM_NAME_LENGTH = 80
# Spaces inside one name ("Microsoft Visual C++ Redistributable" has three).
MAXIMUM_NAME_SPACES = 4
MAXIMUM_SUGGESTIONS = 200
# Names per lookup query: well under the bound-parameter limits of SQLite and PostgreSQL.
NAMES_PER_QUERY = 5000
# Component instances read for one case: a name common to every version still fits.
MAXIMUM_COMPONENTS = 20000
WORD = re.compile(r"[\w-]")
PURL = re.compile(r"pkg:[^\s@?#<>\"']+")
PURL_TRAILING = ".,;:!)]}"


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
    return raw_report_text(target).lower()


def raw_report_text(target: Case) -> str:
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
    return "\n".join(parts)


def candidate_names(text: str) -> set[str]:
    """Every stretch of `text` that `mentioned` could find: whole words, 4 to 80 characters."""
    size = len(text)
    spaces = [index for index, character in enumerate(text) if character.isspace()]
    starts = [
        index
        for index in range(size)
        if not text[index].isspace() and (index == 0 or not WORD.match(text[index - 1]))
    ]
    ends = [
        index
        for index in range(1, size + 1)
        if not text[index - 1].isspace() and (index == size or not WORD.match(text[index]))
    ]
    found: set[str] = set()
    for start in starts:
        following = bisect_left(spaces, start) + MAXIMUM_NAME_SPACES
        limit = spaces[following] if following < len(spaces) else size
        first = bisect_left(ends, start + MINIMUM_NAME_LENGTH)
        last = bisect_right(ends, min(start + MAXIMUM_NAME_LENGTH, limit))
        found.update(text[start:end] for end in ends[first:last])
    return found


def candidate_identities(text: str) -> set[str]:
    """Package identities (purls without version, qualifiers or subpath) written in `text`."""
    return {match.rstrip(PURL_TRAILING) for match in PURL.findall(text)}


def mentioned_components(user: Any, raw_text: str, text: str) -> list[tuple[str, str, int]]:
    """(name, identity, version id) of the visible components the text names, through indexes.

    Once per version: a package nested a hundred times in each version is one row each.
    """
    names = sorted(candidate_names(text))
    identities = candidate_identities(raw_text) | candidate_identities(text)
    components = permissions.visible(user, Component.objects.all()).order_by()
    found: list[tuple[str, str, int]] = []
    lookups: list[Any] = [
        components.alias(folded=Lower("name")).filter(
            folded__in=names[start : start + NAMES_PER_QUERY]
        )
        for start in range(0, len(names), NAMES_PER_QUERY)
    ]
    if identities:
        lookups.append(components.filter(identity__in=sorted(identities)))
    for rows in lookups:
        room = MAXIMUM_COMPONENTS - len(found)
        if room <= 0:
            break
        found.extend(rows.values_list("name", "identity", "document__version_id").distinct()[:room])
    return found


def suggest(user: Any, target: Case) -> list[Suggestion]:
    raw_text = raw_report_text(target)
    text = raw_text.lower()
    reasons: dict[int, list[str]] = {}
    products = permissions.visible(user, Product.objects.all())
    named_products = [
        product.pk
        for product in products.only("id", "name", "model_number")
        if mentioned(product.name, text)
        or mentioned(product.model_number, text)
        or target.product_id == product.pk
    ]
    versions = permissions.visible(
        user, ProductVersion.objects.filter(product_id__in=named_products)
    ).select_related("product")
    for version in versions:
        product = version.product
        if target.version_text and target.version_text.strip() == version.version:
            reasons.setdefault(version.pk, []).append(f"names {product.name} {version.version}")
        else:
            reasons.setdefault(version.pk, []).append(f"names product {product.name}")
    named_in_text: dict[tuple[str, str], bool] = {}
    for name, identity, version_id in mentioned_components(user, raw_text, text):
        purl_base = identity.lower() if identity.startswith("pkg:") else ""
        if (name, purl_base) not in named_in_text:
            named_in_text[name, purl_base] = bool(purl_base and purl_base in text) or mentioned(
                name, text
            )
        if named_in_text[name, purl_base]:
            reason = f"names component {purl_base or name}"
            found = reasons.setdefault(version_id, [])
            if reason not in found:
                found.append(reason)
    confirmed = set(target.affected_versions.values_list("version_id", flat=True))
    named = ProductVersion.objects.select_related("product").in_bulk(list(reasons))
    listed = [
        Suggestion(version_id, str(named[version_id]), tuple(found), version_id in confirmed)
        for version_id, found in reasons.items()
        if version_id in named
    ]
    listed.sort(key=lambda item: (-len(item.reasons), item.label))
    return listed[:MAXIMUM_SUGGESTIONS]
