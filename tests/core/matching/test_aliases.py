"""Alias groups over the real shared OSV records and over hand-made ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medvigil.core.advisories.model import Advisory
from medvigil.core.advisories.osv import read_osv_json, read_osv_yaml
from medvigil.core.matching.aliases import canonical_id, group_aliases, groups_of

MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


def record(shared_data: Path, name: str) -> Advisory:
    path = next((shared_data / "osv").rglob(name))
    reader = read_osv_yaml if path.suffix == ".yaml" else read_osv_json
    return reader(path.read_bytes(), source=path.name)


def advisory(identifier: str, *aliases: str) -> Advisory:
    return Advisory(id=identifier, source="test", modified=MODIFIED, aliases=aliases)


def test_one_pypa_record_makes_a_pysec_ghsa_cve_trio(shared_data: Path) -> None:
    groups = group_aliases([record(shared_data, "PYSEC-2019-26.yaml")])
    assert groups.group_of("PYSEC-2019-26") == "CVE-2019-1020019"
    assert groups.group_of("GHSA-j9m2-6hq2-4r3c") == "CVE-2019-1020019"
    assert groups.members("CVE-2019-1020019") == (
        "CVE-2019-1020019",
        "GHSA-j9m2-6hq2-4r3c",
        "PYSEC-2019-26",
    )


def test_go_and_ghsa_records_join_even_when_only_one_names_the_other(shared_data: Path) -> None:
    go = record(shared_data, "GO-2021-0113.json")
    ghsa = record(shared_data, "GHSA-ppp9-7jff-5vj2.json")
    assert "GO-2021-0113" not in ghsa.aliases  # the GHSA record does not name the GO one
    for order in ([go, ghsa], [ghsa, go]):
        groups = group_aliases(order)
        assert len(groups) == 1
        assert groups.group_of("GO-2021-0113") == "CVE-2021-38561"
        assert groups.group_of("GHSA-ppp9-7jff-5vj2") == "CVE-2021-38561"
        assert groups.members("GO-2021-0113") == (
            "CVE-2021-38561",
            "GHSA-ppp9-7jff-5vj2",
            "GO-2021-0113",
        )


def test_related_records_stay_apart(shared_data: Path) -> None:
    first = record(shared_data, "RUSTSEC-2016-0001.json")
    second = record(shared_data, "RUSTSEC-2016-0002.json")
    assert ("related", "RUSTSEC-2016-0001") in second.extras
    groups = group_aliases([first, second])
    assert groups.group_of("RUSTSEC-2016-0001") == "CVE-2016-10931"
    assert groups.group_of("RUSTSEC-2016-0002") == "CVE-2016-10932"


def test_upstream_is_not_an_alias(shared_data: Path) -> None:
    ubuntu = record(shared_data, "UBUNTU-CVE-2023-4004.json")
    assert ("upstream", "CVE-2023-4004") in ubuntu.extras
    groups = group_aliases([ubuntu, advisory("CVE-2023-4004")])
    assert groups.group_of("UBUNTU-CVE-2023-4004") == "UBUNTU-CVE-2023-4004"
    assert groups.group_of("CVE-2023-4004") == "CVE-2023-4004"


@pytest.mark.whole_corpus
def test_every_shared_osv_record_is_grouped_consistently(shared_data: Path) -> None:
    paths = [
        path
        for path in sorted((shared_data / "osv").rglob("*"))
        if path.suffix in {".json", ".yaml"} and path.is_file()
    ]
    advisories = [
        (read_osv_yaml if path.suffix == ".yaml" else read_osv_json)(
            path.read_bytes(), source=path.name
        )
        for path in paths
    ]
    groups = group_aliases(advisories)
    assert len(advisories) > 4000
    for item in advisories:
        group = groups.group_of(item.id)
        assert item.id in groups.members(group)
        for alias in item.aliases:
            assert groups.group_of(alias) == group
    # Groups partition the ids: no id sits in two groups.
    seen = [member for group in groups.groups.values() for member in group]
    assert len(seen) == len(set(seen))
    # Stored groups (the scanner's index file) read back as the same groups, the same names.
    several = [members for members in groups.groups.values() if len(members) > 1]
    stored = groups_of(several)
    assert all(stored.group_of(name) == groups.group_of(name) for name in groups.canonical)
    assert all(stored.members(name) == groups.members(name) for name in groups.canonical)


def test_transitive_chain_and_canonical_choice() -> None:
    groups = group_aliases([advisory("GHSA-b", "PYSEC-c"), advisory("PYSEC-c", "GO-d")])
    assert groups.members("GO-d") == ("GHSA-b", "GO-d", "PYSEC-c")
    assert groups.group_of("GO-d") == "GHSA-b"  # no CVE: the smallest id


def test_two_cves_fall_back_to_the_smallest_id() -> None:
    groups = group_aliases([advisory("GHSA-x", "CVE-2024-2", "CVE-2024-1")])
    assert groups.group_of("GHSA-x") == "CVE-2024-1"
    assert canonical_id(["GHSA-x", "CVE-2024-2", "CVE-2024-1"]) == "CVE-2024-1"


def test_unknown_ids_are_their_own_group() -> None:
    groups = group_aliases([])
    assert groups.group_of("CVE-2020-1") == "CVE-2020-1"
    assert groups.members("CVE-2020-1") == ("CVE-2020-1",)


identifiers = st.sampled_from([f"ID-{number}" for number in range(12)])


@given(st.lists(st.tuples(identifiers, st.lists(identifiers, max_size=3)), max_size=12))
def test_grouping_is_symmetric_transitive_and_order_free(
    edges: list[tuple[str, list[str]]],
) -> None:
    records = [advisory(identifier, *aliases) for identifier, aliases in edges]
    groups = group_aliases(records)
    reversed_groups = group_aliases(list(reversed(records)))
    for identifier, aliases in edges:
        for alias in aliases:
            assert groups.group_of(alias) == groups.group_of(identifier)
    for member in groups.canonical:
        assert groups.group_of(member) == reversed_groups.group_of(member)
        assert groups.members(member) == reversed_groups.members(member)
