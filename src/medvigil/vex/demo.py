"""Demo: a component vendor's OpenVEX for the companion app, imported as triage proposals."""

from __future__ import annotations

import hashlib
from importlib import resources

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.portfolio.models import ProductVersion
from medvigil.vex import services
from medvigil.vex.models import SupplierVex

DEMO_DOCUMENT = "aic-app-toolkit.openvex.json"
DEMO_VERSIONS = (("AIC-APP", "1.2.0"), ("AIC-APP", "1.3.0"))


@register_demo_step
def import_demo_vex() -> list[str]:
    content = resources.files("medvigil.vex").joinpath("demo_data", DEMO_DOCUMENT).read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    report = []
    with acting_as(Actor(label="demo")):
        for model_number, version_name in DEMO_VERSIONS:
            version = ProductVersion.objects.filter(
                product__model_number=model_number, version=version_name
            ).first()
            if version is None:
                report.append(f"no demo version {model_number} {version_name}: VEX not imported")
                continue
            if SupplierVex.objects.filter(version=version, sha256=digest).exists():
                continue
            document = services.import_vex(version, content, DEMO_DOCUMENT, None)
            report.append(
                f"imported {DEMO_DOCUMENT} into {version}: {document.proposal_count} proposal(s)"
            )
    return report or ["demo supplier VEX already imported"]
