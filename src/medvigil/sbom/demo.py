"""Demo step: attach the SBOMs in demo_data/ to the demo portfolio's versions.

Runs after the portfolio's step (this app is installed after it) and finds
versions by product model number. Idempotent: a document already attached
(same SHA-256) is not imported again; a missing version is reported, not
created, because the portfolio demo owns the products.
"""

from __future__ import annotations

import hashlib
from importlib import resources

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.portfolio.models import ProductVersion
from medvigil.sbom import services
from medvigil.sbom.models import SbomDocument

# (model number, version, file in demo_data/, role)
DEMO_SBOMS = (
    ("LVP-300", "3.1.0", "lvp-300-openssl.spdx.json", "operating-system"),
    ("LVP-300", "3.2.0", "lvp-300-openssl.spdx.json", "operating-system"),
    ("LVP-300", "3.1.0", "lvp-300-firmware.spdx.json", "firmware"),
    ("LVP-300", "3.2.0", "lvp-300-firmware.spdx.json", "firmware"),
    ("AIC-APP", "1.2.0", "aic-app-1.2.0.cdx.json", "application"),
    ("AIC-APP", "1.3.0", "aic-app-1.3.0.cdx.json", "application"),
    ("PM-12", "6.0.1", "pm-12-firmware.spdx", "firmware"),
    ("PM-12", "6.0.1", "pm-12-application.spdx.json", "application"),
    ("PM-12", "6.1.0", "pm-12-firmware.spdx", "firmware"),
    ("PM-12", "6.1.0", "pm-12-application.spdx.json", "application"),
    ("CVW-8", "8.1", "cvw-8-rhel.spdx.json", "operating-system"),
    ("CVW-8", "9.0", "cvw-8-rhel.spdx.json", "operating-system"),
    ("CVW-8", "9.0", "cvw-8-board.cdx.json", "hardware"),
)


def demo_file(name: str) -> bytes:
    return resources.files("medvigil.sbom").joinpath("demo_data", name).read_bytes()


@register_demo_step
def attach_demo_sboms() -> list[str]:
    report = []
    with acting_as(Actor(label="demo")):
        for model_number, version_name, filename, role in DEMO_SBOMS:
            version = ProductVersion.objects.filter(
                product__model_number=model_number, version=version_name
            ).first()
            if version is None:
                report.append(f"no demo version {model_number} {version_name}: SBOM not attached")
                continue
            content = demo_file(filename)
            digest = hashlib.sha256(content).hexdigest()
            if SbomDocument.objects.filter(version=version, sha256=digest).exists():
                continue
            document = services.import_sbom(version, content, filename, role)
            report.append(
                f"attached {filename} to {version} ({document.component_count} components)"
            )
    if not report:
        report.append("demo SBOMs already attached")
    return report
