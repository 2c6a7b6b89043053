"""`medvigil check`: a feed must be enabled, and each enabled one current and not failing.

A source is stale when its last success is older than its maximum age
(twice its interval unless set otherwise); failing when its last
synchronisation failed. Each line names the source.
"""

from __future__ import annotations

from medvigil.platform.health import CheckResult, register_check
from medvigil.vulns.selectors import feed_status


@register_check
def feed_ages() -> list[CheckResult]:
    statuses = feed_status()
    if not any(status.source.enabled for status in statuses):
        detail = "no feed source enabled; see `medvigil feeds recommended`, then `feeds enable`"
        return [CheckResult("vulnerability feeds", False, detail)]
    results = []
    for status in statuses:
        source = status.source
        name = f"feed {source.name}"
        failing = f"failing: {source.last_error}" if source.last_status == "failed" else ""
        if not source.enabled:
            results.append(CheckResult(name, True, "disabled"))
        elif status.age_hours is None:
            never = "never imported; run `medvigil feeds sync` or start a worker"
            results.append(CheckResult(name, False, f"{never}; {failing}" if failing else never))
        elif status.stale:
            detail = (
                f"stale: last imported {status.age_hours:.0f} h ago, "
                f"over the maximum of {source.maximum_age_hours} h"
            )
            results.append(CheckResult(name, False, f"{detail}; {failing}" if failing else detail))
        elif failing:
            results.append(CheckResult(name, False, failing))
        else:
            detail = f"imported {status.age_hours:.1f} h ago ({source.last_status})"
            results.append(CheckResult(name, True, detail))
    return results
