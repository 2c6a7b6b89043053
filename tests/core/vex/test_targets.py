"""Which components a statement names, and VERS ranges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.vex import VexProduct
from medvigil.core.vex.ranges import in_range
from medvigil.core.vex.targets import ComponentIdentity, names_component

JACKSON = ComponentIdentity(
    name="jackson-databind",
    version="2.10.0",
    purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
    reference="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar",
    document_serial="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
)


@pytest.mark.parametrize(
    ("product", "named"),
    [
        (VexProduct(purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0"), True),
        (VexProduct(purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1"), False),
        (VexProduct(purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind"), True),
        (
            VexProduct(
                purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind",
                version_range="vers:maven/>=2.10.0|<2.10.5.1",
            ),
            True,
        ),
        (
            VexProduct(
                purl="pkg:maven/com.fasterxml.jackson.core/jackson-databind",
                version_range="vers:maven/>=2.11.0",
            ),
            False,
        ),
        (VexProduct(purl="pkg:maven/com.fasterxml.jackson.core/jackson-core@2.10.0"), False),
        (VexProduct(name="Jackson-Databind", version="2.10.0"), True),
        (VexProduct(name="jackson-databind", version="2.9.0"), False),
        (
            VexProduct(
                reference="urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#"
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"
            ),
            True,
        ),
        (
            VexProduct(
                reference="urn:cdx:2c385cf7-e1ee-46e9-a51c-13de1ecb380a/1#"
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"
            ),
            False,
        ),
        (VexProduct(reference="acme-product"), False),
    ],
)
def test_names_component(product: VexProduct, named: bool) -> None:
    assert names_component(product, JACKSON) is named


@pytest.mark.parametrize(
    ("range_text", "version", "inside"),
    [
        # CycloneDX VEX use cases 4, 5 and 8 (CycloneDX/bom-examples).
        ("vers:semver/>=2.2.0|<=2.4.0", "2.3.0", True),
        ("vers:semver/>=2.2.0|<=2.4.0", "2.4.1", False),
        ("vers:semver/<7.0.0|>=1.5.0", "1.5.0", True),
        ("vers:semver/<1.5.0|>=7.0.0", "3.0.0", False),
        ("vers:semver/<1.5.0|>=7.0.0", "7.0.0", True),
        ("vers:semver/>=2.0.0|<=2.7.0|>=3.0.0|<=3.2.0", "2.8.0", False),
        ("vers:semver/>=2.0.0|<=2.7.0|>=3.0.0|<=3.2.0", "3.1.0", True),
        # CSAF product_version_range without vers (sec-vex-2022-0001).
        ("<=1.14.0", "1.9.2", True),
        ("<=1.14.0", "1.15.0", False),
        ("vers:generic/>=2.9|<=4.1", "4.0", True),
        ("vers:npm/1.2.3|!=1.2.4", "1.2.3", True),
        ("vers:npm/*", "9.9.9", True),
    ],
)
def test_in_range(range_text: str, version: str, inside: bool) -> None:
    assert in_range(range_text, version) is inside


def test_an_unreadable_range_decides_nothing() -> None:
    assert in_range("vers:semver/>=banana", "1.0.0") is None
    assert in_range("vers:semver/", "1.0.0") is None


@given(st.text(max_size=40), st.text(max_size=15))
def test_any_range_text_gives_true_false_or_none(range_text: str, version: str) -> None:
    assert in_range(range_text, version) in (True, False, None)
