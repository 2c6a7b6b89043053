"""Reads of the disclosure program, decrypted for those who may see them.

Every list and detail passes through `permissions.visible`; an invisible
case answers Http404 exactly like a missing one. Clocks are computed with
`medvigil.core.deadlines` at the moment passed in.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from medvigil.core.deadlines import ClockRule, ClockState, DayKind, evaluate
from medvigil.disclosure.cases import workflow
from medvigil.disclosure.cases.models import Case, CaseState, Message, TriageOutcome
from medvigil.disclosure.cases.policies import is_handler
from medvigil.disclosure.cases.services import token_hash
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.intake.models import Attachment
from medvigil.platform import permissions
from medvigil.portfolio.models import RELEASED_PHASES, Product


@dataclass(frozen=True)
class Report:
    title: str
    description: str
    steps: str
    impact: str


@dataclass(frozen=True)
class MessageView:
    id: int
    kind: str
    kind_label: str
    author: str
    body: str
    created_at: datetime.datetime
    encrypted: bool = False  # the body is the reply encrypted to the reporter's key


def cases(user: Any, *, state: str = "") -> QuerySet[Case]:
    rows = Case.objects.select_related("product", "reporter_user")
    if state:
        rows = rows.filter(state=state)
    return permissions.visible(user, rows)


def case(user: Any, case_id: int) -> Case:
    return permissions.get_visible(user, Case.objects.select_related("product"), pk=case_id)


def case_by_token(token: str) -> Case:
    """The case of a follow-up link; a wrong token is a 404 like any missing page."""
    found = Case.objects.filter(follow_up_token_hash=token_hash(token)).first()
    if found is None:
        raise Http404("No such case.")
    return found


def report(target: Case) -> Report:
    return Report(
        title=encryption.open_text(target.title_sealed),
        description=encryption.open_text(target.description_sealed),
        steps=encryption.open_text(target.steps_sealed),
        impact=encryption.open_text(target.impact_sealed),
    )


def title(target: Case) -> str:
    return encryption.open_text(target.title_sealed)


def message_rows(target: Case, *, include_internal: bool) -> QuerySet[Message]:
    rows = target.messages.select_related("author", "encrypted")
    return rows if include_internal else rows.exclude(kind="internal")


def messages(target: Case, *, include_internal: bool) -> list[MessageView]:
    """The thread; a reporter's view shows replies encrypted to their key as ciphertext."""
    views = []
    for message in message_rows(target, include_internal=include_internal):
        sealed = None if include_internal else getattr(message, "encrypted", None)
        if message.author is None:
            author = "Reporter"
        elif message.kind == "from-reporter":
            author = message.author.get_username()
        else:
            author = "PSIRT" if not include_internal else message.author.get_username()
        views.append(
            MessageView(
                message.pk,
                message.kind,
                message.get_kind_display(),
                author,
                sealed.armoured if sealed else encryption.open_text(message.body_sealed),
                message.created_at,
                encrypted=sealed is not None,
            )
        )
    return views


def attachment(user: Any, attachment_id: int) -> Attachment:
    return permissions.get_visible(
        user, Attachment.objects.select_related("case"), pk=attachment_id
    )


# Clocks ---------------------------------------------------------------------------------


def rules() -> dict[str, ClockRule]:
    country, subdivision = (
        settings.DISCLOSURE_HOLIDAY_COUNTRY,
        settings.DISCLOSURE_HOLIDAY_SUBDIVISION,
    )
    return {
        "acknowledge": ClockRule(
            "acknowledge",
            "Acknowledge the report",
            settings.DISCLOSURE_ACKNOWLEDGE_BUSINESS_DAYS,
            DayKind.BUSINESS,
            country,
            subdivision,
        ),
        "status-update": ClockRule(
            "status-update",
            "Update the reporter",
            settings.DISCLOSURE_STATUS_UPDATE_DAYS,
            DayKind.CALENDAR,
            country,
            subdivision,
        ),
        "disclose": ClockRule(
            "disclose", "Disclose", settings.DISCLOSURE_DAYS, DayKind.CALENDAR, country, subdivision
        ),
    }


def clocks(target: Case, now: datetime.datetime | None = None) -> list[ClockState]:
    """The case's clocks at `now`: acknowledge, update the reporter (while open), disclose."""
    now = now or timezone.now()
    zone = settings.DISCLOSURE_TIME_ZONE
    chosen = rules()
    states = [
        evaluate(
            target.received_at, chosen["acknowledge"], zone, now, met_at=target.acknowledged_at
        )
    ]
    if target.state in workflow.OPEN_STATES:
        last_update = target.last_reporter_update_at or target.received_at
        states.append(evaluate(last_update, chosen["status-update"], zone, now))
    not_for_disclosure = target.outcome and target.outcome != TriageOutcome.VALID
    if not not_for_disclosure:
        met = target.disclosed_at or (
            target.closed_at if target.state == CaseState.CLOSED else None
        )
        states.append(evaluate(target.received_at, chosen["disclose"], zone, now, met_at=met))
    return states


def is_overdue(target: Case, now: datetime.datetime | None = None) -> bool:
    return any(state.overdue and not state.met for state in clocks(target, now))


def remaining_text(state: ClockState) -> str:
    seconds = abs(state.remaining.total_seconds())
    days, hours = int(seconds // 86400), int(seconds % 86400 // 3600)
    span = f"{days} d {hours} h" if days else f"{hours} h {int(seconds % 3600 // 60)} min"
    if state.met:
        return f"met late by {span}" if state.overdue else f"met with {span} to spare"
    return f"overdue by {span}" if state.overdue else f"{span} left"


# Metrics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metrics:
    open: int
    overdue: int
    median_hours_to_acknowledge: int


def metrics(user: Any, now: datetime.datetime | None = None) -> Metrics:
    rows = cases(user)
    open_cases = list(rows.filter(state__in=workflow.OPEN_STATES))
    acknowledged = rows.filter(acknowledged_at__isnull=False).values_list(
        "received_at", "acknowledged_at"
    )
    hours = [
        (done - start).total_seconds() / 3600
        for start, done in acknowledged
        if start is not None and done is not None
    ]
    return Metrics(
        open=len(open_cases),
        overdue=sum(1 for item in open_cases if is_overdue(item, now)),
        median_hours_to_acknowledge=round(statistics.median(hours)) if hours else 0,
    )


# Public lists ---------------------------------------------------------------------------


def public_products() -> QuerySet[Product]:
    """Products with a released version: the list a reporter chooses from."""
    return (
        Product.objects.filter(versions__phase__in=RELEASED_PHASES)
        .distinct()
        .order_by("name", "id")
    )


def acknowledgments() -> list[str]:
    """Names of reporters who asked to be credited, for disclosed valid reports."""
    rows = Case.objects.filter(outcome=TriageOutcome.VALID, disclosed_at__isnull=False).exclude(
        credit_name=""
    )
    return sorted(set(rows.values_list("credit_name", flat=True)))


def sees_internal(user: Any) -> bool:
    return is_handler(user)
