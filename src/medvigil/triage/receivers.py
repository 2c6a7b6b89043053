"""Listen to matching: a new finding row of a key that already has triage records
(an SBOM replaced) gets that key's statement in force in its queue columns."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from medvigil.triage import standing
from medvigil.vulns.signals import findings_created


@receiver(findings_created, dispatch_uid="triage.standing-of-new-findings")
def standing_of_new_findings(sender: Any, findings: list[Any], **_: Any) -> None:
    standing.refresh_findings(findings)
