"""Signals other apps listen to, so the SBOM app never imports them.

`document_imported` is sent inside the transaction that stores an SBOM, last
(sender: `SbomDocument`, keyword `document`); the vulnerability app queues
the matching of the new document's components, which commits with it, so a
process killed right after the commit leaves no SBOM unmatched.

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
