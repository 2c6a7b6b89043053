"""Builders for advisory tests and the matrix: people, a case, a published advisory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import Advisory, AdvisoryRevision, CveAssigner
from medvigil.disclosure.cases import services
from medvigil.disclosure.intake import services as intake
from medvigil.platform.roles import Role
from tests import factories

BASE_URL = "http://testserver"
CNA_ORGANIZATION = "9119a7d8-5eab-497f-8521-727c672e3725"


@dataclass
class AdvisoryWorld:
    author: Any
    reviewer: Any
    approver: Any
    case: Any
    affected: Any
    fixed: Any


def people_and_case(label: str = "lvp") -> AdvisoryWorld:
    team = factories.team(f"{label} team")
    author = factories.user(
        username=f"{label}-priya", roles={Role.PRODUCT_SECURITY.value}, teams=[team]
    )
    reviewer = factories.user(username=f"{label}-pascal", roles={Role.PSIRT.value}, teams=[team])
    approver = factories.user(username=f"{label}-paula", roles={Role.PSIRT.value}, teams=[team])
    product = factories.product(
        owner=team, name=f"{label.upper()} infusion pump", model_number=f"{label}-300"
    )
    affected = factories.version(product, label="3.1.0", phase="deployed")
    fixed = factories.version(product, label="3.2.0", phase="deployed")
    receipt = intake.submit_report(
        intake.ReportData(title="Firmware update unsigned", description="Images are not verified."),
        reporter_user=None,
        address=f"advisory-{label}",
    )
    services.confirm_affected(
        receipt.case, user=reviewer, version=affected, reason="update service"
    )
    return AdvisoryWorld(author, reviewer, approver, receipt.case, affected, fixed)


def cve_data(cve_id: str = "CVE-2026-40001") -> advisory_services.CveData:
    return advisory_services.CveData(
        cve_id=cve_id,
        assigner=CveAssigner.OWN_CNA,
        assigner_name="Lumen",
        assigner_org_id=CNA_ORGANIZATION,
        title="Unauthenticated firmware update in the LVP-300 infusion pump",
        description="The update service installs firmware images without checking a signature.",
        cwe_id="CWE-347",
        cvss_vector="CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    )


def advisory_data(world: AdvisoryWorld, **changes: Any) -> advisory_services.AdvisoryData:
    values: dict[str, Any] = {
        "title": "LVP-300 infusion pump: unauthenticated firmware update",
        "summary": "An attacker on the clinical network could install modified firmware.",
        "details": "The update service does not verify the signature of images.",
        "fix_details": "Images are signed and verified.",
        "mitigation": "Segment the pump network.",
        "acknowledgments": "Ada Researcher",
        "fixed_version_ids": (world.fixed.pk,),
        **changes,
    }
    return advisory_services.AdvisoryData(**values)


def publish_signed(world: AdvisoryWorld, advisory: Advisory) -> AdvisoryRevision:
    advisory_services.review(advisory, world.reviewer, factories.PASSWORD)
    advisory_services.approve(advisory, world.approver, factories.PASSWORD)
    return advisory_services.publish(
        advisory, world.approver, advisory_selectors.locations(BASE_URL, advisory)
    )


def published_advisory(label: str = "lvp") -> tuple[AdvisoryWorld, Advisory, AdvisoryRevision]:
    world = people_and_case(label)
    advisory_services.record_cve(world.case, world.reviewer, cve_data())
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    return world, advisory, publish_signed(world, advisory)


def matrix_values() -> dict[str, str]:
    """A published TLP:WHITE advisory for the authorization matrix's worlds."""
    _, advisory, revision = published_advisory("matrix-advisory")
    return {
        "advisory_id": str(advisory.pk),
        "tracking_id": advisory.tracking_id,
        "year": str(revision.year),
        "filename": revision.filename,
        "cve_id": "CVE-2026-40001",
    }
