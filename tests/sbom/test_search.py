"""The portfolio-wide component search on real SBOMs, through the selector, API and page."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client

from medvigil.platform.refusals import Refusal
from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.sbom import search
from medvigil.sbom.models import Component
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.sbom.test_import import SBOM_FOLDER

RED_HAT = SBOM_FOLDER / "spdx/redhat-via-trustify/spdx/rh/product_component"
OPENSSL = RED_HAT / "openssl-3.0.7-18.el9_2.spdx.json"
RHEL_EUS = RED_HAT / "rhel-9.2-eus.spdx.json"
JUICE_SHOP = SBOM_FOLDER / "cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json"
SPDX_EXAMPLE = SBOM_FOLDER / "spdx/spdx-spec-v2.3-examples/SPDXJSONExample-v2.3.spdx.json"


@pytest.fixture
def portfolio(db: None) -> dict[str, Any]:
    own, other = factories.team(), factories.team()
    pump = factories.sbom_version(owner=own, model_number="PUMP-1", version="1.0")
    pump_two = factories.sbom_version(owner=own, model_number="PUMP-1", version="2.0")
    monitor = factories.sbom_version(owner=other, model_number="MONITOR-1", version="5.0")
    factories.sbom_document(pump, OPENSSL, "operating-system")
    factories.sbom_document(pump, JUICE_SHOP, "application")
    factories.sbom_document(pump_two, RHEL_EUS, "operating-system")
    factories.sbom_document(monitor, OPENSSL, "operating-system")
    factories.sbom_document(monitor, SPDX_EXAMPLE, "application")
    return {
        "pump": pump,
        "pump_two": pump_two,
        "monitor": monitor,
        "engineer": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[own]),
        "administrator": factories.user(administrator=True),
    }


def found(person: Any, text: str) -> list[tuple[str, str, str, str]]:
    """(version, component name, component version, purl) of every match, on every page."""
    rows, cursor = [], None
    while True:
        result = search.search(person, text, cursor=cursor, limit=4)
        rows += [
            (
                hit.component.document.version.version,
                hit.component.name,
                hit.component.version,
                hit.component.purl.split("?")[0],
            )
            for hit in result.hits
        ]
        cursor = result.next_cursor
        if cursor is None:
            return rows


def test_a_name_finds_every_instance_in_the_visible_versions(portfolio: dict[str, Any]) -> None:
    rows = found(portfolio["engineer"], "OpenSSL")
    # Six RPMs (source and five architectures) and two upstream tarballs in 1.0, one in 2.0.
    assert [row[0] for row in rows] == ["1.0"] * 8 + ["2.0"]
    assert {row[1] for row in rows} == {"openssl"}
    assert rows.count(("1.0", "openssl", "3.0.7", "pkg:generic/openssl@3.0.7")) == 2
    everyone = found(portfolio["administrator"], "openssl")
    assert len(everyone) == 17  # the monitor of the other team as well
    result = search.search(portfolio["engineer"], "openssl")
    assert (result.total, result.version_count) == (9, 2)


def test_version_constraints_use_the_components_ecosystem(portfolio: dict[str, Any]) -> None:
    engineer = portfolio["engineer"]
    assert len(found(engineer, "openssl<3.0.8")) == 9
    assert found(engineer, "openssl<3.0.7") == []
    # RPM order: 3.0.7-18.el9_2 is above 3.0.7; the upstream 3.0.7 tarballs are not.
    above = found(engineer, "openssl>3.0.7")
    assert len(above) == 7
    assert all(row[2] == "3.0.7-18.el9_2" for row in above)
    assert len(found(engineer, "openssl >=3.0, <=3.0.7")) == 2
    assert found(engineer, "openssl>=3.1") == []


def test_a_purl_finds_the_package_with_or_without_a_version(portfolio: dict[str, Any]) -> None:
    engineer = portfolio["engineer"]
    rpms = found(engineer, "pkg:rpm/redhat/openssl")
    assert len(rpms) == 7
    assert {row[3] for row in rpms} == {"pkg:rpm/redhat/openssl@3.0.7-18.el9_2"}
    assert found(engineer, "pkg:npm/lodash@2.4.2") == [
        ("1.0", "lodash", "2.4.2", "pkg:npm/lodash@2.4.2")
    ]
    assert sorted(row[2] for row in found(engineer, "pkg:npm/lodash")) == ["2.4.2", "4.17.21"]
    assert [row[2] for row in found(engineer, "pkg:npm/lodash <4.17.21")] == ["2.4.2"]
    # The same name in another ecosystem is another package.
    assert found(engineer, "pkg:pypi/lodash") == []


def test_a_cpe_finds_components_by_vendor_and_product(portfolio: dict[str, Any]) -> None:
    administrator = portfolio["administrator"]
    spring = found(administrator, "cpe:2.3:a:pivotal_software:spring_framework:*:*:*:*:*:*:*:*")
    assert [row[0] for row in spring] == ["5.0"]
    assert found(administrator, "cpe:2.3:a:pivotal_software:spring_framework:* <4.1") == []
    assert len(found(administrator, "cpe:2.3:a:pivotal_software:spring_framework:4.1.0")) == 1
    eus = Component.objects.filter(cpe__startswith="cpe:/a:redhat:rhel_eus:9.2")
    assert eus.exists()
    rows = found(portfolio["engineer"], "cpe:/a:redhat:rhel_eus")
    assert len(rows) == eus.count()
    assert {row[0] for row in rows} == {"2.0"}
    assert found(portfolio["engineer"], "cpe:/a:redhat:rhel") == []


def test_people_see_only_the_versions_they_may_read(portfolio: dict[str, Any]) -> None:
    outsider = factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=[factories.team()])
    assert found(outsider, "openssl") == []
    hospital = factories.organisation()
    customer = factories.user(roles=[Role.CUSTOMER.value], organisation=hospital)
    assert found(customer, "openssl") == []
    researcher = factories.user(roles=[Role.RESEARCHER.value])
    supplier = factories.user(
        roles=[Role.SUPPLIER.value], organisation=factories.organisation("supplier")
    )
    for person in (researcher, supplier):
        with pytest.raises(PermissionDenied):
            search.search(person, "openssl")


def test_a_customer_finds_components_in_the_versions_it_has_deployed(
    portfolio: dict[str, Any],
) -> None:
    hospital = factories.organisation()
    product = portfolio["pump"].product
    deployed = factories.version(product, label="0.9", phase="deployed")
    portfolio_services.set_installed_base(deployed, user=None, count=20)
    portfolio_services.record_deployment(deployed, user=None, organisation=hospital, units=4)
    factories.sbom_document(deployed, RHEL_EUS, "operating-system")
    customer = factories.user(roles=[Role.CUSTOMER.value], organisation=hospital)
    assert found(customer, "openssl") == [
        ("0.9", "openssl", "3.0.7-18.el9_2", "pkg:rpm/redhat/openssl@3.0.7-18.el9_2")
    ]
    assert len(found(portfolio["engineer"], "openssl")) == 10


def test_each_hit_says_where_its_version_is_deployed_to_whom_may_see_it(
    portfolio: dict[str, Any],
) -> None:
    pump = factories.version(portfolio["pump"].product, label="0.9", phase="deployed")
    factories.sbom_document(pump, RHEL_EUS, "operating-system")
    north, south = factories.organisation(), factories.organisation()
    portfolio_services.set_installed_base(pump, user=None, count=30)
    portfolio_services.record_deployment(pump, user=None, organisation=south, units=12)
    portfolio_services.record_deployment(pump, user=None, organisation=north, units=1)
    places = {
        (hit.component.document.version.pk, hit.deployed_at)
        for hit in search.search(portfolio["engineer"], "openssl").hits
    }
    expected = tuple(sorted([(north.name, 1), (south.name, 12)]))
    assert places == {
        (portfolio["pump"].pk, ()),
        (portfolio["pump_two"].pk, ()),
        (pump.pk, expected),
    }
    # A customer sees its own organisation's units, never another customer's.
    customer = factories.user(roles=[Role.CUSTOMER.value], organisation=north)
    seen = {hit.deployed_at for hit in search.search(customer, "openssl").hits}
    assert seen == {((north.name, 1),)}
    body = as_user(customer).get("/api/v1/sbom/components/search?q=openssl").json()
    assert {str(item["deployed_at"]) for item in body["items"]} == {
        str([{"organisation": north.name, "units": 1}])
    }
    page = as_user(portfolio["engineer"]).get("/sbom/components/", {"q": "openssl"})
    assert f"{south.name} (12 units)" in page.content.decode()


def test_open_findings_are_counted_per_component(portfolio: dict[str, Any]) -> None:
    factories.feed_import(factories.demo_feed_folder())
    matching.match_version(portfolio["pump"])
    result = search.search(portfolio["engineer"], "minimist", limit=50)
    assert result.hits
    for hit in result.hits:
        expected = Finding.objects.filter(component=hit.component, state="open").count()
        assert hit.open_findings == expected
    assert sum(hit.open_findings or 0 for hit in result.hits) > 0
    # No findings for a component that no advisory names.
    assert {hit.open_findings for hit in search.search(portfolio["engineer"], "openssl").hits} == {
        0
    }


def test_bad_queries_and_cursors_are_refused(portfolio: dict[str, Any]) -> None:
    with pytest.raises(Refusal) as refused:
        search.search(portfolio["engineer"], "openssl<")
    assert refused.value.errors[0].location[-1] == "q"
    with pytest.raises(Refusal):
        search.search(portfolio["engineer"], "openssl", cursor="forged")


def test_name_lookups_are_index_driven(portfolio: dict[str, Any]) -> None:
    query = search.read_query("openssl<3.0.8")
    candidates = search.candidates(query, Component.objects.all()).values("id")
    cpe = search.candidates(search.read_query("cpe:/a:redhat:rhel_eus"), Component.objects.all())
    if connection.vendor == "sqlite":
        for rows, index in (
            (candidates, "sbom_component_name_folded"),
            (cpe.values("id"), "sbom_component_cpe_folded"),
        ):
            sql, parameters = rows.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)
                plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert f"USING INDEX {index}" in plan
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'sbom_component'")
            definitions = " ".join(row[0] for row in cursor.fetchall())
        assert "lower(name)" in definitions
        assert 'lower(cpe) COLLATE "C"' in definitions


def as_user(person: Any) -> Client:
    return factories.sign_in(Client(), person)


def test_the_api_answers_with_products_versions_documents_and_pages(
    portfolio: dict[str, Any],
) -> None:
    client = as_user(portfolio["engineer"])
    url = "/api/v1/sbom/components/search?" + urlencode({"q": "openssl>3.0.7", "limit": 5})
    first = client.get(url)
    assert first.status_code == 200, first.content
    body = first.json()
    assert (body["query"], body["kind"], body["total"], body["version_count"]) == (
        "openssl >3.0.7",
        "name",
        7,
        2,
    )
    item = body["items"][0]
    assert item["product"]["model_number"] == "PUMP-1"
    assert item["version"] == {
        "id": portfolio["pump"].pk,
        "version": "1.0",
        "phase": "design",
        "phase_label": "Design",
    }
    assert item["component"]["name"] == "openssl"
    assert item["component"]["version"] == "3.0.7-18.el9_2"
    assert item["component"]["purl"].startswith("pkg:rpm/redhat/openssl@3.0.7-18.el9_2")
    assert item["document"]["filename"] == OPENSSL.name
    assert item["open_findings"] == 0
    second = client.get(url + "&" + urlencode({"cursor": body["next_cursor"]})).json()
    assert second["next_cursor"] is None
    ids = [row["component"]["id"] for row in body["items"] + second["items"]]
    assert len(ids) == len(set(ids)) == 7


def test_the_api_refuses_a_bad_query_as_a_problem(portfolio: dict[str, Any]) -> None:
    client = as_user(portfolio["engineer"])
    response = client.get("/api/v1/sbom/components/search?" + urlencode({"q": "pkg:"}))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["errors"][0]["location"][-1] == "q"
    assert "is not a package URL" in body["errors"][0]["message"]


def test_the_page_shows_the_matches_and_the_reason_for_a_refusal(
    portfolio: dict[str, Any],
) -> None:
    client = as_user(portfolio["engineer"])
    empty = client.get("/sbom/components/")
    assert empty.status_code == 200
    assert b'name="q"' in empty.content
    page = client.get("/sbom/components/", {"q": "pkg:npm/lodash <4.17.21"})
    text = page.content.decode()
    assert 'data-total="1"' in text
    assert "pkg:npm/lodash@2.4.2" in text
    assert JUICE_SHOP.name in text
    assert f"/products/versions/{portfolio['pump'].pk}/" in text
    refused = client.get("/sbom/components/", {"q": "openssl >=1.1,"}).content.decode()
    assert "is not a version constraint" in refused
    assert "data-total" not in refused
    navigation = client.get("/").content.decode()
    assert 'href="/sbom/components/"' in navigation


def test_a_name_or_purl_ending_in_a_star_finds_every_one_starting_so(
    portfolio: dict[str, Any],
) -> None:
    engineer = portfolio["engineer"]
    names = {row[1] for row in found(engineer, "openssl*")}
    assert "openssl" in names
    assert {name for name in names if not name.startswith("openssl")} == set()
    assert names > {"openssl"}  # openssl-libs and the others of the RPMs
    assert {row[1] for row in found(engineer, "OpenSSL-L*")} == {
        "openssl-libs",
        "openssl-libs-debuginfo",
    }
    # Juice Shop's scoped npm packages, by their namespace (the @ is encoded in purls).
    scoped = found(engineer, "pkg:npm/@babel/*")
    assert scoped
    assert all(row[3].startswith("pkg:npm/%40babel/") for row in scoped)
    everything_npm = found(engineer, "pkg:npm/*")
    assert len(everything_npm) > len(scoped)
    assert all(row[3].startswith("pkg:npm/") for row in everything_npm)
    # Constraints still apply after the star, in each component's own ordering.
    assert len(found(engineer, "openssl* <3.0.8")) == len(found(engineer, "openssl*"))
    assert found(engineer, "openssl* <3.0.7") == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("o*", "at least 2 characters"),
        ("open*ssl", "may only end a name"),
        ("pkg:npm/lo*dash", "may only end a purl"),
        ("pkg:npm/lodash@4*", "without @"),
        ("pkg:*", "does not start a package URL"),
    ],
)
def test_a_misplaced_star_is_refused_with_the_reason(
    portfolio: dict[str, Any], query: str, reason: str
) -> None:
    with pytest.raises(Refusal, match=reason):
        search.search(portfolio["engineer"], query)
