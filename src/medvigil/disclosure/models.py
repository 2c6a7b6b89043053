"""Every table of the disclosure app, gathered here so that Django finds them.

Each sub-package defines its own models; import them from there.
"""

from medvigil.disclosure.advisories.models import (
    Advisory,
    AdvisoryDelivery,
    AdvisoryRevision,
    AdvisoryWebhook,
    CveAssignment,
)
from medvigil.disclosure.cases.models import (
    AffectedVersion,
    Case,
    CaseTransition,
    FindingLink,
    FixAvailability,
    Message,
)
from medvigil.disclosure.intake.models import (
    Attachment,
    EncryptedReply,
    ReporterKey,
)
from medvigil.disclosure.notifications.models import Notification
from medvigil.disclosure.parties.models import CaseParty, PartyMessage, SharedMessage

__all__ = [
    "Advisory",
    "AdvisoryDelivery",
    "AdvisoryRevision",
    "AdvisoryWebhook",
    "AffectedVersion",
    "Attachment",
    "Case",
    "CaseParty",
    "CaseTransition",
    "CveAssignment",
    "EncryptedReply",
    "FindingLink",
    "FixAvailability",
    "Message",
    "Notification",
    "PartyMessage",
    "ReporterKey",
    "SharedMessage",
]
