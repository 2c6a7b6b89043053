"""CVE JSON 5 records: valid by the official 5.1.1 schema, read back unchanged by our reader."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import cvelib
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.core.advisories.cve5 import read_cve_record, read_cve_record_json
from medvigil.core.advisories.model import VersionChange, VersionStatus
from medvigil.core.csaf import known_cwe_ids
from medvigil.core.cve5_writer import (
    CveCredit,
    CveProduct,
    CveRecordInput,
    CveReference,
    CveWriteError,
    build_cve_record,
    cve_record_json,
)

PUBLISHED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
ORGANIZATION = "5b3e1c4e-2f5a-4a8e-9d3a-0c1f2e3d4b5a"


@cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    path = Path(cvelib.__file__).parent / "schemas" / name
    schema = json.loads(path.read_text())
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def schema_errors(record: dict[str, Any]) -> list[str]:
    """Errors of the whole record and of its CNA container against the official schemas."""
    errors = [
        f"{error.json_path}: {error.message}"
        for error in _validator("CVE_JSON_bundled_5.1.1.json").iter_errors(record)
    ]
    errors += [
        f"cna {error.json_path}: {error.message}"
        for error in _validator("CVE_JSON_cnaPublishedContainer_5.1.1.json").iter_errors(
            record["containers"]["cna"]
        )
    ]
    return errors


def pump_record() -> CveRecordInput:
    return CveRecordInput(
        cve_id="CVE-2026-21001",
        assigner_org_id=ORGANIZATION,
        assigner_short_name="Lumen",
        title="Missing authentication on the LVP-300 service port",
        description=(
            "The service port of the LVP-300 infusion pump before 3.2.0 accepts commands"
            " without authentication."
        ),
        affected=(
            CveProduct(
                "Lumen Medical",
                "LVP-300 infusion pump",
                versions=(
                    VersionStatus("3.0.0", "affected", "semver", less_than="3.2.0"),
                    VersionStatus("3.2.0", "unaffected"),
                ),
                default_status="unaffected",
                cpes=("cpe:2.3:h:lumen:lvp-300:*:*:*:*:*:*:*:*",),
            ),
            CveProduct(
                "Lumen Medical",
                "Clinical gateway",
                versions=(
                    VersionStatus(
                        "5.0",
                        "affected",
                        "custom",
                        less_than_or_equal="5.4",
                        changes=(VersionChange("5.3", "unaffected"),),
                    ),
                ),
            ),
        ),
        references=(
            CveReference(
                "https://lumen.example/advisories/2026-001", "LUMEN-2026-001", ("vendor-advisory",)
            ),
        ),
        date_published=PUBLISHED,
        date_updated=PUBLISHED + timedelta(days=3),
        date_reserved=PUBLISHED - timedelta(days=40),
        date_public=PUBLISHED,
        cwe_ids=("CWE-306",),
        cvss_v3_vectors=("CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",),
        credits=(CveCredit("Ada Researcher"), CveCredit("CISA", "coordinator")),
        solutions=("Update the pump to 3.2.0.",),
        workarounds=("Isolate the pump network.",),
        discovery="EXTERNAL",
    )


def test_the_record_is_valid_by_the_official_schema() -> None:
    record = build_cve_record(pump_record())
    assert schema_errors(record) == []
    cna = record["containers"]["cna"]
    assert record["cveMetadata"]["state"] == "PUBLISHED"
    assert cna["problemTypes"] == [
        {
            "descriptions": [
                {
                    "cweId": "CWE-306",
                    "description": "CWE-306: Missing Authentication for Critical Function",
                    "lang": "en",
                    "type": "CWE",
                }
            ]
        }
    ]
    cvss = cna["metrics"][0]["cvssV3_1"]
    assert (cvss["baseScore"], cvss["baseSeverity"]) == (8.8, "HIGH")
    assert cna["affected"][0]["versions"][0] == {
        "lessThan": "3.2.0",
        "status": "affected",
        "version": "3.0.0",
        "versionType": "semver",
    }


def test_the_record_reads_back_unchanged_through_our_reader() -> None:
    written = cve_record_json(build_cve_record(pump_record()))
    read = read_cve_record_json(written, source="written").advisory
    assert read.id == "CVE-2026-21001"
    assert read.published == PUBLISHED
    assert read.modified == PUBLISHED + timedelta(days=3)
    assert read.summary == "Missing authentication on the LVP-300 service port"
    assert read.details.startswith("The service port")
    assert read.cwe_ids == ("CWE-306",)
    assert [severity.score for severity in read.severities] == [
        "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
    ]
    pump, gateway = read.affected
    assert (pump.vendor, pump.name, pump.default_status) == (
        "Lumen Medical",
        "LVP-300 infusion pump",
        "unaffected",
    )
    assert pump.version_statuses == pump_record().affected[0].versions
    assert pump.cpes == ("cpe:2.3:h:lumen:lvp-300:*:*:*:*:*:*:*:*",)
    assert gateway.version_statuses == pump_record().affected[1].versions
    assert [reference.url for reference in read.references] == [
        "https://lumen.example/advisories/2026-001"
    ]


def test_output_is_deterministic() -> None:
    assert cve_record_json(build_cve_record(pump_record())) == cve_record_json(
        build_cve_record(pump_record())
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cve_id": "CVE-26-1"}, "not a CVE id"),
        ({"assigner_org_id": "lumen"}, "must be a UUID"),
        ({"assigner_org_id": "e3e70682-c209-1cac-a29f-6fbed82c07cd"}, "version 4"),
        ({"assigner_short_name": "L"}, "2 to 32 characters"),
        ({"title": " "}, "title must not be blank"),
        ({"title": "x" * 257}, "longer than 256"),
        ({"affected": ()}, "at least one affected product"),
        ({"references": ()}, "at least one reference"),
        ({"references": (CveReference("lumen.example"),)}, "not an http"),
        (
            {"references": (CveReference("https://lumen.example", tags=("advisory",)),)},
            "unknown reference tags",
        ),
        ({"cwe_ids": ("CWE-0",)}, "not a CWE id"),
        ({"cvss_v3_vectors": ("CVSS:3.1/AV:N",)}, "not a valid CVSS vector"),
        ({"date_updated": PUBLISHED - timedelta(days=1)}, "updated before it is published"),
        ({"date_reserved": PUBLISHED + timedelta(days=1)}, "reserved after"),
        ({"date_published": datetime(2026, 1, 1)}, "time zone"),
        ({"credits": (CveCredit("Ada", "hacker"),)}, "credit type"),  # type: ignore[arg-type]
        (
            {
                "affected": (
                    CveProduct(
                        "Lumen", "Pump", (VersionStatus("1.0", "affected", less_than="2.0"),)
                    ),
                )
            },
            "needs a version type",
        ),
        (
            {"affected": (CveProduct("Lumen", "Pump", (VersionStatus("1.0", "vulnerable"),)),)},  # type: ignore[arg-type]
            "version status",
        ),
        (
            {"affected": (CveProduct("Lumen", "Pump", (), default_status=None),)},
            "versions or a default",
        ),
        (
            {
                "affected": (
                    CveProduct(
                        "Lumen",
                        "Pump",
                        (
                            VersionStatus(
                                "1.0", "affected", changes=(VersionChange("1.1", "unaffected"),)
                            ),
                        ),
                    ),
                )
            },
            "changes belong to a range",
        ),
    ],
)
def test_inputs_that_would_make_an_invalid_record_are_refused(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(CveWriteError, match=message):
        build_cve_record(replace(pump_record(), **change))


_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40
).filter(lambda value: value.strip() != "")
_VERSION = st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,3}){0,2}", fullmatch=True)


@st.composite
def version_statuses(draw: st.DrawFn) -> VersionStatus:
    status = draw(st.sampled_from(["affected", "unaffected", "unknown"]))
    if draw(st.booleans()):
        return VersionStatus(draw(_VERSION), status)
    bound = draw(_VERSION | st.just("*"))
    inclusive = draw(st.booleans())
    return VersionStatus(
        draw(st.just("0") | _VERSION),
        status,
        draw(st.sampled_from(["semver", "custom", "python", "maven"])),
        less_than=None if inclusive else bound,
        less_than_or_equal=bound if inclusive else None,
        changes=tuple(
            VersionChange(at, change_status)
            for at, change_status in draw(
                st.lists(
                    st.tuples(_VERSION, st.sampled_from(["affected", "unaffected"])),
                    max_size=2,
                    unique_by=lambda change: change[0],  # one status per point, as the schema means
                )
            )
        ),
    )


@st.composite
def records(draw: st.DrawFn) -> CveRecordInput:
    published = draw(
        st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1))
    ).replace(tzinfo=UTC)
    return CveRecordInput(
        cve_id=f"CVE-{draw(st.integers(1999, 2099))}-{draw(st.integers(1000, 10**9))}",
        assigner_org_id=str(draw(st.uuids(version=4))),
        assigner_short_name=draw(st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{1,20}", fullmatch=True)),
        title=draw(_TEXT),
        description=draw(_TEXT),
        affected=tuple(
            CveProduct(
                draw(_TEXT),
                draw(_TEXT),
                versions=tuple(draw(st.lists(version_statuses(), max_size=3))),
                default_status=draw(st.sampled_from(["affected", "unaffected", "unknown"])),
            )
            for _ in range(draw(st.integers(1, 3)))
        ),
        references=(
            CveReference(
                f"https://example.com/{draw(st.integers(0, 99))}", draw(st.none() | _TEXT)
            ),
        ),
        date_published=published,
        date_updated=published
        + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900))),
        cwe_ids=tuple(draw(st.lists(st.sampled_from(known_cwe_ids()), max_size=2))),
        cvss_v3_vectors=tuple(
            draw(
                st.lists(
                    st.sampled_from(
                        [
                            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                            "CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:C/C:L/I:N/A:N",
                        ]
                    ),
                    max_size=2,
                )
            )
        ),
        credits=tuple(CveCredit(value) for value in draw(st.lists(_TEXT, max_size=2))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_random_valid_inputs_make_schema_valid_records_that_read_back(
    record: CveRecordInput,
) -> None:
    built = build_cve_record(record)
    assert schema_errors(built) == []
    read = read_cve_record(json.loads(cve_record_json(built)), source="generated").advisory
    assert [package.version_statuses for package in read.affected] == [
        tuple(dict.fromkeys(product.versions)) for product in record.affected
    ]


def _real_records(shared_data: Path) -> list[Path]:
    folder = shared_data / "cve/cisagov-vulnrichment/2023"
    found = sorted(path for path in folder.rglob("CVE-*.json") if '"lessThan"' in path.read_text())
    return found[:40]


@pytest.mark.whole_corpus
def test_real_cna_containers_rewritten_keep_their_affected_versions(shared_data: Path) -> None:
    """CNA data of real 2023 records (vulnrichment) written again: schema-valid, same statuses."""
    checked = 0
    for path in _real_records(shared_data):
        original = json.loads(path.read_text())
        cna = original["containers"]["cna"]
        metadata = original["cveMetadata"]
        source = read_cve_record(original, source=path.name).advisory
        count = len(cna["affected"])
        products = tuple(
            CveProduct(
                package.vendor or "n/a",
                package.name,
                versions=package.version_statuses,
                default_status=package.default_status,
                cpes=package.cpes,
            )
            for package in source.affected[:count]
        )
        rewritten = build_cve_record(
            CveRecordInput(
                cve_id=metadata["cveId"],
                assigner_org_id=metadata["assignerOrgId"],
                assigner_short_name=metadata["assignerShortName"],
                title=cna.get("title") or metadata["cveId"],
                description=source.details[:4096],
                affected=products,
                references=tuple(CveReference(reference["url"]) for reference in cna["references"]),
                date_published=source.published or source.modified,
                date_updated=source.modified,
                cwe_ids=tuple(cwe for cwe in source.cwe_ids if cwe in set(known_cwe_ids())),
            )
        )
        assert schema_errors(rewritten) == [], path.name
        again = read_cve_record(rewritten, source="rewritten").advisory
        assert [package.version_statuses for package in again.affected] == [
            tuple(dict.fromkeys(product.versions)) for product in products
        ], path.name
        checked += 1
    assert checked == 40
