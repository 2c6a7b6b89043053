"""The CSAF 2.0 builder: documents pass the official validator; bad inputs are refused."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from medvigil.core.csaf import (
    Acknowledgment,
    AggregateSeverity,
    CsafBuildError,
    CsafDocument,
    Document,
    Flag,
    Note,
    ProductStatus,
    ProductVersion,
    Publisher,
    Reference,
    Remediation,
    Revision,
    Score,
    Threat,
    Tracking,
    Vulnerability,
    build_document,
    document_filename,
    document_json,
    read_csaf,
)
from tests.core.csaf.strategies import documents
from tests.csaf_validator import validate_csaf

RELEASED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
PUMP_310 = ProductVersion(
    "Lumen Medical", "LVP-300 infusion pump", "3.1.0", purl="pkg:generic/lumen/lvp-300@3.1.0"
)
PUMP_EARLIER = ProductVersion("Lumen Medical", "LVP-300 infusion pump", "<3.1.0")
PUMP_320 = ProductVersion("Lumen Medical", "LVP-300 infusion pump", "3.2.0")
GATEWAY = ProductVersion(
    "Lumen Medical",
    "Clinical gateway",
    "5.0",
    cpe="cpe:2.3:a:lumen:clinical_gateway:5.0:*:*:*:*:*:*:*",
)
PUBLISHER = Publisher(
    "Lumen Medical", "https://lumen.example", contact_details="psirt@lumen.example"
)


def advisory() -> Document:
    """An advisory shaped like CISA's medical advisories (ICSMA): notes, references, fixes."""
    vulnerability = Vulnerability(
        cve="CVE-2026-21001",
        cwe="CWE-306",
        title="Missing authentication on the service port",
        notes=(Note("summary", "The service port accepts commands without authentication."),),
        product_status=ProductStatus(known_affected=(PUMP_310, PUMP_EARLIER), fixed=(PUMP_320,)),
        remediations=(
            Remediation(
                "vendor_fix",
                "Update the pump to 3.2.0.",
                (PUMP_310, PUMP_EARLIER),
                url="https://lumen.example/updates",
            ),
            Remediation("mitigation", "Isolate the pump network.", (PUMP_310, PUMP_EARLIER)),
        ),
        scores=(Score("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", (PUMP_310, PUMP_EARLIER)),),
        acknowledgments=(Acknowledgment(names=("Ada Researcher",), summary="reporting it"),),
        release_date=RELEASED,
    )
    return Document(
        category="csaf_security_advisory",
        title="Lumen Medical LVP-300 infusion pump",
        publisher=PUBLISHER,
        tracking=Tracking(
            id="LUMEN-2026-001",
            status="final",
            revisions=(
                Revision(RELEASED, "Initial publication"),
                Revision(RELEASED + timedelta(days=9), "Gateway added"),
            ),
            generator_name="medvigil",
            generator_version="1.0",
        ),
        vulnerabilities=(
            vulnerability,
            Vulnerability(
                cve="CVE-2026-21002",
                cwe="CWE-798",
                notes=(Note("description", "A hard-coded password protects the console."),),
                product_status=ProductStatus(known_affected=(GATEWAY,)),
                remediations=(Remediation("none_available", "No fix yet.", (GATEWAY,)),),
                scores=(Score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", (GATEWAY,)),),
            ),
        ),
        notes=(
            Note("summary", "Exploitation could let an attacker change infusion settings."),
            Note("legal_disclaimer", "Provided as is.", title="Legal notice"),
        ),
        references=(
            Reference("https://lumen.example/advisories/2026-001", "Advisory", True),
            Reference(
                "https://www.cisa.gov/resources-tools/resources/ics-recommended-practices",
                "Recommended practices",
            ),
        ),
        aggregate_severity=AggregateSeverity("High"),
        acknowledgments=(Acknowledgment(organization="CISA", summary="coordination"),),
    )


def vex() -> Document:
    return Document(
        category="csaf_vex",
        title="LVP-300 and OpenSSL CVE-2024-0727",
        publisher=PUBLISHER,
        tracking=Tracking(
            id="LUMEN-VEX-2026-004", status="draft", revisions=(Revision(RELEASED, "Draft"),)
        ),
        vulnerabilities=(
            Vulnerability(
                cve="CVE-2024-0727",
                notes=(Note("description", "OpenSSL PKCS12 null pointer dereference."),),
                product_status=ProductStatus(
                    known_not_affected=(PUMP_320, GATEWAY), known_affected=(PUMP_310,)
                ),
                flags=(Flag("vulnerable_code_not_in_execute_path", (PUMP_320,)),),
                threats=(),
                remediations=(Remediation("vendor_fix", "Update to 3.2.0.", (PUMP_310,)),),
            ),
        ),
    )


def vex_with_impact() -> Document:
    base = vex()
    vulnerability = base.vulnerabilities[0]
    return replace(
        base,
        vulnerabilities=(
            replace(
                vulnerability,
                threats=(Threat("impact", "The gateway never parses PKCS12 files.", (GATEWAY,)),),
            ),
        ),
    )


@pytest.fixture(scope="module")
def generated() -> list[Document]:
    """Documents drawn by hypothesis from valid inputs of both profiles."""
    drawn: list[Document] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(documents())
    def draw(document: Document) -> None:
        build_document(document)
        drawn.append(document)

    draw()
    return drawn


@pytest.fixture(scope="module")
def reports(generated: list[Document]) -> dict[str, dict[str, Any]]:
    """The official validator's verdicts, from one run for the whole module."""
    named = {"advisory": build_document(advisory()), "vex": build_document(vex_with_impact())}
    for index, document in enumerate(generated):
        named[f"generated-{index}"] = build_document(document)
    return validate_csaf(named)


def test_the_advisory_and_the_vex_document_pass_the_official_validator(
    reports: dict[str, dict[str, Any]],
) -> None:
    assert reports["advisory"]["errors"] == []
    assert reports["advisory"]["valid"] is True
    assert reports["vex"]["errors"] == []
    assert reports["vex"]["valid"] is True


def test_every_generated_document_passes_the_official_validator(
    generated: list[Document], reports: dict[str, dict[str, Any]]
) -> None:
    categories = {document.category for document in generated}
    assert categories == {"csaf_security_advisory", "csaf_vex"}
    failing = {
        name: report["errors"]
        for name, report in reports.items()
        if name.startswith("generated-") and not report["valid"]
    }
    assert failing == {}
    assert len([name for name in reports if name.startswith("generated-")]) == len(generated)


def test_the_advisory_reads_back_with_the_same_products_statuses_and_scores() -> None:
    document = advisory()
    read = read_csaf(json.loads(document_json(build_document(document))), source="built")
    assert isinstance(read, CsafDocument)
    assert read.profile == "security_advisory"
    assert read.tracking_version == "2"
    assert read.tracking_status == "final"
    assert read.initial_release_date == RELEASED
    assert read.current_release_date == RELEASED + timedelta(days=9)
    pump = read.product(PUMP_310.product_id)
    assert pump.branch("vendor") == "Lumen Medical"
    assert pump.branch("product_version") == "3.1.0"
    assert pump.purl == "pkg:generic/lumen/lvp-300"  # the reader keeps purls without version
    assert read.product(PUMP_EARLIER.product_id).branch("product_version_range") == "<3.1.0"
    assert read.product(GATEWAY.product_id).cpe == GATEWAY.cpe
    first = read.vulnerabilities[0]
    assert first.cve == "CVE-2026-21001"
    assert (first.cwe_id, first.cwe_name) == (
        "CWE-306",
        "Missing Authentication for Critical Function",
    )
    assert first.product_status.known_affected == (PUMP_310.product_id, PUMP_EARLIER.product_id)
    assert first.product_status.fixed == (PUMP_320.product_id,)
    assert first.scores[0].cvss_v3_base_score == 8.8
    assert read.vulnerabilities[1].scores[0].cvss_v3_base_score == 9.8


def test_scores_and_severity_are_computed_from_the_vector() -> None:
    built = build_document(advisory())
    score = built["vulnerabilities"][0]["scores"][0]["cvss_v3"]
    assert score["baseScore"] == 8.8
    assert score["baseSeverity"] == "HIGH"
    assert score["version"] == "3.1"
    assert score["vectorString"] == "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"


def test_output_is_deterministic_and_product_ids_do_not_depend_on_the_document() -> None:
    assert document_json(build_document(advisory())) == document_json(build_document(advisory()))
    assert (
        PUMP_310.product_id
        == ProductVersion("Lumen Medical", "LVP-300 infusion pump", "3.1.0").product_id
    )
    assert PUMP_310.product_id.startswith("CSAFPID-")
    text = document_json(build_document(advisory())).decode()
    assert text.endswith("}\n")
    assert list(json.loads(text)) == ["document", "product_tree", "vulnerabilities"]


def test_filename_follows_the_csaf_rule() -> None:
    assert (
        document_filename("Example Company - 2019-YH3234") == "example_company_-_2019-yh3234.json"
    )
    assert document_filename("LUMEN-2026-001") == "lumen-2026-001.json"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: replace(d, title=" "), "title must not be blank"),
        (lambda d: replace(d, tlp="CLEAR"), "TLP label"),
        (lambda d: replace(d, language="english"), "language"),
        (lambda d: replace(d, vulnerabilities=()), "needs vulnerabilities"),
        (
            lambda d: replace(d, tracking=replace(d.tracking, revisions=())),
            "at least one revision",
        ),
        (
            lambda d: replace(
                d, tracking=replace(d.tracking, revisions=tuple(reversed(d.tracking.revisions)))
            ),
            "date order",
        ),
        (
            lambda d: replace(
                d,
                tracking=replace(
                    d.tracking,
                    revisions=(Revision(datetime(2026, 1, 1), "naive"),),
                ),
            ),
            "time zone",
        ),
        (lambda d: replace(d, tracking=replace(d.tracking, id=" X")), "tracking id"),
        (lambda d: replace(d, publisher=replace(PUBLISHER, namespace="lumen")), "namespace"),
        (
            lambda d: replace(d, vulnerabilities=(d.vulnerabilities[0], d.vulnerabilities[0])),
            "appears in two vulnerabilities",
        ),
        (lambda d: _first(d, cve="CVE-26-1"), "is not a CVE id"),
        (lambda d: _first(d, cwe="CWE-999999"), "not a CWE id"),
        (lambda d: _first(d, notes=()), "at least one note"),
        (lambda d: _first(d, product_status=ProductStatus()), "status of at least one product"),
        (
            lambda d: _first(
                d, product_status=ProductStatus(known_affected=(PUMP_310,), fixed=(PUMP_310,))
            ),
            "cannot be both fixed and known_affected",
        ),
        (
            lambda d: _first(d, scores=(Score("CVSS:3.1/AV:N/AC:L", (PUMP_310,)),)),
            "not a valid CVSS vector",
        ),
        (
            lambda d: _first(
                d,
                scores=(
                    Score(
                        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                        (PUMP_310,),
                    ),
                ),
            ),
            "not a CVSS v3.0 or v3.1 vector",
        ),
        (
            lambda d: _first(
                d,
                scores=(
                    Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", (PUMP_310,)),
                    Score("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", (PUMP_310,)),
                ),
            ),
            "two CVSS v3.1 scores",
        ),
        (
            lambda d: _first(d, remediations=(Remediation("vendor_fix", "Update.", ()),)),
            "remediation must name its products",
        ),
        (
            lambda d: _first(d, remediations=(Remediation("patch", "Update.", (PUMP_310,)),)),
            "'patch' is not one of",
        ),
        (
            lambda d: _first(
                d,
                flags=(
                    Flag("component_not_present", (PUMP_320,)),
                    Flag("vulnerable_code_not_present", (PUMP_320,)),
                ),
            ),
            "more than one justification flag",
        ),
        (
            lambda d: _first(
                d,
                product_status=ProductStatus(
                    known_affected=(ProductVersion("Lumen", "Pump", "1", purl="pkg:bad"),)
                ),
            ),
            "not a valid purl",
        ),
        (
            lambda d: _first(
                d,
                product_status=ProductStatus(
                    known_affected=(
                        ProductVersion("Lumen", "Pump", "<2", purl="pkg:generic/pump@<2"),
                    )
                ),
            ),
            "not a valid purl",
        ),
        (
            lambda d: _first(
                d,
                product_status=ProductStatus(
                    known_affected=(ProductVersion("Lumen", "Pump", "1", cpe="cpe:lumen"),)
                ),
            ),
            "not a CPE",
        ),
        (
            lambda d: _first(
                d,
                product_status=ProductStatus(
                    known_affected=(PUMP_310, replace(PUMP_310, purl=None))
                ),
            ),
            "different identification helpers",
        ),
    ],
)
def test_inputs_that_would_make_an_invalid_document_are_refused(change: Any, message: str) -> None:
    with pytest.raises(CsafBuildError, match=message):
        build_document(change(advisory()))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: replace(v, flags=()), "not affected but has no justification"),
        (lambda v: replace(v, remediations=()), "affected but has no remediation"),
        (lambda v: replace(v, cve=None), "needs a CVE or another id"),
        (
            lambda v: replace(v, product_status=ProductStatus(recommended=(PUMP_320,)), flags=()),
            "needs products fixed",
        ),
    ],
)
def test_vex_statements_need_justifications_actions_and_an_id(change: Any, message: str) -> None:
    document = vex_with_impact()
    with pytest.raises(CsafBuildError, match=message):
        build_document(replace(document, vulnerabilities=(change(document.vulnerabilities[0]),)))


def test_a_vex_statement_may_name_its_vulnerability_by_another_id() -> None:
    document = vex_with_impact()
    vulnerability = replace(
        document.vulnerabilities[0], cve=None, ids=(("Lumen PSIRT", "LUMEN-VU-77"),)
    )
    built = build_document(replace(document, vulnerabilities=(vulnerability,)))
    assert built["vulnerabilities"][0]["ids"] == [
        {"system_name": "Lumen PSIRT", "text": "LUMEN-VU-77"}
    ]


def test_a_real_cisa_medical_advisory_rebuilt_keeps_its_statuses(shared_data: Path) -> None:
    """ICSMA-24-200-01 (Philips Vue PACS) read, rebuilt with the builder, read again."""
    path = (
        shared_data
        / "csaf/cisagov-CSAF/icsma-medical/csaf_files/OT/white/2024/icsma-24-200-01.json"
    )
    original = read_csaf(json.loads(path.read_text()), source=path.name)
    products = {
        product.product_id: ProductVersion(
            product.branch("vendor") or "",
            product.branch("product_name") or "",
            product.branch("product_version") or product.branch("product_version_range") or "",
        )
        for product in original.products
    }
    rebuilt = build_document(
        Document(
            category="csaf_security_advisory",
            title=original.title,
            publisher=Publisher(
                original.publisher_name, original.publisher_namespace, "coordinator"
            ),
            tracking=Tracking(
                id=original.tracking_id,
                status="final",
                revisions=(Revision(original.initial_release_date, "Initial Publication"),),
            ),
            vulnerabilities=tuple(
                Vulnerability(
                    cve=vulnerability.cve,
                    notes=tuple(
                        Note(note.category, note.text, note.title) for note in vulnerability.notes
                    ),  # type: ignore[arg-type]
                    product_status=ProductStatus(
                        known_affected=tuple(
                            products[i] for i in vulnerability.product_status.known_affected
                        )
                    ),
                    scores=tuple(
                        Score(score.cvss_v3_vector, tuple(products[i] for i in score.products))
                        for score in vulnerability.scores
                        if score.cvss_v3_vector
                    ),
                )
                for vulnerability in original.vulnerabilities
            ),
        )
    )
    again = read_csaf(rebuilt, source="rebuilt")
    assert [v.cve for v in again.vulnerabilities] == [v.cve for v in original.vulnerabilities]
    assert len(again.vulnerabilities) == 13
    for before, after in zip(original.vulnerabilities, again.vulnerabilities, strict=True):
        assert [s.cvss_v3_base_score for s in after.scores] == [
            s.cvss_v3_base_score for s in before.scores
        ]
        assert [again.product(i).name for i in after.product_status.known_affected] == [
            "Philips Vue PACS <12.2.8.410"
        ]


def _first(document: Document, **changes: Any) -> Document:
    return replace(
        document,
        vulnerabilities=(
            replace(document.vulnerabilities[0], **changes),
            *document.vulnerabilities[1:],
        ),
    )
