"""`medvigil check`: each enabled feed must have been imported within its maximum age."""

from __future__ import annotations

from medvigil.platform.health import CheckResult, register_check
from medvigil.vulns.selectors import feed_status


@register_check
def feed_ages() -> list[CheckResult]:
    statuses = feed_status()
    if not statuses:
        return [CheckResult("vulnerability feeds", True, "no feed configured yet")]
    results = []
    for status in statuses:
        source = status.source
        name = f"feed {source.name}"
        if not source.enabled:
            results.append(CheckResult(name, True, "disabled"))
        elif status.age_hours is None:
            results.append(CheckResult(name, False, "never imported; run `medvigil feeds sync`"))
        elif status.stale:
            results.append(
                CheckResult(
                    name,
                    False,
                    f"stale: last imported {status.age_hours:.0f} h ago, "
                    f"over the maximum of {source.maximum_age_hours} h",
                )
            )
        else:
            detail = f"imported {status.age_hours:.1f} h ago ({source.last_status})"
            results.append(CheckResult(name, True, detail))
    return results
