"""The component search language: what each query means, and what is refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.components import (
    MAXIMUM_QUERY_LENGTH,
    ComponentQuery,
    Constraint,
    InvalidQuery,
    QueryKind,
    component_ordering,
    parse_component_query,
)


@pytest.mark.parametrize(
    ("text", "kind", "key", "constraints"),
    [
        ("openssl", QueryKind.NAME, "openssl", ()),
        ("  OpenSSL ", QueryKind.NAME, "openssl", ()),
        ("openssl<3.0.8", QueryKind.NAME, "openssl", (Constraint("<", "3.0.8"),)),
        (
            "openssl >=1.1, <3.0.8",
            QueryKind.NAME,
            "openssl",
            (Constraint(">=", "1.1"), Constraint("<", "3.0.8")),
        ),
        ("zlib=1.2.13", QueryKind.NAME, "zlib", (Constraint("==", "1.2.13"),)),
        ("zlib != 1.2.13", QueryKind.NAME, "zlib", (Constraint("!=", "1.2.13"),)),
        ("@angular/core>=15", QueryKind.NAME, "@angular/core", (Constraint(">=", "15"),)),
        ("pkg:npm/lodash", QueryKind.PURL, "pkg:npm/lodash", ()),
        (
            "pkg:npm/lodash@4.17.20",
            QueryKind.PURL,
            "pkg:npm/lodash",
            (Constraint("==", "4.17.20"),),
        ),
        (
            "pkg:npm/lodash <4.17.21",
            QueryKind.PURL,
            "pkg:npm/lodash",
            (Constraint("<", "4.17.21"),),
        ),
        # The purl is normalised as imported components are: PEP 503 names, no qualifiers.
        ("pkg:pypi/Zope.Interface", QueryKind.PURL, "pkg:pypi/zope-interface", ()),
        (
            "pkg:rpm/redhat/openssl@1:3.0.7-18.el9_2?arch=x86_64",
            QueryKind.PURL,
            "pkg:rpm/redhat/openssl",
            (Constraint("==", "1:3.0.7-18.el9_2"),),
        ),
        (
            "cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",
            QueryKind.CPE,
            "openssl:openssl",
            (Constraint("==", "1.1.1k"),),
        ),
        ("cpe:/a:redhat:rhel_eus", QueryKind.CPE, "redhat:rhel_eus", ()),
        (
            "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:* <3",
            QueryKind.CPE,
            "openssl:openssl",
            (Constraint("<", "3"),),
        ),
    ],
)
def test_queries_read_as_documented(
    text: str, kind: QueryKind, key: str, constraints: tuple[Constraint, ...]
) -> None:
    query = parse_component_query(text)
    assert (query.kind, query.key, query.constraints) == (kind, key, constraints)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a component name, a purl or a CPE, e.g. openssl<3.0.8."),
        ("   ", "Type a component name, a purl or a CPE, e.g. openssl<3.0.8."),
        ("<3.0.8", "A query starts with a component name, a purl or a CPE."),
        ("openssl<", "'<' is not a version constraint"),
        ("openssl<<3", "'<<3' is not a version constraint"),
        ("openssl <3 >2", "'<3 >2' is not a version constraint"),
        ("openssl >=1.1,", "'' is not a version constraint"),
        ("open,ssl", "Commas separate version constraints; a name has none."),
        ("pkg:", "'pkg:' is not a package URL"),
        ("pkg:npm/lodash@4.17.20 <5", "A purl with a version (@…) names one version"),
        ("cpe:2.3:a:*:*", "A CPE query names a vendor and a product, without wildcards."),
        ("cpe:nonsense", "'cpe:nonsense' is not a CPE"),
        ("cpe:/a:openssl:openssl:1.0 <2", "A CPE with a version names one version"),
        ("openssl\x00", "A query is one line of text, without control characters."),
        ("a" * (MAXIMUM_QUERY_LENGTH + 1), "A query has at most 1000 characters."),
        ("openssl<" + "1" * 257, "A version has at most 256 characters."),
    ],
)
def test_bad_queries_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidQuery) as refused:
        parse_component_query(text)
    assert message in refused.value.message


def test_constraints_compare_in_the_components_own_ecosystem() -> None:
    below = parse_component_query("openssl<3.0.8")
    # RPM order: 3.0.7-18.el9_2 is below 3.0.8; Debian order for a deb purl.
    assert below.accepts("3.0.7-18.el9_2", "pkg:rpm/redhat/openssl@3.0.7-18.el9_2")
    assert below.accepts("1.1.1n-0+deb11u5", "pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u5")
    assert not below.accepts("3.0.8", "pkg:generic/openssl@3.0.8")
    # Without an ecosystem, the generic order: 1.1.1k is above 1.1.1 and below 3.0.8.
    assert below.accepts("1.1.1k")
    assert not parse_component_query("openssl<=1.1.1").accepts("1.1.1k")
    assert not below.accepts("")
    assert parse_component_query("openssl").accepts("")
    # npm: a prerelease is below its release; PyPI: 1.0 == 1.0.0.
    assert parse_component_query("lodash<4.17.21").accepts(
        "4.17.21-beta.1", "pkg:npm/lodash@4.17.21-beta.1"
    )
    assert parse_component_query("django==1.0").accepts("1.0.0", "pkg:pypi/django@1.0.0")
    assert parse_component_query("django!=1.0").accepts("1.0.1", "pkg:pypi/django@1.0.1")


def test_a_version_its_order_cannot_place_never_satisfies_a_constraint() -> None:
    assert not parse_component_query("openssl<3").accepts("latest", "pkg:rpm/redhat/openssl")
    assert not parse_component_query("openssl>=1").accepts("unknown", "pkg:rpm/redhat/openssl")
    # Equality still holds for the very same text.
    assert parse_component_query("openssl==latest").accepts("latest", "pkg:rpm/redhat/openssl")


def test_orderings_come_from_the_purl() -> None:
    assert component_ordering("pkg:rpm/redhat/openssl@3.0.7") == "rpm"
    assert component_ordering("pkg:deb/debian/openssl@3.0.7") == "debian"
    assert component_ordering("pkg:npm/lodash@1") == "npm"
    assert component_ordering("pkg:generic/openssl@3.0.7") == "generic"
    assert component_ordering("pkg:conan/openssl@3.0.7") == "generic"  # no OSV ordering
    assert component_ordering("") == "generic"
    assert component_ordering("not a purl") == "generic"


def test_cpe_queries_check_vendor_product_and_part() -> None:
    query = parse_component_query("cpe:2.3:a:pivotal_software:spring_framework:*:*:*:*:*:*:*:*")
    spring = "cpe:2.3:a:pivotal_software:spring_framework:4.1.0:*:*:*:*:*:*:*"
    assert query.accepts("4.1.0", cpe=spring)
    assert query.accepts("", cpe=spring)
    assert not query.accepts("4.1.0", cpe="cpe:2.3:a:pivotal_software:spring_boot:4.1.0")
    assert not query.accepts("4.1.0", cpe="")
    assert not parse_component_query("cpe:/o:pivotal_software:spring_framework").accepts(
        "4.1.0", cpe=spring
    )
    older = parse_component_query("cpe:2.3:a:pivotal_software:spring_framework:* <4.2")
    # The CPE's own version counts, whatever the component's version field says.
    assert older.accepts("", cpe=spring)
    assert older.accepts("5.0.0", cpe=spring)
    assert not older.accepts("", cpe=spring.replace("4.1.0", "5.0.0"))
    assert parse_component_query("cpe:/a:redhat:rhel_eus:9.2").accepts(
        "", cpe="cpe:/a:redhat:rhel_eus:9.2::baseos"
    )


def test_describe_gives_the_canonical_spelling() -> None:
    assert parse_component_query("OpenSSL >= 1.1 , < 3.0.8").describe() == "openssl >=1.1, <3.0.8"
    assert parse_component_query("cpe:/a:redhat:rhel_eus").describe() == "cpe redhat:rhel_eus"


@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        query = parse_component_query(text)
    except InvalidQuery as refused:
        message = refused.message
        assert message, text
        return
    assert isinstance(query, ComponentQuery)
    assert query.key
    query.accepts("1.0", "pkg:npm/x@1.0", "cpe:2.3:a:x:y:1.0")


@given(
    st.sampled_from(["openssl", "zlib", "pkg:npm/lodash", "pkg:deb/debian/openssl"]),
    st.lists(
        st.tuples(
            st.sampled_from(["<", "<=", ">", ">=", "==", "!="]),
            st.from_regex(r"[0-9][0-9a-z.+~-]{0,12}", fullmatch=True),
        ),
        max_size=4,
    ),
)
def test_written_constraints_read_back(target: str, constraints: list[tuple[str, str]]) -> None:
    text = target + (" " if constraints else "") + ", ".join(f"{o}{v}" for o, v in constraints)
    query = parse_component_query(text)
    assert query.constraints == tuple(Constraint(o, v) for o, v in constraints)
