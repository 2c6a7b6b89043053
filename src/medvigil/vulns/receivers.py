"""Listen to the SBOM app: a newly imported SBOM is matched, and only that SBOM;
a removed SBOM's findings are closed with the reason, never deleted."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from medvigil.sbom.signals import document_imported, document_removing
from medvigil.vulns.services import close_findings_of_document
from medvigil.vulns.tasks import match_document_task


@receiver(document_imported, dispatch_uid="vulns.match-imported-sbom")
def match_imported_document(sender: Any, document: Any, **_: Any) -> None:
    match_document_task.enqueue(document.pk)


@receiver(document_removing, dispatch_uid="vulns.close-removed-sbom-findings")
def close_removed_document_findings(
    sender: Any, document: Any, how: str = "deleted", **_: Any
) -> None:
    close_findings_of_document(document, how)
