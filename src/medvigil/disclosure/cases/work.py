"""What the handler's case page shows of parties, notifications, the fix and findings.

Each form may come bound from a refused write, to be shown again as typed: by
its context name, or for the forms repeated on each row, `party_forms` and
`sent_forms` map the row's id to its refused form.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from medvigil.disclosure.cases import findings_links
from medvigil.disclosure.cases.forms import FixForm, LinkFindingForm
from medvigil.disclosure.cases.models import Case, MessageKind
from medvigil.disclosure.notifications import selectors as notifications
from medvigil.disclosure.notifications.forms import NotificationForm, NotificationSentForm
from medvigil.disclosure.parties.forms import InvitePartyForm, PartyMessageForm
from medvigil.disclosure.parties.selectors import thread


def context(user: Any, case: Case, **bound: Any) -> dict[str, Any]:
    now = timezone.now()
    sent_forms = bound.get("sent_forms", {})
    party_forms = bound.get("party_forms", {})
    listed = [
        {
            "view": item,
            "deadline_text": notifications.deadline_text(item.deadline),
            "sent_form": sent_forms.get(item.notification.pk)
            or NotificationSentForm(
                initial={"sent_at": now}, auto_id=f"sent{item.notification.pk}_%s"
            ),
        }
        for item in notifications.notifications_of(case, now)
    ]
    parties = [
        {
            "party": party,
            "thread": thread(party),
            "form": party_forms.get(party.pk) or PartyMessageForm(auto_id=f"party{party.pk}_%s"),
        }
        for party in case.parties.select_related("user")
    ]
    shareable = case.messages.exclude(kind=MessageKind.INTERNAL)
    return {
        "parties": parties,
        "shareable_messages": shareable,
        # Own id prefixes: several forms on the case page share field names.
        "invite_form": bound.get("invite_form") or InvitePartyForm(auto_id="invite_%s"),
        "notifications": listed,
        "notification_form": bound.get("notification_form")
        or NotificationForm(initial={"started_at": now}, auto_id="notification_%s"),
        "fix": getattr(case, "fix", None),
        "fix_form": bound.get("fix_form")
        or FixForm(initial={"available_at": now}, auto_id="fix_%s"),
        "case_cve_ids": findings_links.case_cve_ids(case),
        "linked_findings": findings_links.linked_findings(case),
        "finding_suggestions": findings_links.suggest(user, case),
        "link_finding_form": LinkFindingForm(),
    }
