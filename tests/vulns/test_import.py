"""Feed imports through the service: every shared advisory file, idempotence, atomicity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medvigil.audit.models import AuditEvent
from medvigil.vulns import services
from medvigil.vulns.models import (
    Advisory,
    AffectedEntry,
    EpssScore,
    FeedImport,
    KevEntry,
    Vulnerability,
    VulnerabilityAlias,
)
from tests import factories
from tests.conftest import shared_data_directory

pytestmark = pytest.mark.django_db
DATA = shared_data_directory()
KINDS = ("osv", "nvd", "cve", "kev", "epss", "csaf")
SUFFIXES = (".json", ".yaml", ".yml", ".csv", ".gz", ".zip")
# Files that are not advisories at all: the service says so, naming the file.
NOT_RECORDS = {
    "kev/cisagov-kev-data/known_exploited_vulnerabilities_schema.json",
    "csaf/cisagov-CSAF/it/csaf_files/IT/white/cisa-csaf-it-feed-tlp-white.json",
    "csaf/oasis-tcs-csaf/examples/ROLIE/example-01-category.json",
    "csaf/oasis-tcs-csaf/examples/ROLIE/example-01-feed-tlp-white.json",
    "csaf/oasis-tcs-csaf/examples/ROLIE/example-01-service.json",
    "csaf/oasis-tcs-csaf/examples/ROLIE/example-02-service.json",
    "csaf/oasis-tcs-csaf/examples/aggregator/example-01-aggregator.json",
    "csaf/oasis-tcs-csaf/examples/aggregator/example-02-aggregator.json",
    "csaf/oasis-tcs-csaf/examples/aggregator/example-03-aggregator.json",
    "csaf/oasis-tcs-csaf/examples/provider-metadata/example-01-provider-metadata.json",
    "csaf/oasis-tcs-csaf/validator-testdata/testcases.json",
}


def data_files(kind: str) -> set[str]:
    return {
        str(path.relative_to(DATA))
        for path in (DATA / kind).rglob("*")
        if path.is_file() and path.name.lower().endswith(SUFFIXES)
    }


@pytest.mark.whole_corpus
def test_every_shared_advisory_file_is_imported_or_rejected_with_its_reason() -> None:
    results = {kind: factories.feed_import(DATA / kind) for kind in KINDS}
    rejected: dict[str, str] = {}
    for kind, result in results.items():
        for error in result.errors:
            name = str(Path(error["file"]).relative_to(DATA))
            assert error["reason"].startswith(error["file"]), error  # the reason names the file
            rejected[name] = error["reason"]
        accounted = result.counts["files"]
        assert accounted == len(data_files(kind)), f"{kind}: every data file is accounted for"

    not_records = {name for name, reason in rejected.items() if "not a vulnerability" in reason}
    assert not_records == NOT_RECORDS
    unreadable = set(rejected) - NOT_RECORDS
    # Only CSAF conformance documents that break a mandatory test are refused.
    assert unreadable
    assert all(name.startswith("csaf/oasis-tcs-csaf/validator-testdata/") for name in unreadable)
    assert len(unreadable) == 20
    # Each reason names the file and the JSON path of the wrong field.
    assert all(": $" in rejected[name] for name in unreadable), rejected

    assert results["osv"].counts["advisories created"] == 4527
    assert results["nvd"].counts["advisories read"] == 687  # 18 API 2.0 CVEs + 669 feed items
    assert results["cve"].counts["advisories read"] == 719
    assert results["kev"].counts["kev created"] == 1404
    assert KevEntry.objects.count() == 1404
    assert KevEntry.objects.exclude(catalog_version="2025.08.25").count() == 0
    assert EpssScore.objects.count() == 27
    assert results["csaf"].counts["advisories read"] > 300
    assert set(Advisory.objects.values_list("source", flat=True)) == {"osv", "nvd", "cve5", "csaf"}
    withdrawn = Advisory.objects.filter(source="osv", withdrawn__isnull=False).count()
    assert withdrawn == 23
    # Every advisory belongs to one group; every id and alias finds its group.
    assert not Advisory.objects.filter(vulnerability__isnull=True).exists()
    for advisory in Advisory.objects.filter(source="osv").order_by("?")[:50]:
        for name in [advisory.identifier, *advisory.aliases]:
            alias = VulnerabilityAlias.objects.get(identifier=name)
            assert alias.vulnerability_id == advisory.vulnerability_id

    # A second import of the same files changes nothing: no row is rewritten.
    before = {
        "advisories": list(Advisory.objects.order_by("pk").values_list("pk", "updated_at")),
        "entries": AffectedEntry.objects.count(),
        "vulnerabilities": Vulnerability.objects.count(),
        "kev": list(KevEntry.objects.order_by("pk").values_list("pk", "catalog_version")),
    }
    for kind in ("osv", "nvd", "kev", "epss"):
        again = factories.feed_import(DATA / kind)
        assert not any(
            key.endswith(("created", "updated")) and value for key, value in again.counts.items()
        ), again.counts
        assert again.changed_keys == []
    assert before == {
        "advisories": list(Advisory.objects.order_by("pk").values_list("pk", "updated_at")),
        "entries": AffectedEntry.objects.count(),
        "vulnerabilities": Vulnerability.objects.count(),
        "kev": list(KevEntry.objects.order_by("pk").values_list("pk", "catalog_version")),
    }


def test_a_rerun_counts_the_same_records_as_unchanged_and_audits_only_the_import() -> None:
    first = factories.feed_import(factories.demo_feed_folder())
    events = AuditEvent.objects.count()
    second = factories.feed_import(factories.demo_feed_folder())
    assert first.counts["advisories created"] == 10  # 5 OSV, 5 NVD
    assert second.counts["advisories unchanged"] == 10
    assert second.counts["advisories read"] == first.counts["advisories read"]
    assert second.counts["kev unchanged"] == first.counts["kev created"] == 50
    assert second.counts["epss unchanged"] == first.counts["epss created"] == 27
    actions = list(AuditEvent.objects.filter(sequence__gt=events).values_list("action", flat=True))
    assert actions == ["vulns.feed.imported"]


def osv_record(identifier: str, modified: str, **extra: object) -> bytes:
    record = {
        "id": identifier,
        "modified": modified,
        "aliases": ["CVE-2099-0001"],
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "left-pad"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}
                ],
            }
        ],
        **extra,
    }
    return json.dumps(record).encode()


def test_the_newest_modified_wins_and_older_records_are_not_written() -> None:
    factories.feed_import(osv_record("GHSA-test-0001", "2024-01-02T00:00:00Z", summary="new"))
    older = factories.feed_import(
        osv_record("GHSA-test-0001", "2023-01-01T00:00:00Z", summary="old"), name="old.json"
    )
    assert older.counts["advisories older"] == 1
    assert Advisory.objects.get(identifier="GHSA-test-0001").summary == "new"
    newer = factories.feed_import(
        osv_record("GHSA-test-0001", "2024-06-01T00:00:00Z", summary="newer"), name="n.json"
    )
    assert newer.counts["advisories updated"] == 1
    assert newer.changed_keys == [["package", "npm", "left-pad"]]
    assert Advisory.objects.get(identifier="GHSA-test-0001").summary == "newer"
    assert Vulnerability.objects.get().canonical_id == "CVE-2099-0001"


def test_a_failure_in_the_middle_of_a_batch_leaves_nothing_of_that_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = services.advisory_row
    calls = []

    def failing(item: object, stored: object) -> object:
        calls.append(item)
        if len(calls) == 4:  # the second record of the second batch
            raise RuntimeError("power cut")
        return real(item, stored)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "advisory_row", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        factories.feed_import(factories.demo_feed_folder() / "osv", batch_size=2)
    # The first batch (2 advisories) is committed; nothing of the second remains.
    assert Advisory.objects.count() == 2
    assert AffectedEntry.objects.filter(advisory__in=Advisory.objects.all()).count() == 2
    assert Vulnerability.objects.count() == 2
    failed = FeedImport.objects.get()
    assert failed.status == FeedImport.Status.FAILED
    assert "power cut" in failed.errors[-1]["reason"]
    # Run again without the failure: the rest arrives, nothing is duplicated.
    monkeypatch.setattr(services, "advisory_row", real)
    again = factories.feed_import(factories.demo_feed_folder() / "osv", batch_size=2)
    assert (again.counts["advisories created"], again.counts["advisories unchanged"]) == (3, 2)
    assert Advisory.objects.count() == 5


def test_bytes_and_zip_archives_are_read_like_folders(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as writer:
        for path in sorted((factories.demo_feed_folder() / "osv").glob("*.json")):
            writer.write(path, path.name)
        writer.writestr("broken.json", "{not json")
    result = factories.feed_import(archive.read_bytes(), name="all.zip")
    assert result.counts["advisories created"] == 5
    assert result.errors == [{"file": "all.zip!broken.json", "reason": result.errors[0]["reason"]}]
    assert "not readable as JSON" in result.errors[0]["reason"]
    assert result.status == FeedImport.Status.PARTIAL
