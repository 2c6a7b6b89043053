"""The risk file API at /api/v1/riskfile: it only translates HTTP.

Reads go through selectors (a version you may not see answers 404), writes
through services after `permissions.require(user, "change", …)` (403).
A refused write is the platform's problem answer: 422 with each error at
its field (or its path in the YAML document), 409 when the state does not allow it.
"""

from __future__ import annotations

from ninja import Router

from medvigil.riskfile.api import controls, links, model, risks

router = Router(tags=["riskfile"])
for part in (model, risks, controls, links):
    router.add_router("", part.router)
