"""Demo: one published advisory in the CSAF provider directory.

The researcher's firmware-update case gets its affected version confirmed,
a CVE id recorded through a coordinator, an advisory written by "priya"
(product security), reviewed by "pascal" (PSIRT) and approved by the
administrator, each signing with the demo password, then published.
Idempotent: nothing is added once an advisory exists.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import Advisory, CveAssigner
from medvigil.disclosure.cases import demo as case_demo  # noqa: F401  (its cases are made first)
from medvigil.disclosure.cases import services
from medvigil.disclosure.cases.models import Case
from medvigil.platform.demo import DEMO_ADMINISTRATOR, demo_password, register_demo_step
from medvigil.portfolio.models import ProductVersion

DEMO_BASE_URL = "http://127.0.0.1:8000"
DEMO_CVE = "CVE-2026-40001"


@register_demo_step
def load_demo_advisory() -> list[str]:
    if Advisory.objects.exists():
        return [f"Advisories: {Advisory.objects.count()} already present."]
    users = get_user_model().objects
    author, reviewer = (
        users.filter(username="priya").first(),
        users.filter(username="pascal").first(),
    )
    approver = users.filter(username=DEMO_ADMINISTRATOR).first()
    case = Case.objects.filter(credit_name="Rosa Castillo").first()
    if author is None or reviewer is None or approver is None or case is None:
        return ["Advisories: skipped (demo people or the demo case are missing)."]
    product = case.product
    versions = (
        list(ProductVersion.objects.filter(product=product).order_by("pk")) if product else []
    )
    if len(versions) < 2:
        return ["Advisories: skipped (the demo product needs two versions)."]
    *affected, fixed = versions
    for version in affected:
        services.confirm_affected(case, user=reviewer, version=version, reason="Update service")
    advisory_services.record_cve(
        case,
        reviewer,
        advisory_services.CveData(
            cve_id=DEMO_CVE,
            assigner=CveAssigner.COORDINATOR,
            assigner_name="CISA",
            assigner_org_id="9119a7d8-5eab-497f-8521-727c672e3725",
            title=f"Unauthenticated firmware update in {product}",
            description=(
                f"The update service of {product} before {fixed.version} installs firmware "
                "images without checking their signature, so an attacker on the clinical "
                "network can run code on the pump controller."
            ),
            cwe_id="CWE-347",
            cvss_vector="CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        ),
    )
    advisory = advisory_services.create_advisory(
        case,
        author,
        advisory_services.AdvisoryData(
            title=f"{product}: unauthenticated firmware update",
            summary=(
                "Successful exploitation could let an attacker on the same network install "
                "modified firmware and change therapy settings."
            ),
            details="The update service does not verify the signature of firmware images.",
            fix_details="Firmware images are now signed and verified before installation.",
            mitigation="Place pumps on a segmented network and block the update port elsewhere.",
            acknowledgments="Rosa Castillo",
            fixed_version_ids=(fixed.pk,),
        ),
    )
    password, _ = demo_password(Path(settings.MEDVIGIL_HOME))
    advisory_services.review(advisory, reviewer, password)
    advisory_services.approve(advisory, approver, password)
    revision = advisory_services.publish(
        advisory,
        approver,
        advisory_selectors.locations(settings.DISCLOSURE_PUBLIC_URL or DEMO_BASE_URL, advisory),
    )
    return [
        f"Advisories: {advisory.tracking_id} published (revision {revision.number}) with "
        f"{DEMO_CVE}; see /advisories/ and /.well-known/csaf/provider-metadata.json."
    ]
