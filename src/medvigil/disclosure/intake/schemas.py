"""API shapes of the intake: a report, its receipt, and the reporter's own key."""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import Field


class DisclosureReportIn(Schema):
    title: str = Field(..., max_length=300)
    description: str
    steps: str = ""
    impact: str = ""
    product_id: int | None = None
    product_text: str = ""
    version_text: str = ""
    cvss_vector: str = ""
    credit_name: str = ""
    reporter_public_key: str = Field("", description="ASCII-armoured; replies are encrypted to it")


class DisclosureReceiptOut(Schema):
    id: int
    number: str
    follow_up_token: str = Field(..., description="Shown once; keep it to follow the case")


class ReporterKeyIn(Schema):
    public_key: str = Field(..., description="ASCII-armoured OpenPGP public key")


class ReporterKeyOut(Schema):
    fingerprint: str
    added_at: datetime.datetime
