"""The product tree: vendor, then product name, then version, each leaf one product id."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from packageurl import PackageURL

from medvigil.core.csaf.model import CsafBuildError, ProductVersion

# CSAF 2.0 test 6.1.31: these make a version name a range.
_RANGE_OPERATORS = ("<", ">")
_RANGE_WORDS = {"after", "all", "before", "earlier", "later", "prior", "versions"}
# The CPE 2.2 / 2.3 patterns of the CSAF 2.0 JSON schema (product_identification_helper.cpe).
_CPE = re.compile(
    r"^((cpe:2\.3:[aho\*\-](:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!\"#\$%&'\(\)\+,/:;<=>@\[\]\^`"
    r"\{\|\}~]))+(\?*|\*?))|[\*\-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-]))"
    r"(:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!\"#\$%&'\(\)\+,/:;<=>@\[\]\^`\{\|\}~]))+"
    r"(\?*|\*?))|[\*\-])){4})|([c][pP][eE]:/[AHOaho]?(:[A-Za-z0-9\._\-~%]*){0,6}))$"
)
_PURL = re.compile(r"^pkg:[A-Za-z\.\-\+][A-Za-z0-9\.\-\+]*/.+")
# The schema also requires a purl to be a URI (RFC 3986 characters, valid percent-escapes).
_URI = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$")


def is_version_range(version: str) -> bool:
    """True when CSAF requires the version under a ``product_version_range`` branch."""
    lowered = version.lower()
    if lowered.startswith("vers:") or any(operator in lowered for operator in _RANGE_OPERATORS):
        return True
    return any(word in _RANGE_WORDS for word in lowered.split())


@cache
def _weaknesses() -> dict[str, str]:
    # The MITRE CWE list as the official CSAF validator checks names against it (test 6.1.11).
    text = resources.files("medvigil.core.csaf").joinpath("cwe.json").read_text("utf-8")
    weaknesses: dict[str, str] = json.loads(text)
    return weaknesses


def cwe_name(cwe_id: str) -> str:
    """The CWE's official name; an unknown id is an error."""
    try:
        return _weaknesses()[cwe_id]
    except KeyError:
        raise CsafBuildError(f"{cwe_id!r} is not a CWE id of the CWE list") from None


def known_cwe_ids() -> tuple[str, ...]:
    return tuple(_weaknesses())


def check_product(product: ProductVersion) -> None:
    for field, value in (
        ("vendor", product.vendor),
        ("product", product.product),
        ("version", product.version),
    ):
        if not value.strip():
            raise CsafBuildError(f"a product's {field} must not be blank")
    if product.purl is not None:
        try:
            PackageURL.from_string(product.purl)
        except ValueError as error:
            raise CsafBuildError(f"{product.purl!r} is not a valid purl: {error}") from None
        if not _PURL.match(product.purl) or not _URI.match(product.purl):
            raise CsafBuildError(f"{product.purl!r} is not a valid purl")
    if product.cpe is not None and not _CPE.match(product.cpe):
        raise CsafBuildError(f"{product.cpe!r} is not a CPE 2.2 or 2.3 name")
    if any(not number.strip() for number in product.model_numbers):
        raise CsafBuildError("a model number must not be blank")


def product_tree(products: tuple[ProductVersion, ...]) -> dict[str, Any]:
    """Branches vendor → product_name → product_version(_range), sorted by name."""
    by_id: dict[str, ProductVersion] = {}
    for product in products:
        check_product(product)
        known = by_id.setdefault(product.product_id, product)
        if known != product:
            raise CsafBuildError(
                f"{product.full_name} is given twice with different identification helpers"
            )
    tree: dict[str, dict[str, list[ProductVersion]]] = {}
    for product in by_id.values():
        tree.setdefault(product.vendor, {}).setdefault(product.product, []).append(product)
    return {
        "branches": [
            {
                "category": "vendor",
                "name": vendor,
                "branches": [
                    {
                        "category": "product_name",
                        "name": name,
                        "branches": [
                            _leaf(version)
                            for version in sorted(versions, key=lambda item: item.version)
                        ],
                    }
                    for name, versions in sorted(tree[vendor].items())
                ],
            }
            for vendor in sorted(tree)
        ]
    }


def _leaf(product: ProductVersion) -> dict[str, Any]:
    full_name: dict[str, Any] = {"name": product.full_name, "product_id": product.product_id}
    helper: dict[str, Any] = {}
    if product.cpe is not None:
        helper["cpe"] = product.cpe
    if product.purl is not None:
        helper["purl"] = product.purl
    if product.model_numbers:
        helper["model_numbers"] = list(dict.fromkeys(product.model_numbers))
    if helper:
        full_name["product_identification_helper"] = helper
    category = "product_version_range" if is_version_range(product.version) else "product_version"
    return {"category": category, "name": product.version, "product": full_name}
