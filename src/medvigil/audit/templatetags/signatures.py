"""`{% load signatures %}{% signature_block record %}` shows a record's electronic signatures."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model

from medvigil.audit.signatures import signature_status

register = template.Library()


@register.inclusion_tag("audit/_signatures.html")
def signature_block(record: Model) -> dict[str, Any]:
    return {"signatures": signature_status(record)}
