"""Demo steps: import the small feed in demo_data/, match the portfolio, list real sources.

The feed (real OSV records for packages in the demo SBOMs, a KEV subset and
an EPSS excerpt; see demo_data/SOURCES.md) is imported like any other; a
second run changes nothing. Then the whole demo portfolio is matched, so the
demo shows real findings. The recommended public sources are listed,
disabled: nothing is downloaded until an administrator enables one.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from medvigil.audit.context import Actor, acting_as
from medvigil.platform.demo import register_demo_step
from medvigil.vulns import matching, services, sources


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
