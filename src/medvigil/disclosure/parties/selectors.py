"""What a party sees: its record, its thread, and the part of the case shared with it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404

from medvigil.disclosure.cases import selectors
from medvigil.disclosure.cases.models import MessageKind
from medvigil.disclosure.cases.services import token_hash
from medvigil.disclosure.intake import encryption
from medvigil.disclosure.parties.models import CaseParty
from medvigil.platform import permissions


@dataclass(frozen=True)
class PartyMessageView:
    id: int
    source: str  # "to-party", "from-party" or "shared"
    author: str
    body: str
    created_at: datetime.datetime


@dataclass(frozen=True)
class PartyView:
    """What one party sees of its case."""

    party: CaseParty
    number: str
    title: str
    state: str
    outcome: str
    product: str
    version_text: str
    cvss_vector: str
    embargo_until: datetime.datetime | None
    embargo_time_zone: str
    affected: list[str]
    report: selectors.Report | None
    reporter_name: str | None
    reporter_email: str | None
    thread: list[PartyMessageView]


def party_by_token(token: str) -> CaseParty:
    """The party of a secret link; a wrong or revoked link is a 404 like any missing page."""
    found = (
        CaseParty.objects.select_related("case", "case__product")
        .filter(access_token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404("No such case.")
    return found


def visible_parties(user: Any) -> Any:
    return permissions.visible(user, CaseParty.objects.select_related("case", "user"))


def party(user: Any, party_id: int) -> CaseParty:
    return permissions.get_visible(
        user, CaseParty.objects.select_related("case", "case__product", "user"), pk=party_id
    )


def thread(target: CaseParty) -> list[PartyMessageView]:
    views = [
        PartyMessageView(
            message.pk,
            "from-party" if message.from_party else "to-party",
            target.name if message.from_party else "PSIRT",
            encryption.open_text(message.body_sealed),
            message.created_at,
        )
        for message in target.messages.all()
    ]
    for shared in target.shared.select_related("message"):
        message = shared.message
        author = "Reporter" if message.kind == MessageKind.FROM_REPORTER else "PSIRT to reporter"
        views.append(
            PartyMessageView(
                message.pk,
                "shared",
                author,
                encryption.open_text(message.body_sealed),
                message.created_at,
            )
        )
    return sorted(views, key=lambda view: (view.created_at, view.id))


def view(target: CaseParty) -> PartyView:
    case = target.case
    affected = [
        str(item.version)
        for item in case.affected_versions.select_related("version", "version__product")
    ]
    product = case.product.name if case.product else case.product_text
    return PartyView(
        party=target,
        number=case.number,
        title=selectors.title(case),
        state=case.state,
        outcome=case.outcome,
        product=product,
        version_text=case.version_text,
        cvss_vector=case.cvss_vector,
        embargo_until=case.embargo_until,
        embargo_time_zone=case.embargo_time_zone,
        affected=affected,
        report=selectors.report(case) if target.sees_report else None,
        reporter_name=case.reporter_name if target.sees_reporter_contact else None,
        reporter_email=case.reporter_email if target.sees_reporter_contact else None,
        thread=thread(target),
    )
