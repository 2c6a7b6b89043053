"""Demo steps: import the small feed in demo_data/, match the portfolio, list real sources.

The feed (real OSV records for packages in the demo SBOMs, an excerpt of real
NVD 2.0 records, a KEV subset and an EPSS excerpt; see demo_data/SOURCES.md)
is imported like any other; a second run changes nothing. Then the whole
demo portfolio is matched, so the demo shows real findings. The pump
firmware's zlib (``pkg:generic``, no CPE) is confirmed as the CPE product
zlib:zlib, as a person would. The recommended public sources are
listed, disabled: nothing is downloaded until an administrator enables one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.sbom.models import Component
from medvigil.vulns import identities, matching, services, sources
from medvigil.vulns.models import CpeConfirmation

ZLIB = "pkg:generic/zlib"


def demo_feed_folder() -> Path:
    return Path(str(resources.files("medvigil.vulns").joinpath("demo_data")))


@register_demo_step
def load_demo_vulnerabilities() -> list[str]:
    with acting_as(Actor(label="demo")):
        result = services.import_feed(demo_feed_folder(), "auto", rematch=False)
        report = matching.rematch_all()
        confirmed = confirm_demo_zlib()
    changed = {key: value for key, value in result.counts.items() if value}
    return [
        "demo vulnerability feed: " + ", ".join(f"{value} {key}" for key, value in changed.items()),
        f"matched {report.examined} components: {report.opened} findings opened, "
        f"{report.closed} closed, {report.unchanged + report.updated} already known",
        *confirmed,
    ]


def confirm_demo_zlib() -> list[str]:
    """Confirm the pump firmware's ``pkg:generic/zlib`` as zlib:zlib, once."""
    component = Component.objects.filter(identity=ZLIB).first()
    if component is None or CpeConfirmation.objects.filter(identity=ZLIB).exists():
        return []
    identities.confirm_cpe(
        component, None, "zlib", "zlib", "Demo: the firmware's zlib is zlib.net's (checked sources)"
    )
    return [f"confirmed the CPE of {ZLIB} as zlib:zlib (every version and product carrying it)"]


@register_demo_step
def list_recommended_feed_sources() -> list[str]:
    """The catalogue's sources for the demo portfolio, listed disabled: the demo stays offline."""
    with acting_as(Actor(label="demo")):
        sources.list_recommended(enabled=False)
    names = [offer.recommended.name for offer in sources.offers() if not offer.enabled]
    return [
        f"recommended feed sources, disabled: {', '.join(names)} "
        "(enable with `medvigil feeds enable NAME`)"
    ]
