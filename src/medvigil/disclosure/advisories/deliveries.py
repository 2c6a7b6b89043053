"""Telling customers about a published advisory: email, and a webhook signed with HMAC-SHA256.

The deliveries are rows written in the publishing transaction, with the task
that sends each one (the task queue is in the same database), so a process
killed right after the commit loses none; a worker killed while sending one
leaves a lost task that the next worker runs again (a webhook may then be
posted twice: receivers tell repeats by tracking id and revision). A failure is recorded on the
row and the task is queued again later (1, 2, 4, 8 minutes…); after
`MAXIMUM_ATTEMPTS` the row says so and a handler can retry it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from medvigil.accounts.models import Organisation
from medvigil.audit.services import changed_fields, record
from medvigil.disclosure.advisories.models import (
    AdvisoryDelivery,
    AdvisoryRevision,
    AdvisoryWebhook,
    DeliveryChannel,
    DeliveryState,
)
from medvigil.platform.queues import interactive_task
from medvigil.portfolio.models import Deployment

MAXIMUM_ATTEMPTS = 5
SIGNATURE_HEADER = "X-Medvigil-Signature"
WEBHOOK_TIMEOUT_SECONDS = 10


def customer_organisations(revision: AdvisoryRevision) -> list[Organisation]:
    """Customers that own a version the advisory names as affected."""
    versions = revision.advisory.case.affected_versions.values_list("version_id", flat=True)
    ids = Deployment.objects.filter(version_id__in=list(versions)).values_list(
        "organisation_id", flat=True
    )
    return list(Organisation.objects.filter(pk__in=list(ids), kind="customer").order_by("name"))


def email_addresses(organisation: Organisation) -> list[str]:
    addresses = [organisation.contact_email] if organisation.contact_email else []
    for profile in organisation.members.filter(user__is_active=True).exclude(user__email=""):
        addresses.append(profile.user.email)
    return list(dict.fromkeys(addresses))


def queue_deliveries(revision: AdvisoryRevision) -> list[AdvisoryDelivery]:
    """Write one delivery per customer address and webhook, each with its task, in one commit."""
    now = timezone.now()
    created = []
    for organisation in customer_organisations(revision):
        targets = [(DeliveryChannel.EMAIL, address) for address in email_addresses(organisation)]
        webhook = AdvisoryWebhook.objects.filter(organisation=organisation).first()
        if webhook is not None:
            targets.append((DeliveryChannel.WEBHOOK, webhook.url))
        for channel, target in targets:
            delivery, new = AdvisoryDelivery.objects.get_or_create(
                revision=revision,
                organisation=organisation,
                channel=channel,
                target=target,
                defaults={"created_at": now},
            )
            created.append(delivery)
            if new:
                record(
                    "advisory-delivery-queued",
                    delivery,
                    details={"organisation": organisation.name, "channel": str(channel)},
                )
    for delivery in created:  # in the publishing transaction: committed with their rows
        deliver_task.enqueue(delivery.pk)
    return created


def payload(revision: AdvisoryRevision) -> dict[str, Any]:
    advisory = revision.advisory
    return {
        "tracking_id": advisory.tracking_id,
        "revision": revision.number,
        "title": advisory.title,
        "summary": revision.summary,
        "tlp": advisory.tlp,
        "published_at": revision.published_at.isoformat(),
        "csaf_url": revision.document_url,
        "page_url": revision.page_url,
        "sha256": revision.sha256,
    }


def webhook_signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _send(delivery: AdvisoryDelivery) -> None:
    revision = delivery.revision
    data = payload(revision)
    if delivery.channel == DeliveryChannel.EMAIL:
        body = (
            f"{data['title']}\n\n{revision.advisory.summary}\n\n"
            f"Advisory {data['tracking_id']}, revision {data['revision']}: {data['page_url']}\n"
            f"CSAF document: {data['csaf_url']} (SHA-256 {data['sha256']})\n"
        )
        send_mail(
            f"Security advisory {data['tracking_id']}: {data['title']}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [delivery.target],
        )
        return
    webhook = AdvisoryWebhook.objects.get(organisation=delivery.organisation)
    encoded = json.dumps(data, sort_keys=True).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL was checked to be http or https)
        webhook.url,
        data=encoded,
        method="POST",
        headers={
            "Content-Type": "application/json",
            SIGNATURE_HEADER: webhook_signature(webhook.secret, encoded),
        },
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise OSError(f"the webhook answered {response.status}")


def deliver(delivery_id: int) -> str:
    """Send one delivery; record the outcome and queue a retry on failure."""
    with transaction.atomic():
        delivery = (
            AdvisoryDelivery.objects.select_for_update()
            .select_related("revision__advisory", "organisation")
            .get(pk=delivery_id)
        )
        if delivery.state in (DeliveryState.SENT, DeliveryState.GAVE_UP):
            return str(delivery.state)
        delivery.attempts += 1
        try:
            _send(delivery)
        except (OSError, ValueError, AdvisoryWebhook.DoesNotExist) as error:
            delivery.last_error = f"{type(error).__name__}: {error}"[:500]
            gave_up = delivery.attempts >= MAXIMUM_ATTEMPTS
            delivery.state = DeliveryState.GAVE_UP if gave_up else DeliveryState.FAILED
            delivery.save(update_fields=["attempts", "last_error", "state"])
            if not gave_up:
                later = timezone.now() + timedelta(minutes=2 ** (delivery.attempts - 1))
                deliver_task.using(run_after=later).enqueue(delivery_id)
            return str(delivery.state)
        delivery.state = DeliveryState.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["attempts", "last_error", "state", "sent_at"])
        record(
            "advisory-delivered",
            delivery.revision.advisory,
            details={"organisation": delivery.organisation.name, "channel": delivery.channel},
        )
    return str(delivery.state)


@interactive_task
def deliver_task(delivery_id: int) -> str:
    return deliver(delivery_id)


def retry_deliveries(revision: AdvisoryRevision) -> int:
    """Queue again every delivery of the revision that has not been sent."""
    with transaction.atomic():
        waiting = list(
            revision.deliveries.exclude(state=DeliveryState.SENT).values_list("pk", flat=True)
        )
        for delivery in revision.deliveries.filter(pk__in=waiting).select_related("organisation"):
            before = {"state": str(delivery.state), "attempts": delivery.attempts}
            delivery.state, delivery.attempts = DeliveryState.PENDING, 0
            delivery.save(update_fields=["state", "attempts"])
            record(
                "advisory-delivery-retried",
                delivery,
                changes=changed_fields(before, {"state": "pending", "attempts": 0}),
                details={"advisory": revision.advisory.tracking_id, "revision": revision.number},
            )
            deliver_task.enqueue(delivery.pk)
    return len(waiting)
