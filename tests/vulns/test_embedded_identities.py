"""Embedded components end to end: NVD CPE ranges, confirmed CPEs, CSAF product mappings.

Real data: the demo NVD 2.0 excerpt (openssl, zlib, busybox), the Red Hat
openssl SBOM and the Yocto-shaped firmware SBOM of the demo pump, and CISA's
ICSMA CSAF advisories from ../shared/data, which name products by name only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from medvigil.audit.models import AuditEvent
from medvigil.platform.refusals import Refusal
from medvigil.sbom.models import Component
from medvigil.vulns import identities, matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.conftest import REPOSITORY

pytestmark = pytest.mark.django_db
DEMO_SBOMS = REPOSITORY / "src/medvigil/sbom/demo_data"
OPENSSL_3_0_7 = {"CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286"}


def findings(version: Any, state: str = "open") -> set[tuple[str, str]]:
    return {
        (finding.vulnerability.canonical_id, finding.component_name)
        for finding in Finding.objects.filter(version=version, state=state).select_related(
            "vulnerability"
        )
    }


def pump(name: str) -> Any:
    version = factories.sbom_version(version="3.1.0")
    factories.sbom_document(version, DEMO_SBOMS / name, role="firmware")
    factories.feed_import(factories.demo_feed_folder())
    matching.match_version(version)
    return version


def editor() -> Any:
    return factories.user(roles=["product-security"])


def test_the_upstream_openssl_of_the_firmware_shows_its_real_nvd_findings() -> None:
    version = pump("lvp-300-firmware.spdx.json")
    assert findings(version) == {
        *(("CVE-2022-48174", "busybox"),),
        *((cve, "openssl") for cve in OPENSSL_3_0_7),
    }
    finding = Finding.objects.get(version=version, vulnerability__canonical_id="CVE-2023-0286")
    assert finding.method == "cpe"
    assert finding.provenance[0]["explanation"].startswith(
        "CPE cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* (>= 3.0.0, < 3.0.8)"
    )


def test_the_red_hat_openssl_rpm_raises_no_upstream_alarm() -> None:
    # Red Hat backports the fixes into 3.0.7-18.el9_2: NVD's upstream ranges do not apply.
    version = pump("lvp-300-openssl.spdx.json")
    assert {cve for cve, _name in findings(version)} & OPENSSL_3_0_7 == set()
    assert findings(version, "candidate") == set()


def test_a_confirmed_cpe_matches_every_version_of_the_identity_and_withdrawal_closes() -> None:
    version = pump("lvp-300-firmware.spdx.json")
    other = factories.sbom_version(version="3.2.0")
    factories.sbom_document(other, DEMO_SBOMS / "lvp-300-firmware.spdx.json", role="firmware")
    matching.match_version(other)
    zlib = Component.objects.filter(document__version=version, name="zlib").get()
    assert zlib.purl == "pkg:generic/zlib@1.2.12"
    assert ("CVE-2022-37434", "zlib") not in findings(version)
    person = editor()
    confirmation = identities.confirm_cpe(zlib, person, "zlib", "zlib", "zlib.net's zlib")
    # Once per identity: both versions carrying pkg:generic/zlib now have the finding.
    assert ("CVE-2022-37434", "zlib") in findings(version)
    assert ("CVE-2022-37434", "zlib") in findings(other)
    finding = Finding.objects.get(version=version, vulnerability__canonical_id="CVE-2022-37434")
    assert finding.provenance[0]["confirmation"] == confirmation.pk
    assert AuditEvent.objects.filter(action="vulns.cpe-confirmation.confirmed").count() == 1
    with pytest.raises(Refusal):
        identities.confirm_cpe(zlib, person, "zlib", "zlib", "again")
    identities.withdraw_confirmation(confirmation, person, "wrong library: it is zlib-ng")
    finding.refresh_from_db()
    assert finding.state == "closed"
    assert "CPE confirmation withdrawn" in finding.close_reason
    assert finding.close_reason.endswith("wrong library: it is zlib-ng")
    assert AuditEvent.objects.filter(action="vulns.cpe-confirmation.withdrawn").count() == 1
    # A new confirmation opens it again.
    identities.confirm_cpe(zlib, person, "zlib", "zlib", "checked the sources again")
    finding.refresh_from_db()
    assert finding.state == "open"


@pytest.mark.parametrize(
    ("vendor", "product", "note"),
    [("", "zlib", "x"), ("zlib", "z lib", "x"), ("zlib", "zlib", " ")],
)
def test_a_bad_confirmation_is_refused_and_changes_nothing(
    vendor: str, product: str, note: str
) -> None:
    version = pump("lvp-300-firmware.spdx.json")
    zlib = Component.objects.filter(document__version=version, name="zlib").get()
    person = editor()
    before = AuditEvent.objects.count()
    with pytest.raises(Refusal):
        identities.confirm_cpe(zlib, person, vendor, product, note)
    assert AuditEvent.objects.count() == before


def test_a_distribution_package_cannot_be_given_an_upstream_cpe() -> None:
    version = pump("lvp-300-openssl.spdx.json")
    rpm = Component.objects.filter(document__version=version, purl__startswith="pkg:rpm/").first()
    assert rpm is not None
    with pytest.raises(Refusal, match="distribution"):
        identities.confirm_cpe(rpm, editor(), "openssl", "openssl", "upstream")


MONITOR_SBOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "version": 1,
    "components": [
        {
            "type": "device",
            "bom-ref": "monitor",
            "name": "MyCareLink Monitor",
            "version": "24950",
            "supplier": {"name": "Medtronic"},
        }
    ],
}


def test_a_product_mapping_makes_icsma_advisories_candidates(
    shared_data: Path, tmp_path: Path
) -> None:
    icsma = shared_data / "csaf/cisagov-CSAF/icsma-medical/csaf_files/OT/white"
    for name in ("2018/icsma-18-179-01.json", "2018/icsma-18-219-01.json"):
        factories.feed_import(icsma / name)
    version = factories.sbom_version(version="1.0")
    path = tmp_path / "monitor.cdx.json"
    path.write_text(json.dumps(MONITOR_SBOM))
    factories.sbom_document(version, path, role="hardware")
    matching.match_version(version)
    assert Finding.objects.filter(version=version).count() == 0  # a name alone matches nothing
    monitor = Component.objects.get(document__version=version)
    person = editor()
    mapping = identities.map_product(
        monitor, person, "name", "24950 MyCareLink Monitor", "Medtronic", "model 24950 is ours"
    )
    candidates = Finding.objects.filter(version=version, state="candidate")
    assert candidates.count() >= 2
    assert Finding.objects.filter(version=version, state="open").count() == 0
    entry = candidates.first().provenance[0]  # type: ignore[union-attr]
    assert (entry["rule"], entry["mapping"]) == ("product_mapping", mapping.pk)
    assert (entry["source"], entry["method"]) == ("csaf", "product")
    assert "24950 mycarelink monitor" in entry["matched"].lower()
    identities.withdraw_mapping(mapping, person, "the monitor is a different model")
    assert set(Finding.objects.filter(version=version).values_list("state", flat=True)) == {
        "closed"
    }
    assert all(
        "product mapping withdrawn" in reason
        for reason in Finding.objects.filter(version=version).values_list("close_reason", flat=True)
    )


def test_the_api_and_page_confirm_list_and_withdraw(client: Any) -> None:
    version = pump("lvp-300-firmware.spdx.json")
    zlib = Component.objects.filter(document__version=version, name="zlib").get()
    person = factories.user(roles=["product-security"], teams=[version.product.team])
    factories.sign_in(client, person)
    listing = client.get("/api/v1/vulns/identities")
    assert listing.status_code == 200
    proposal = next(
        item for item in listing.json()["proposals"] if item["identity"] == "pkg:generic/zlib"
    )
    # Proposed from the name, preferring the pair an advisory already names.
    assert proposal["proposed_cpe"] == "cpe:2.3:a:zlib:zlib:*:*:*:*:*:*:*:*"
    assert proposal["advisories"] == 1
    page = client.get("/vulnerabilities/identities/")
    assert page.status_code == 200
    assert b"pkg:generic/zlib" in page.content
    refused = client.post(
        f"/api/v1/vulns/identities/components/{zlib.pk}/cpe",
        {"vendor": "zlib", "product": "zlib", "note": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    confirmed = client.post(
        f"/api/v1/vulns/identities/components/{zlib.pk}/cpe",
        {"vendor": "zlib", "product": "zlib", "note": "zlib.net sources in the layer"},
        content_type="application/json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert ("CVE-2022-37434", "zlib") in findings(version)
    withdrawn = client.post(
        f"/api/v1/vulns/identities/confirmations/{confirmed.json()['id']}/withdraw",
        {"reason": "it is zlib-ng"},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdraw_reason"] == "it is zlib-ng"
    assert ("CVE-2022-37434", "zlib") not in findings(version)
