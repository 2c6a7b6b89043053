"""Listen to the SBOM app: a newly imported SBOM is matched, and only that SBOM."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from medvigil.sbom.signals import document_imported


@receiver(document_imported, dispatch_uid="vulns.match-imported-sbom")
def match_imported_document(sender: Any, document: Any, **_: Any) -> None:
    from medvigil.vulns.tasks import match_document_task

    match_document_task.enqueue(document.pk)
