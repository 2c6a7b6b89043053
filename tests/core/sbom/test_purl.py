"""purl normalisation: canonical spelling, original kept, invalid is a warning."""

from __future__ import annotations

import pytest

from medvigil.core.sbom import normalise_purl, parse_sbom, purl_identity


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        # purl-spec test vector for PyPI, then PEP 503 folding of "." as well.
        ("pkg:PYPI/Django_package@1.11.1.dev1", "pkg:pypi/django-package@1.11.1.dev1"),
        ("pkg:pypi/Zope.Interface@5.4.0", "pkg:pypi/zope-interface@5.4.0"),
        ("pkg:pypi/foo__.bar@1", "pkg:pypi/foo-bar@1"),
        ("pkg:npm/@angular/core@16.2.0", "pkg:npm/%40angular/core@16.2.0"),
        ("pkg:npm/%40angular/core@16.2.0", "pkg:npm/%40angular/core@16.2.0"),
        ("pkg:NPM/lodash@4.17.21", "pkg:npm/lodash@4.17.21"),
        ("pkg:maven/org.Apache/Foo@1?type=jar&b=&a=2", "pkg:maven/org.Apache/Foo@1?a=2&type=jar"),
        ("pkg:composer/Asm89/Stack-Cors@1.3.0", "pkg:composer/asm89/stack-cors@1.3.0"),
        ("pkg://pypi/requests@2.31.0", "pkg:pypi/requests@2.31.0"),
        (
            "pkg:deb/debian/curl@7.50.3-1?distro=jessie&arch=i386",
            "pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie",
        ),
    ],
)
def test_canonical_forms(given: str, canonical: str) -> None:
    result = normalise_purl(given)
    assert result.canonical == canonical
    assert result.original == given
    assert result.warning is None


@pytest.mark.parametrize(
    "given", ["not a purl", "pkg:", "pkg:/name", "pkg:npm", "http://example.com"]
)
def test_invalid_purl_is_a_warning(given: str) -> None:
    result = normalise_purl(given)
    assert result.canonical is None
    assert result.warning is not None
    assert result.warning.startswith(f"invalid purl {given!r}")


def test_missing_required_namespace_is_a_warning_but_kept() -> None:
    result = normalise_purl("pkg:maven/commons-io@2.11.0")
    assert result.canonical == "pkg:maven/commons-io@2.11.0"
    assert result.warning == "purl 'pkg:maven/commons-io@2.11.0': type 'maven' requires a namespace"


def test_identity_drops_version_qualifiers_and_subpath() -> None:
    assert purl_identity("pkg:npm/%40babel/parser@7.21.2#packages/babel-parser") == (
        "pkg:npm/%40babel/parser"
    )
    assert purl_identity("pkg:maven/a/b@1?type=jar") == "pkg:maven/a/b"


def test_invalid_purl_in_a_document_is_a_component_warning_not_a_crash() -> None:
    content = b"""{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"type": "library", "bom-ref": "a", "name": "a", "purl": "not a purl"},
        {"type": "library", "bom-ref": "b", "name": "Django_Rest",
         "purl": "pkg:PyPI/Django_Rest@1.0"}
    ]}"""
    document = parse_sbom(content, "bom.json")
    broken, fine = document.components
    assert broken.purl is None
    assert broken.purl_original == "not a purl"
    assert broken.warnings[0].startswith("invalid purl 'not a purl'")
    assert any(warning.startswith("component 'a': invalid purl") for warning in document.warnings)
    assert fine.purl == "pkg:pypi/django-rest@1.0"
    assert fine.purl_original == "pkg:PyPI/Django_Rest@1.0"
