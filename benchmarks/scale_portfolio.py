"""Build a manufacturer's portfolio at scale: products x versions x components, findings, audit.

Run (PostgreSQL, a fresh database; sizes default to a mid-sized manufacturer's portfolio):

    MEDVIGIL_HOME=$(mktemp -d) tools/with-postgres sh -c \\
      '.venv/bin/python -m medvigil migrate && .venv/bin/python benchmarks/scale_portfolio.py'

`--products 200 --versions 5 --components 1000 --advisories 25000` is about
1,000,000 component instances, 1,000,000 findings and 1,000,000 audit events;
`--scale 0.05` (or smaller explicit sizes) builds a small one.

How it stays consistent with the services, and where it takes bulk paths:

- Advisories go through `vulns.services.import_feed` (the real import): the real
  KEV catalog from ../shared/data, then synthetic OSV records for npm packages
  `scale-lib-N` (four advisories each, affected below 2.0.0; some carry CVE ids of
  the KEV catalog, so KEV filters have work) and `scale-hot` (one advisory).
- Teams, products, versions, deployments and people go through their services.
- The first product's versions get one CycloneDX SBOM each through
  `sbom.services.import_sbom`, matched by the real matcher (`match_version`), which
  writes findings and their audit events.
- The other products' versions are bulk copies of those: the SBOM document row,
  its components, their match keys, and the findings the matcher would write for
  the same components (matching reads only a component's purl and version), each
  with its `vulns.finding.opened` audit event. Audit events are appended in
  sequence with the chain's own hash (`audit.chain.event_hash`) under the chain
  lock, so `medvigil audit verify` holds. Copies keep every constraint (one
  finding per vulnerability, component and version; component references once per
  document). Stored SBOM files are shared by the copies of a document.
- `scale-hot` sits many times in every version (nested copies, as in a
  node_modules tree), so one vulnerability has a finding on ~10% of all instances,
  as the 95,698-finding vulnerability of the issue.
- A disclosure case is submitted through `disclosure.services.submit_report`; the
  dashboard tallies are recounted (`vulns.tallies.recount`).

Not built: triage decisions, VEX, risk files, reports (their lists are empty).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "src"))

KEV_FILE = (
    REPOSITORY.parent / "shared/data/kev/cisagov-kev-data/known_exploited_vulnerabilities.json"
)
HOT_COPIES_SHARE = 0.1  # of a version's components: nested copies of `scale-hot`
VULNERABLE_SHARE = 0.25  # of the other components: a version below 2.0.0 (4 advisories each)
CASE_TEXT = (
    "Our scan of the Scale device 000 firmware found scale-lib-7 and scale-hot bundled in "
    "its web interface (pkg:npm/scale-lib-11@1.0.0). An unauthenticated request crashes "
    "the service. Steps: send a long header. Impact: denial of service."
)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    django.setup()


def osv_record(number: int, package: str, cve: str) -> dict[str, Any]:
    return {
        "schema_version": "1.6.0",
        "id": f"MVSCALE-{number:06d}",
        "aliases": [cve],
        "modified": "2026-01-01T00:00:00Z",
        "published": "2025-06-01T00:00:00Z",
        "summary": f"Synthetic flaw {number} in {package}",
        "details": "Generated for the scale benchmark.",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": package},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "2.0.0"}]}],
            }
        ],
    }


def import_advisories(advisories: int, folder: Path) -> int:
    """KEV (real), then `advisories` synthetic OSV records through the feed import."""
    # Imported once Django is set up (`setup()`), as every function here.
    from medvigil.vulns import services

    kev_ids = []
    if KEV_FILE.exists():
        services.import_feed(KEV_FILE, "auto", rematch=False)
        catalog = json.loads(KEV_FILE.read_text())
        kev_ids = [entry["cveID"] for entry in catalog["vulnerabilities"]]
    osv = folder / "osv"
    osv.mkdir()
    packages = max(1, (advisories - 1) // 4)
    for number in range(advisories):
        package = "scale-hot" if number == 0 else f"scale-lib-{(number - 1) % packages}"
        # One advisory in 25 is known to be exploited: it carries a KEV catalog CVE id.
        cve = (
            kev_ids[number // 25 % len(kev_ids)]
            if kev_ids and number % 25 == 3
            else f"CVE-2090-{number:06d}"
        )
        record = osv_record(number, package, cve)
        (osv / f"{record['id']}.json").write_text(json.dumps(record))
    services.import_feed(osv, "auto", rematch=False)
    return packages


def template_sbom(index: int, components: int, packages: int) -> bytes:
    """A CycloneDX SBOM for version `index`: hot copies, vulnerable and fixed packages."""
    chooser = random.Random(index)
    hot = max(1, int(components * HOT_COPIES_SHARE))
    listed = []
    for copy in range(hot):
        listed.append(("scale-hot", f"1.{index}.{copy}"))
    names = chooser.sample(range(packages), min(packages, components - hot))
    for position, package in enumerate(names):
        vulnerable = position < int(len(names) * VULNERABLE_SHARE)
        listed.append((f"scale-lib-{package}", f"{1 if vulnerable else 2}.{index}.0"))
    while len(listed) < components:
        listed.append((f"scale-safe-{len(listed)}", "1.0.0"))
    document = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        "version": 1,
        "metadata": {
            "timestamp": "2026-01-01T00:00:00Z",
            "component": {"type": "firmware", "name": "scale-firmware", "version": str(index)},
        },
        "components": [
            {
                "type": "library",
                "bom-ref": f"component-{position}",
                "name": name,
                "version": version,
                "purl": f"pkg:npm/{name}@{version}",
            }
            for position, (name, version) in enumerate(listed)
        ],
    }
    return json.dumps(document).encode()


class Chain:
    """Appends audit events in bulk, hash-chained as `audit.services.record` does."""

    def __init__(self) -> None:
        # Imported once Django is set up (`setup()`), as every function here.
        from medvigil.audit import chain
        from medvigil.audit.models import AuditEvent

        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        self.sequence = last["sequence"] if last else 0
        self.hash = last["hash"] if last else chain.GENESIS_HASH

    def events(self, rows: list[dict[str, Any]]) -> list[Any]:
        # Imported once Django is set up (`setup()`), as every function here.
        from django.utils import timezone

        from medvigil.audit import chain
        from medvigil.audit.models import AuditEvent
        from medvigil.audit.services import json_safe

        made = []
        for row in rows:
            self.sequence += 1
            fields = {
                "sequence": self.sequence,
                "occurred_at": timezone.now(),
                "actor_id": None,
                "actor_label": "vulnerability matching",
                "token_id": None,
                "changes": {},
                "request_id": "",
                "client_address": "",
                **row,
            }
            fields["details"] = json_safe(fields["details"])
            digest = chain.event_hash(self.hash, fields)
            made.append(AuditEvent(**fields, previous_hash=self.hash, hash=digest))
            self.hash = digest
        return made


def copy_version(template: Any, target: Any) -> tuple[int, int]:
    """Copy the template version's SBOM, components, keys and findings onto `target`."""
    # Imported once Django is set up (`setup()`), as every function here.
    from django.db import transaction

    from medvigil.audit.models import AuditEvent
    from medvigil.audit.services import lock_chain
    from medvigil.sbom.models import Component, SbomDocument
    from medvigil.vulns.models import ComponentMatchKey, Finding

    new_id: dict[int, int] = {}
    copied = 0
    with transaction.atomic():
        lock_chain()
        chain = Chain()  # read under the lock: services append events between copies
        for document in SbomDocument.objects.filter(version=template):
            components = list(Component.objects.filter(document=document).order_by("pk"))
            old_ids = [component.pk for component in components]
            document.pk = None
            document.version = target
            document.save()
            for component in components:
                component.pk = None
                component.document = document
            Component.objects.bulk_create(components, batch_size=5000)
            new_id.update(zip(old_ids, [component.pk for component in components], strict=True))
            copied += len(components)
            keys = list(ComponentMatchKey.objects.filter(component_id__in=old_ids))
            for key in keys:
                key.pk = None
                key.component_id = new_id[key.component_id]
            ComponentMatchKey.objects.bulk_create(keys, batch_size=5000)
        findings = list(Finding.objects.filter(version=template).order_by("pk"))
        for finding in findings:
            finding.pk = None
            finding.version = target
            finding.component_id = new_id.get(finding.component_id)
        Finding.objects.bulk_create(findings, batch_size=5000)
        events = chain.events(
            [
                {
                    "action": "vulns.finding.opened",
                    "object_type": "vulns.finding",
                    "object_id": str(finding.pk),
                    "object_label": str(finding)[:255],
                    "details": {
                        "advisories": [entry["advisory"] for entry in finding.provenance],
                        "version": target.pk,
                    },
                }
                for finding in findings
            ]
        )
        AuditEvent.objects.bulk_create(events, batch_size=5000)
    return copied, len(findings)


def people(teams: list[Any], organisation: Any) -> dict[str, Any]:
    # Imported once Django is set up (`setup()`), as every function here.
    from tests import factories

    from medvigil.platform.roles import Role

    return {
        "administrator": factories.user(administrator=True),
        "product_security": factories.user(roles=[Role.PRODUCT_SECURITY.value], teams=teams),
        "psirt": factories.user(roles=[Role.PSIRT.value], teams=teams),
        "customer": factories.user(roles=[Role.CUSTOMER.value], organisation=organisation),
    }


def build(
    products: int, versions: int, components: int, advisories: int, *, say: Any = print
) -> dict[str, Any]:
    """Build the portfolio in the configured database; returns what the benchmark needs."""
    # Imported once Django is set up (`setup()`), as every function here.
    from tests import factories

    from medvigil.audit.context import Actor, acting_as
    from medvigil.disclosure.intake import services as disclosure_services
    from medvigil.portfolio import services as portfolio_services
    from medvigil.sbom import services as sbom_services
    from medvigil.vulns import matching, tallies

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        packages = import_advisories(advisories, Path(folder))
    say(f"advisories imported: {advisories} ({time.perf_counter() - started:.0f} s)")
    teams = [factories.team(f"Scale team {number}") for number in range(4)]
    hospital = factories.organisation("customer", "Scale hospital")
    templates = []
    instances = findings = 0
    for product_number in range(products):
        product = factories.product(
            owner=teams[product_number % len(teams)],
            name=f"Scale device {product_number:03d}",
            model_number=f"SD-{product_number:03d}",
        )
        for index in range(versions):
            version = factories.version(product, label=f"{index + 1}.0", phase="deployed")
            if product_number % 10 == 0:
                portfolio_services.set_installed_base(version, user=None, count=10)
                portfolio_services.record_deployment(
                    version, user=None, organisation=hospital, units=3
                )
            if product_number == 0:
                sbom = template_sbom(index, components, packages)
                sbom_services.import_sbom(version, sbom, f"v{index}.cdx.json", "firmware", None)
                with acting_as(Actor(label="vulnerability matching")):
                    matching.match_version(version)
                templates.append(version)
                continue
            made, found = copy_version(templates[index], version)
            instances += made
            findings += found
        if product_number % 10 == 0:
            elapsed = time.perf_counter() - started
            say(f"product {product_number + 1}/{products}: {elapsed:.0f} s")
    members = people(teams, hospital)
    case = disclosure_services.submit_report(
        disclosure_services.ReportData(title="Crash in the web interface", description=CASE_TEXT),
        reporter_user=None,
        address="198.51.100.7",
    ).case
    tallies.recount()
    say(f"built in {time.perf_counter() - started:.0f} s")
    built = {"people": members, "case": case, "templates": templates}
    save_description(built)
    return built


def description_file() -> Path:
    # Imported once Django is set up (`setup()`), as every function here.
    from django.conf import settings

    return Path(settings.MEDVIGIL_HOME) / "scale-fixture.json"


def save_description(built: dict[str, Any]) -> None:
    """What the load benchmark signs in as and asks for, beside the database's home."""
    # Imported once Django is set up (`setup()`), as every function here.
    from medvigil.vulns.models import VulnerabilityAlias

    hot = VulnerabilityAlias.objects.get(identifier="MVSCALE-000000").vulnerability
    template = built["templates"][0]
    description = {
        "people": {name: person.pk for name, person in built["people"].items()},
        "case": built["case"].pk,
        "version": template.pk,
        "product": template.product_id,
        "hot_vulnerability": hot.canonical_id,
    }
    description_file().write_text(json.dumps(description, indent=1))


def counts() -> dict[str, int]:
    # Imported once Django is set up (`setup()`), as every function here.
    from medvigil.audit.models import AuditEvent
    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.sbom.models import Component
    from medvigil.vulns.models import Advisory, Finding

    return {
        "products": Product.objects.count(),
        "versions": ProductVersion.objects.count(),
        "component instances": Component.objects.count(),
        "findings": Finding.objects.count(),
        "advisories": Advisory.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of products/advisories")
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--versions", type=int, default=5)
    parser.add_argument("--components", type=int, default=1000)
    parser.add_argument("--advisories", type=int, default=25000)
    arguments = parser.parse_args()
    setup()
    products = max(2, round(arguments.products * arguments.scale))
    advisories = max(20, round(arguments.advisories * arguments.scale))
    build(products, arguments.versions, arguments.components, advisories)
    for name, value in counts().items():
        print(f"{name}: {value:,}")


if __name__ == "__main__":
    main()
