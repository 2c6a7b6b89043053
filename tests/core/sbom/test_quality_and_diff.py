"""Golden results of the quality report and the component diff on real files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from medvigil.core.sbom import SbomDocument
from medvigil.core.sbom.diff import component_identity, diff_components
from medvigil.core.sbom.quality import assess_quality

Load = Callable[[str], SbomDocument]
LARAVEL = "cyclonedx/bom-examples/SBOM/laravel-7.12.0/"


def _summary(document: SbomDocument) -> dict[str, tuple[int, int, float]]:
    report = assess_quality(document)
    return {
        coverage.element: (coverage.present, coverage.total, coverage.percentage)
        for coverage in report.elements
    }


def test_quality_of_dropwizard(load_sbom: Load) -> None:
    document = load_sbom("cyclonedx/bom-examples/SBOM/dropwizard-1.3.15/bom.json")
    report = assess_quality(document)
    assert report.components == 168  # 167 components and the product itself
    assert (report.has_author, report.has_timestamp) == (False, True)
    summary = _summary(document)
    assert summary["name"] == (168, 168, 100.0)
    assert summary["version"] == (168, 168, 100.0)
    assert summary["unique identifier"] == (168, 168, 100.0)
    # The product is never named in `dependencies` of this BOM.
    assert report.coverage("dependency relationship").missing == (
        "pkg:maven/io.dropwizard/dropwizard-parent@1.3.15",
    )
    assert summary["dependency relationship"] == (167, 168, 99.4)
    supplier = report.coverage("supplier")
    assert supplier.present == 90  # from `publisher`; counted in the raw JSON
    assert supplier.missing[0] == "pkg:maven/io.dropwizard/dropwizard-parent@1.3.15"
    assert summary["level of support"] == (0, 168, 0.0)
    assert summary["end of support"] == (0, 168, 0.0)
    assert not report.meets_ntia_minimum
    assert not report.meets_fda_extras


def test_quality_of_the_spdx_spec_example(load_sbom: Load) -> None:
    document = load_sbom("spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json")
    report = assess_quality(document)
    assert report.components == 4
    assert (report.has_author, report.has_timestamp) == (True, True)
    assert report.coverage("supplier").missing == (
        "SPDXRef-fromDoap-1",
        "SPDXRef-fromDoap-0",
        "SPDXRef-Saxon",
    )
    assert report.coverage("version").missing == ("SPDXRef-fromDoap-1",)
    assert report.coverage("unique identifier").missing == ("SPDXRef-fromDoap-1",)
    assert report.coverage("end of support").missing == (
        "SPDXRef-fromDoap-1",
        "SPDXRef-fromDoap-0",
        "SPDXRef-Saxon",
    )
    assert report.coverage("dependency relationship").percentage == 50.0


def test_a_complete_document_meets_both(load_sbom: Load) -> None:
    document = load_sbom("cyclonedx/bom-examples/CBOM/Example-With-Dependencies/bom.json")
    components = tuple(
        replace(
            component,
            supplier="Acme",
            version=component.version or "1",
            cpe=f"cpe:2.3:a:acme:{component.reference}:1:*:*:*:*:*:*:*",
            level_of_support="actively maintained",
            end_of_support=date(2030, 1, 1),
        )
        for component in document.components
    )
    assert document.primary_component is not None
    primary = replace(
        components[0],
        reference=document.primary_component.reference,
        name=document.primary_component.name,
    )
    complete = replace(
        document,
        authors=("Acme",),
        created=None,
        components=components,
        primary_component=primary,
    )
    report = assess_quality(complete)
    assert report.meets_fda_extras
    assert not report.meets_ntia_minimum  # no timestamp
    dated = replace(complete, created=datetime(2024, 1, 1, tzinfo=UTC))
    assert assess_quality(dated).meets_ntia_minimum


def test_diff_of_two_laravel_serialisations_is_empty(load_sbom: Load) -> None:
    before = load_sbom(LARAVEL + "bom.1.2.json")
    after = load_sbom(LARAVEL + "bom.1.4.xml")
    result = diff_components(before.components, after.components)
    assert (result.added, result.removed, result.changed, result.unchanged) == ((), (), (), 62)


def test_diff_of_juice_shop_1_2_xml_and_1_4_json(load_sbom: Load) -> None:
    before = load_sbom("cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.2.xml")
    after = load_sbom("cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json")
    result = diff_components(before.components, after.components)
    assert (len(result.added), len(result.removed), len(result.changed)) == (0, 0, 0)
    assert result.unchanged == 1115


def test_diff_finds_added_removed_and_changed(load_sbom: Load) -> None:
    before = load_sbom("cyclonedx/bom-examples/SBOM/dropwizard-1.3.15/bom.json").components
    guava = next(item for item in before if item.name == "guava")
    upgraded = replace(
        guava,
        version="32.0.0-jre",
        purl="pkg:maven/com.google.guava/guava@32.0.0-jre?type=jar",
    )
    others = [item for item in before if item is not guava]
    rehashed = replace(others[0], hashes=(("SHA-1", "0" * 40),))
    removed = others[1]
    added = replace(
        others[2], name="brand-new", purl="pkg:maven/acme/brand-new@1.0", reference="new"
    )
    after = [
        upgraded if item is guava else rehashed if item is others[0] else item
        for item in before
        if item is not removed
    ]
    after.append(added)
    result = diff_components(before, after)
    assert result.added == (added,)
    assert result.removed == (removed,)
    changes = {change.identity: change.changed_fields for change in result.changed}
    assert changes == {
        "pkg:maven/com.google.guava/guava": ("version",),
        component_identity(others[0]): ("hashes",),
    }
    assert result.unchanged == 167 - 3


def test_diff_identity_without_purl_uses_group_and_name(load_sbom: Load) -> None:
    document = load_sbom("spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json")
    saxon = next(item for item in document.components if item.name == "Saxon")
    assert component_identity(saxon) == "saxon"
    newer = replace(saxon, version="9.1")
    [change] = diff_components([saxon], [newer]).changed
    assert (change.before.version, change.after.version) == ("8.8", "9.1")
