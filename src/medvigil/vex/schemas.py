from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema

VexFormatName = Literal["cyclonedx", "openvex", "csaf"]


class VexDocumentOut(Schema):
    id: int
    version_id: int
    filename: str
    sha256: str
    size: int
    format: str
    identifier: str
    author: str
    issued_at: datetime | None
    statement_count: int
    proposal_count: int
    uploaded_by: str | None
    uploaded_at: datetime


class VexDocumentDetailOut(VexDocumentOut):
    outcomes: list[dict[str, Any]]
    skipped: list[str]
