"""Demo step: import the small vulnerability feed in demo_data/ and match the demo portfolio.

The feed (real OSV records for packages in the demo SBOMs, a KEV subset and
an EPSS excerpt; see demo_data/SOURCES.md) is imported like any other; a
second run changes nothing. Then the whole demo portfolio is matched, so the
demo shows real findings.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.vulns import matching, services


def demo_feed_folder() -> Path:
    return Path(str(resources.files("medvigil.vulns").joinpath("demo_data")))


@register_demo_step
def load_demo_vulnerabilities() -> list[str]:
    with acting_as(Actor(label="demo")):
        result = services.import_feed(demo_feed_folder(), "auto", rematch=False)
        report = matching.rematch_all()
    changed = {key: value for key, value in result.counts.items() if value}
    return [
        "demo vulnerability feed: " + ", ".join(f"{value} {key}" for key, value in changed.items()),
        f"matched {report.examined} components: {report.opened} findings opened, "
        f"{report.closed} closed, {report.unchanged + report.updated} already known",
    ]
