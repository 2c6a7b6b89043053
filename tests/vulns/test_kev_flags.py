"""`Vulnerability.kev_listed` says what the KEV catalog says about any id of the group."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef

from medvigil.vulns import kev_flags
from medvigil.vulns.models import KevEntry, Vulnerability, VulnerabilityAlias
from tests import factories
from tests.conftest import shared_data_directory

pytestmark = pytest.mark.django_db


def former_kev() -> Exists:
    """The test the column replaced: a KEV entry for any alias of the group."""
    return Exists(
        KevEntry.objects.filter(
            cve_id__in=VulnerabilityAlias.objects.filter(
                vulnerability_id=OuterRef(OuterRef("pk"))
            ).values("identifier")
        )
    )


def assert_flags_agree() -> None:
    rows = Vulnerability.objects.annotate(former=former_kev())
    assert {(row.canonical_id, row.kev_listed) for row in rows} == {
        (row.canonical_id, row.former) for row in rows
    }


def test_advisories_then_the_real_kev_catalog_flag_the_listed_group() -> None:
    data = shared_data_directory()
    crates = data / "osv/crates.io/rustsec-advisory-db-osv-branch/crates"
    factories.feed_import(crates / "RUSTSEC-2023-0060.json")  # libwebp: CVE-2023-4863
    factories.feed_import(factories.demo_feed_folder())
    assert not Vulnerability.objects.filter(kev_listed=True).exists()
    factories.feed_import(data / "kev/cisagov-kev-data/known_exploited_vulnerabilities.json")
    webp = Vulnerability.objects.get(aliases__identifier="CVE-2023-4863")
    assert webp.kev_listed
    factories.feed_import(crates / "RUSTSEC-2023-0061.json")  # joins the same group
    assert Vulnerability.objects.get(aliases__identifier="RUSTSEC-2023-0061").kev_listed
    assert_flags_agree()
    assert Vulnerability.objects.filter(kev_listed=False).exists()


def test_a_group_that_gains_or_loses_a_listed_id_follows() -> None:
    data = shared_data_directory()
    factories.feed_import(data / "kev/cisagov-kev-data/known_exploited_vulnerabilities.json")
    factories.feed_import(
        data / "osv/crates.io/rustsec-advisory-db-osv-branch/crates/RUSTSEC-2023-0060.json"
    )
    factories.feed_import(factories.demo_feed_folder())
    listed = Vulnerability.objects.get(kev_listed=True)
    unlisted = Vulnerability.objects.filter(kev_listed=False).first()
    assert unlisted is not None
    # Regrouping moves the listed ids over to another group.
    VulnerabilityAlias.objects.filter(vulnerability=listed).update(vulnerability=unlisted)
    assert kev_flags.refresh([listed.pk, unlisted.pk]) == 2
    listed.refresh_from_db()
    unlisted.refresh_from_db()
    assert (listed.kev_listed, unlisted.kev_listed) == (False, True)
    assert_flags_agree()
