"""Signals other apps listen to, so the SBOM app never imports them.

`document_imported` is sent after the transaction that stored an SBOM has
committed (sender: `SbomDocument`, keyword `document`); the vulnerability
app uses it to match the new document's components.
"""

from __future__ import annotations

from django.dispatch import Signal

document_imported = Signal()
