"""The advisory index: purl identity, release scoping, CPE configurations, withdrawn records."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from medvigil.core.advisories.model import (
    Advisory,
    AffectedPackage,
    AffectedRange,
    CpeConfiguration,
    CpeMatch,
    RangeEvent,
)
from medvigil.core.matching import AdvisoryIndex, Confidence, InvalidCpe, parse_cpe, parse_ecosystem
from medvigil.core.matching.cpe import Relation, compare_attribute

NOW = datetime(2024, 1, 1, tzinfo=UTC)


def advisory(identifier: str, *affected: AffectedPackage, **extra: object) -> Advisory:
    return Advisory(identifier, "test", NOW, affected=affected, **extra)  # type: ignore[arg-type]


def fixed_range(introduced: str, fixed: str) -> tuple[AffectedRange, ...]:
    return (
        AffectedRange(
            "ECOSYSTEM", (RangeEvent("introduced", introduced), RangeEvent("fixed", fixed))
        ),
    )


INDEX = AdvisoryIndex.build(
    [
        advisory(
            "PY-1", AffectedPackage("PyPI", "Django_Rest.framework", ranges=fixed_range("0", "3.0"))
        ),
        advisory(
            "NPM-1", AffectedPackage("npm", "@angular/core", ranges=fixed_range("16.0.0", "16.2.1"))
        ),
        advisory(
            "MVN-1",
            AffectedPackage(
                "Maven",
                "org.apache.logging.log4j:log4j-core",
                ranges=fixed_range("2.0-beta9", "2.15.0"),
            ),
        ),
        advisory(
            "GO-1",
            AffectedPackage("Go", "github.com/Masterminds/sprig", ranges=fixed_range("0", "3.0.0")),
        ),
        advisory(
            "DEB12",
            AffectedPackage("Debian:12", "openssl", ranges=fixed_range("0", "3.0.11-1~deb12u2")),
        ),
        advisory(
            "DEB11",
            AffectedPackage("Debian:11", "openssl", ranges=fixed_range("0", "1.1.1w-0+deb11u1")),
        ),
        advisory("DEB", AffectedPackage("Debian", "openssl", versions=("3.0.9-1",))),
        advisory(
            "GONE",
            AffectedPackage("PyPI", "django-rest-framework", ranges=fixed_range("0", "9")),
            withdrawn=NOW,
        ),
        advisory(
            "CVE-LOG4J",
            cpe_configurations=(
                CpeConfiguration(
                    (
                        (
                            "OR",
                            False,
                            (
                                CpeMatch(
                                    "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*",
                                    True,
                                    "2.0.1",
                                    None,
                                    None,
                                    "2.15.0",
                                ),
                            ),
                        ),
                    )
                ),
            ),
        ),
        advisory(
            "CVE-ON-WINDOWS",
            cpe_configurations=(
                CpeConfiguration(
                    (
                        (
                            "OR",
                            False,
                            (
                                CpeMatch(
                                    "cpe:2.3:a:acme:agent:*:*:*:*:*:*:*:*",
                                    True,
                                    None,
                                    None,
                                    "4.2",
                                    None,
                                ),
                            ),
                        ),
                        (
                            "OR",
                            False,
                            (CpeMatch("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", False),),
                        ),
                    ),
                    "AND",
                ),
            ),
        ),
        advisory(
            "CVE-ANY-PRODUCT",
            cpe_configurations=(
                CpeConfiguration(
                    (("OR", False, (CpeMatch("cpe:2.3:a:apache:*:*:*:*:*:*:*:*:*"),)),)
                ),
            ),
        ),
    ]
)


def ids(purl: str | None, cpe: str | None = None, version: str | None = None) -> list[str]:
    return [match.advisory_id for match in INDEX.match(purl, cpe, version)]


def test_pypi_names_are_compared_after_pep_503_normalisation() -> None:
    assert ids("pkg:pypi/django-rest-framework@2.9") == ["PY-1"]
    assert ids("pkg:pypi/Django.Rest_Framework@3.0") == []


def test_no_fuzzy_names() -> None:
    assert ids("pkg:pypi/django-rest-frameworks@2.9") == []
    assert ids("pkg:npm/core@16.1.0") == []


def test_npm_scope_maven_coordinates_and_case_sensitive_go_paths() -> None:
    assert ids("pkg:npm/%40angular/core@16.1.0") == ["NPM-1"]
    assert ids("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1") == ["MVN-1"]
    assert ids("pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0") == []
    assert ids("pkg:golang/github.com/Masterminds/sprig@v2.22.0+incompatible") == ["GO-1"]
    assert ids("pkg:golang/github.com/masterminds/sprig@v2.22.0") == []


def test_version_argument_overrides_the_purl_version() -> None:
    assert ids("pkg:pypi/django-rest-framework@9.0", version="1.0") == ["PY-1"]
    assert ids("pkg:pypi/django-rest-framework") == []


def test_distribution_records_are_scoped_to_the_component_release() -> None:
    bookworm = "pkg:deb/debian/openssl@3.0.9-1?distro=bookworm"
    assert sorted(ids(bookworm)) == ["DEB", "DEB12"]
    assert sorted(ids("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u4?distro=debian-11")) == ["DEB11"]


def test_unknown_release_matches_every_release_with_medium_confidence() -> None:
    matches = INDEX.match("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u4", None, None)
    assert sorted(match.advisory_id for match in matches) == ["DEB11", "DEB12"]
    assert {match.confidence for match in matches} == {Confidence.MEDIUM}


def test_withdrawn_advisories_never_match() -> None:
    assert "GONE" not in ids("pkg:pypi/django-rest-framework@1.0")


def test_cpe_bounds_for_a_component_without_purl() -> None:
    cpe = "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
    assert ids(None, cpe) == ["CVE-LOG4J"]
    assert ids(None, cpe, "2.15.0") == []
    assert ids(None, cpe, "2.0.1") == ["CVE-LOG4J"]  # start including
    assert ids(None, cpe, "2.0") == []
    assert ids(None, cpe, "2.0-rc1") == []
    assert ids(None, "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*") == []  # no version: cannot decide


def test_platform_criteria_are_assumed_and_never_match_by_themselves() -> None:
    matches = INDEX.match(None, "cpe:2.3:a:acme:agent:4.2:*:*:*:*:*:*:*", None)
    assert [match.advisory_id for match in matches] == ["CVE-ON-WINDOWS"]
    assert "microsoft:windows" in matches[0].verdict.explanation
    assert ids(None, "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", "10") == []


def test_a_criterion_with_product_any_never_matches() -> None:
    assert ids(None, "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*") == []


def test_cpe_is_used_for_nvd_only_advisories_of_a_purl_component() -> None:
    found = ids(
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*",
    )
    assert found == ["MVN-1", "CVE-LOG4J"]


def test_cpe_parsing_with_escapes_and_uri_form() -> None:
    name = parse_cpe(r"cpe:2.3:a:foo\:bar:baz\!:1.0:*:*:*:*:*:*:*")
    assert (name.unescaped_vendor, name.unescaped_product, name.version) == (
        "foo:bar",
        "baz!",
        "1.0",
    )
    assert parse_cpe("cpe:/a:apache:log4j:2.14.1") == parse_cpe(
        "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
    )
    for bad in ("cpe:2.3:x:a:b", "cpe:2.3:a:ve*ndor:b", "nope"):
        with pytest.raises(InvalidCpe):
            parse_cpe(bad)


@pytest.mark.parametrize(
    ("source", "target", "relation"),
    [
        ("*", "x", Relation.SUPERSET),
        ("x", "*", Relation.SUBSET),
        ("x", "x", Relation.EQUAL),
        ("-", "x", Relation.DISJOINT),
        ("x", "y", Relation.DISJOINT),
        ("fire*", "firefox", Relation.SUPERSET),
        ("fire?", "firefox", Relation.DISJOINT),
        ("x", "fire*", Relation.UNDEFINED),
    ],
)
def test_cpe_attribute_relations(source: str, target: str, relation: Relation) -> None:
    assert compare_attribute(source, target) is relation


@pytest.mark.parametrize(
    ("text", "base", "release"),
    [
        ("Debian:12", "Debian", "12"),
        ("Debian", "Debian", None),
        ("Alpine:v3.20", "Alpine", "3.20"),
        ("Ubuntu:22.04:LTS", "Ubuntu", "22.04"),
        ("Ubuntu:Pro:18.04:LTS", "Ubuntu", "18.04"),
        ("Red Hat:rhel_aus:8.4::appstream", "Red Hat", "8"),
        ("Maven:https://maven.google.com", "Maven", None),
    ],
)
def test_ecosystem_strings(text: str, base: str, release: str | None) -> None:
    reference = parse_ecosystem(text)
    assert (reference.base, reference.release) == (base, release)
