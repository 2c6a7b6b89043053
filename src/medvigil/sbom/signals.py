"""Signals other apps listen to, so the SBOM app never imports them.

`document_imported` is sent after the transaction that stored an SBOM has
committed (sender: `SbomDocument`, keyword `document`); the vulnerability
app uses it to match the new document's components.

`document_removing` is sent inside the transaction that removes an SBOM,
before its components are deleted (sender: `SbomDocument`, keywords
`document` and `how`: "deleted" or "replaced"); the vulnerability app closes
the findings of its components, so none disappears unexplained. A receiver
that raises rolls the removal back.
"""

from __future__ import annotations

from django.dispatch import Signal

document_imported = Signal()
document_removing = Signal()
