"""API of the reporter's own OpenPGP key on their case."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from medvigil.audit.context import client_address
from medvigil.disclosure.cases import selectors
from medvigil.disclosure.intake import services
from medvigil.disclosure.intake.schemas import ReporterKeyIn, ReporterKeyOut
from medvigil.platform import permissions

router = Router()


@router.put(
    "/cases/{case_id}/reporter-key",
    response=ReporterKeyOut,
    summary="The reporter's OpenPGP key (replies are encrypted to it)",
)
def set_reporter_key(request: HttpRequest, case_id: int, payload: ReporterKeyIn) -> dict[str, Any]:
    case = selectors.case(request.user, case_id)
    permissions.require(request.user, "message", case)
    key = services.set_reporter_key(case, payload.public_key, address=client_address(request))
    return {"fingerprint": key.fingerprint, "added_at": key.added_at}
