"""People who appear in the audit trail are never deleted, only deactivated."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import ProtectedError, Q
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from medvigil.audit.models import AuditEvent


@receiver(pre_delete, sender=get_user_model())
def refuse_deleting_audited_people(sender: Any, instance: Any, **_: Any) -> None:
    named = AuditEvent.objects.filter(
        Q(actor_id=instance.pk) | Q(object_type="auth.user", object_id=str(instance.pk))
    )
    if named.exists():
        raise ProtectedError(
            f"{instance.get_username()} appears in the audit trail: deactivate, do not delete.",
            set(named[:1]),
        )
