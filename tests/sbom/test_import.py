"""Importing SBOMs through the service: every shared file, and bad input that stores nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from medvigil.audit.models import AuditEvent
from medvigil.core.sbom import parse_sbom
from medvigil.platform.refusals import Kind, Refusal
from medvigil.sbom import services
from medvigil.sbom.models import Component, Dependency, SbomDocument
from tests import factories
from tests.conftest import shared_data_directory

SBOM_FOLDER = shared_data_directory() / "sbom"
SHARED_FILES = sorted(
    str(path.relative_to(SBOM_FOLDER)) for path in SBOM_FOLDER.rglob("*") if path.is_file()
)
# Files refused on purpose, with the reason the service gives.
REFUSED = {
    name: "SPDX 3 (JSON-LD) is not supported: only SPDX 2.2 and 2.3 are read"
    for name in SHARED_FILES
    if "spdx3" in name or "/spdx3.0/" in name
}
REFUSED["spdx/spdx-spec-v2.3-examples/SPDXRdfExample-v2.3.spdx.rdf.xml"] = (
    "SPDX RDF/XML is not supported"
)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def counts() -> tuple[int, int, int, int]:
    return (
        SbomDocument.objects.count(),
        Component.objects.count(),
        Dependency.objects.count(),
        AuditEvent.objects.filter(action__startswith="sbom.").count(),
    )


@pytest.mark.whole_corpus
def test_the_shared_folder_holds_the_expected_files() -> None:
    assert len(SHARED_FILES) == 51
    assert len(REFUSED) == 9  # eight SPDX 3.0 JSON-LD files and one SPDX RDF/XML


@pytest.mark.django_db
@pytest.mark.parametrize("name", SHARED_FILES)
def test_every_shared_sbom_is_imported_or_refused_with_its_reason(name: str) -> None:
    path = SBOM_FOLDER / name
    version = factories.sbom_version()
    content = path.read_bytes()
    if name in REFUSED:
        with pytest.raises(Refusal) as refusal:
            services.import_sbom(version, content, path.name, "firmware")
        assert REFUSED[name] in str(refusal.value)
        assert str(refusal.value).startswith(path.name)
        assert counts() == (0, 0, 0, 0)
        assert stored_files() == []
        return
    document = services.import_sbom(version, content, path.name, "firmware")
    parsed = parse_sbom(content, path.name)
    expected = services.all_components(parsed)
    assert document.component_count == len(expected) == document.components.count()
    stored = {row.reference: row for row in document.components.all()}
    for component in expected:
        row = stored[component.reference]
        assert (row.name, row.version, row.purl, row.cpe) == (
            component.name,
            component.version or "",
            component.purl or "",
            component.cpe or "",
        )
        assert [tuple(pair) for pair in row.hashes] == list(component.hashes)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    with document.file.open("rb") as handle:
        assert handle.read() == content
    assert (document.format, document.spec_version) == (parsed.format, parsed.spec_version)
    edges = sum(len(set(targets)) for source, targets in parsed.dependencies if source in stored)
    assert document.dependencies.count() == edges
    event = AuditEvent.objects.get(action="sbom.imported", object_id=str(document.pk))
    assert event.details["sha256"] == document.sha256


def cyclonedx(components: list[dict[str, Any]], spec_version: str = "1.6") -> bytes:
    return json.dumps(
        {"bomFormat": "CycloneDX", "specVersion": spec_version, "components": components}
    ).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
<name>&lol2;</name></component></components></bom>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library">
<name>&secret;</name></component></components></bom>"""

BAD_INPUT = {
    "malformed JSON": (b'{"bomFormat": "CycloneDX", "specVersion": "1.6",', "not valid JSON"),
    "malformed XML": (
        b'<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components></bom>',
        "not well-formed XML",
    ),
    "unknown CycloneDX version": (
        cyclonedx([{"type": "library", "name": "a"}], "9.9"),
        "specVersion: CycloneDX '9.9' is not supported",
    ),
    "unknown SPDX version": (
        json.dumps({"spdxVersion": "SPDX-2.0", "SPDXID": "SPDXRef-DOCUMENT"}).encode(),
        "spdxVersion: 'SPDX-2.0' is not supported",
    ),
    "entity expansion": (BILLION_LAUGHS, "XML refused for safety"),
    "external entity": (EXTERNAL_ENTITY, "XML refused for safety"),
    "nameless component": (
        cyclonedx([{"type": "library", "name": "a"}, {"type": "library", "version": "1"}]),
        "components[1].name: is required",
    ),
    "blank name": (
        cyclonedx([{"type": "library", "name": "  ", "bom-ref": "blank"}]),
        "component 'blank' has no name",
    ),
    "duplicate bom-ref": (
        cyclonedx(
            [
                {"type": "library", "name": "left-pad", "version": "1.0", "bom-ref": "same"},
                {"type": "library", "name": "right-pad", "version": "2.0", "bom-ref": "same"},
            ]
        ),
        "duplicate reference 'same' (bom-ref/SPDXID) used by 2 components: "
        "component 'same' (left-pad 1.0), component 'same' (right-pad 2.0)",
    ),
    "not an SBOM": (b'{"hello": "world"}', "not a recognised SBOM"),
    "empty file": (b"", "the document is empty"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_whole_with_the_place_named(case: str) -> None:
    content, message = BAD_INPUT[case]
    version = factories.sbom_version()
    before = counts()
    with pytest.raises(Refusal) as refusal:
        services.import_sbom(version, content, "upload.json", "firmware")
    assert message in str(refusal.value)
    assert str(refusal.value).startswith("upload.json: ")
    assert counts() == before
    assert stored_files() == []


@pytest.mark.django_db
def test_an_sbom_over_the_configured_size_is_refused(settings: Any) -> None:
    settings.SBOM_MAX_BYTES = 100
    content = cyclonedx([{"type": "library", "name": "x" * 200}])
    with pytest.raises(Refusal) as refusal:
        services.import_sbom(factories.sbom_version(), content, "big.json", "firmware")
    assert f"{len(content)} bytes is over the limit of 100 bytes" in str(refusal.value)
    assert refusal.value.kind == Kind.TOO_LARGE
    assert counts() == (0, 0, 0, 0)
    assert stored_files() == []


@pytest.mark.django_db
def test_a_failure_inside_the_transaction_leaves_no_row_and_no_file(monkeypatch: Any) -> None:
    def broken_audit(*arguments: Any, **keywords: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services, "record", broken_audit)
    content = cyclonedx([{"type": "library", "name": "a", "bom-ref": "a"}])
    with pytest.raises(RuntimeError):
        services.import_sbom(factories.sbom_version(), content, "a.json", "firmware")
    assert counts() == (0, 0, 0, 0)
    assert stored_files() == []


@pytest.mark.django_db
def test_the_same_document_twice_on_a_version_is_a_conflict() -> None:
    version = factories.sbom_version()
    content = cyclonedx([{"type": "library", "name": "a"}])
    services.import_sbom(version, content, "a.json", "firmware")
    with pytest.raises(Refusal, match="already attached") as duplicate:
        services.import_sbom(version, content, "again.json", "application")
    assert duplicate.value.kind == Kind.CONFLICT
    assert SbomDocument.objects.count() == 1
    assert len(stored_files()) == 1


@pytest.mark.django_db
def test_support_fields_are_set_on_every_copy_audited_with_who_set_them() -> None:
    version = factories.sbom_version()
    person = factories.user(administrator=True)
    one = {"type": "library", "name": "zlib", "version": "1.3", "purl": "pkg:generic/zlib@1.3"}
    services.import_sbom(version, cyclonedx([one]), "firmware.json", "firmware")
    services.import_sbom(
        version, cyclonedx([one, {"type": "library", "name": "b"}]), "app.json", "application"
    )
    component = Component.objects.filter(name="zlib").first()
    changed = services.set_component_support(
        component, "actively maintained", __import__("datetime").date(2030, 1, 31), person
    )
    assert len(changed) == 2
    for row in Component.objects.filter(name="zlib"):
        assert row.level_of_support == "actively maintained"
        assert row.end_of_support.isoformat() == "2030-01-31"
        assert row.support_set_by == person
        assert row.support_set_at is not None
    events = AuditEvent.objects.filter(action="sbom.component.support-set")
    assert events.count() == 2
    assert events.first().changes["level_of_support"] == ["", "actively maintained"]
    with pytest.raises(Refusal, match="level of support 'sometimes'"):
        services.set_component_support(component, "sometimes", None, person)


@pytest.mark.django_db
def test_support_read_from_the_document_is_stored() -> None:
    component = {
        "type": "library",
        "name": "a",
        "properties": [
            {"name": "fda:support-level", "value": "EOL"},
            {"name": "cdx:lifecycle:milestone:endOfSupport", "value": "2024-12-31"},
        ],
    }
    document = services.import_sbom(
        factories.sbom_version(), cyclonedx([component]), "a.json", "firmware"
    )
    row = document.components.get()
    assert row.level_of_support == "no longer maintained"
    assert row.end_of_support.isoformat() == "2024-12-31"
    assert row.support_set_by is None


@pytest.mark.django_db
def test_deleting_a_document_removes_rows_and_file_and_is_audited(
    django_capture_on_commit_callbacks: Any,
) -> None:
    version = factories.sbom_version()
    document = factories.sbom_document(
        version, SBOM_FOLDER / "cyclonedx/bom-examples/CBOM/Protocol/bom.json"
    )
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document)
    assert counts()[:3] == (0, 0, 0)
    assert stored_files() == []
    event = AuditEvent.objects.get(action="sbom.deleted")
    assert event.details["filename"] == "bom.json"
