"""Confirmed CPEs and product mappings: the services (the matcher reads them in `identity_facts`).

A component without a CPE and without a package-ecosystem purl (``pkg:generic``,
an SPDX package with a name only) cannot be matched until a person confirms
which CPE product it is. The confirmation is made once per component identity
and reused by every version and product; withdrawing it closes the findings it
produced, with the reason. A product mapping does the same for the products
CSAF (and CVE 5) advisories name only by vendor and name, model number, CPE
or purl: the advisories then produce candidate findings for review.

Each write is audited and re-matches the components of that identity.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from medvigil.audit.services import record
from medvigil.core.matching import DISTRIBUTION_ORDERINGS, InvalidPurl, identity_from_purl
from medvigil.platform.refusals import Kind, Refusal
from medvigil.sbom.models import Component
from medvigil.vulns.identity_facts import identity_of, mapping_key
from medvigil.vulns.matching import Matcher
from medvigil.vulns.models import ComponentMatchKey, CpeConfirmation, ProductMapping
from medvigil.vulns.records import fold

CPE_WORD = re.compile(r"^[a-z0-9][a-z0-9._\-~+]*$")
PARTS = ("a", "o", "h")


def components_of(identity: str, supplier: str) -> list[int]:
    rows = Component.objects.filter(identity=identity)
    if supplier:
        rows = rows.filter(purl="")
    ids = []
    for pk, purl, text in rows.values_list("pk", "purl", "supplier"):
        if ("" if purl else fold(text)[:300]) == supplier:
            ids.append(pk)
    return ids


def _word(value: str, label: str) -> str:
    value = value.strip().lower()
    if not CPE_WORD.match(value):
        message = f"The CPE {label} is one word of letters, digits and . _ - ~ + (e.g. openssl)."
        raise Refusal(message, errors={label: message})
    return value


def _note(note: str, label: str = "note") -> str:
    note = note.strip()
    if not note:
        message = "Say why: the note is what the next reader relies on."
        raise Refusal(message, errors={label: message})
    return note


def confirm_cpe(
    component: Component, user: Any, vendor: str, product: str, note: str, part: str = "a"
) -> CpeConfirmation:
    """Confirm that the component's identity is the CPE product vendor:product."""
    vendor, product, note = _word(vendor, "vendor"), _word(product, "product"), _note(note)
    if part not in PARTS:
        message = "The CPE part is a (application), o (operating system) or h (hardware)."
        raise Refusal(message, errors={"part": message})
    if component.cpe:
        raise Refusal(f"{component} already carries the CPE {component.cpe} from its SBOM.")
    if component.purl:
        try:
            package = identity_from_purl(component.purl)
        except InvalidPurl:
            package = None
        if package is not None and package.ecosystem.ordering in DISTRIBUTION_ORDERINGS:
            raise Refusal(
                "A distribution package is matched through its distribution's own data: "
                "upstream CPE ranges would ignore the distribution's backported fixes."
            )
    identity, supplier = identity_of(component)
    try:
        with transaction.atomic():
            confirmation = CpeConfirmation.objects.create(
                identity=identity,
                supplier=supplier,
                part=part,
                vendor=vendor,
                product=product,
                note=note,
                confirmed_by=user,
                confirmed_at=timezone.now(),
            )
            record(
                "vulns.cpe-confirmation.confirmed",
                confirmation,
                details={"identity": identity, "supplier": supplier, "cpe": confirmation.cpe},
            )
    except IntegrityError:
        raise Refusal(
            "This component identity already has a confirmed CPE: withdraw it first.",
            Kind.CONFLICT,
        ) from None
    _rematch(identity, supplier, f"confirmation {confirmation.pk}", {})
    return confirmation


def withdraw_confirmation(confirmation: CpeConfirmation, user: Any, reason: str) -> CpeConfirmation:
    """Withdraw a confirmation; the findings it produced are closed with `reason`."""
    reason = _note(reason, "reason")
    with transaction.atomic():
        current = CpeConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        if current.withdrawn_at is not None:
            raise Refusal("This confirmation is already withdrawn.", Kind.CONFLICT)
        current.withdrawn_at, current.withdrawn_by = timezone.now(), user
        current.withdraw_reason = reason
        current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        record("vulns.cpe-confirmation.withdrawn", current, details={"reason": reason})
    because = f"CPE confirmation withdrawn ({current.cpe} for {current.identity}): {reason}"
    _rematch(
        current.identity,
        current.supplier,
        f"withdrawal {current.pk}",
        {f"confirmation:{current.pk}": because},
    )
    return current


def map_product(
    component: Component, user: Any, kind: str, value: str, vendor: str, note: str
) -> ProductMapping:
    """Map a CSAF product designation to the component's identity."""
    note = _note(note)
    if kind not in ProductMapping.Kind.values:
        message = "The designation is a name, a model number, a CPE or a purl."
        raise Refusal(message, errors={"kind": message})
    folded = fold(value)
    if kind == ProductMapping.Kind.PURL:
        folded = folded.split("@", 1)[0]
    if not folded:
        message = "Give the product name, model number, CPE or purl as the advisory writes it."
        raise Refusal(message, errors={"value": message})
    vendor = fold(vendor)[:300]
    if kind in (ProductMapping.Kind.NAME, ProductMapping.Kind.MODEL) and not vendor:
        message = "A product name or model number is read with its vendor."
        raise Refusal(message, errors={"vendor": message})
    identity, supplier = identity_of(component)
    try:
        with transaction.atomic():
            mapping = ProductMapping.objects.create(
                kind=kind,
                vendor=vendor if kind in ("name", "model") else "",
                value=folded[:500],
                identity=identity,
                supplier=supplier,
                note=note,
                created_by=user,
                created_at=timezone.now(),
            )
            record(
                "vulns.product-mapping.created",
                mapping,
                details={"key": list(mapping_key(mapping)), "identity": identity},
            )
    except IntegrityError:
        raise Refusal("This designation already names this identity.", Kind.CONFLICT) from None
    _rematch(identity, supplier, f"product mapping {mapping.pk}", {})
    return mapping


def withdraw_mapping(mapping: ProductMapping, user: Any, reason: str) -> ProductMapping:
    reason = _note(reason, "reason")
    with transaction.atomic():
        current = ProductMapping.objects.select_for_update().get(pk=mapping.pk)
        if current.withdrawn_at is not None:
            raise Refusal("This product mapping is already withdrawn.", Kind.CONFLICT)
        current.withdrawn_at, current.withdrawn_by = timezone.now(), user
        current.withdraw_reason = reason
        current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
        record("vulns.product-mapping.withdrawn", current, details={"reason": reason})
    because = f"product mapping withdrawn ({current.value} → {current.identity}): {reason}"
    _rematch(
        current.identity,
        current.supplier,
        f"withdrawal of mapping {current.pk}",
        {f"mapping:{current.pk}": because},
    )
    return current


def _rematch(identity: str, supplier: str, scope: str, reasons: dict[str, str]) -> None:
    ids = components_of(identity, supplier)
    # The stored keys are recomputed: the next feed import must reach these components.
    ComponentMatchKey.objects.filter(component_id__in=ids).delete()
    matcher = Matcher(f"identity {scope}")
    matcher.withdrawn_reasons = reasons
    matcher.run(ids)
