"""The demo step: the toolkit vendor's OpenVEX becomes proposals on the companion app."""

from __future__ import annotations

import pytest

from medvigil.triage.models import Proposal
from medvigil.vex.demo import import_demo_vex
from medvigil.vulns import matching
from tests import factories
from tests.vex.conftest import AIC_SBOM

pytestmark = pytest.mark.django_db


def test_the_demo_vex_proposes_on_the_companion_app() -> None:
    factories.feed_import(factories.demo_feed_folder())
    product = factories.product(name="Companion app", model_number="AIC-APP")
    version = factories.version(product, label="1.2.0", phase="deployed")
    matching.match_document(factories.sbom_document(version, AIC_SBOM, role="application"))
    report = import_demo_vex()
    assert (
        report[0] == "no demo version AIC-APP 1.2.0: VEX not imported"
        or "2 proposal(s)" in (report[0])
    )
    proposals = {row.vulnerability.canonical_id: row for row in Proposal.objects.all()}
    # minimist is named as a subcomponent of mkdirp; minimatch as the product itself.
    assert proposals["CVE-2021-44906"].component_name == "minimist"
    assert proposals["CVE-2021-44906"].justification == (
        "vulnerable_code_cannot_be_controlled_by_adversary"
    )
    assert proposals["CVE-2022-3517"].status == "affected"
    assert "OpenVEX from Editor Toolkit Vendor" in proposals["CVE-2022-3517"].source_label
    assert import_demo_vex() == ["no demo version AIC-APP 1.3.0: VEX not imported"]
