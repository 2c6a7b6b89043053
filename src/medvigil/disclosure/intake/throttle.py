"""The limits of the portal's anonymous writes: reports, follow-up messages, reporter keys.

Each is counted per client address, and follow-ups also per case, by
`platform.rates` before any expensive work; the first refusal of an address
or a case in a window writes one audit event, later ones none.
"""

from __future__ import annotations

from medvigil.audit.services import record
from medvigil.disclosure.cases.models import Case
from medvigil.platform import rates

REPORTS = rates.Limit(
    "disclosure-report",
    "DISCLOSURE_SUBMISSIONS_PER_HOUR",
    "Too many reports from your address in the last hour",
)
MESSAGES = rates.Limit(
    "disclosure-message",
    "DISCLOSURE_MESSAGES_PER_HOUR",
    "Too many messages from your address or on this case in the last hour",
)
REPORTER_KEYS = rates.Limit(
    "disclosure-reporter-key",
    "DISCLOSURE_REPORTER_KEYS_PER_HOUR",
    "Too many key changes from your address or on this case in the last hour",
)


def take(limit: rates.Limit, address: str, case: Case | None = None) -> None:
    """Count one attempt from `address` (and on `case`), or refuse with 429."""
    case_subject = f"case:{case.pk}" if case is not None else ""

    def first_refusal(subject: str) -> None:
        record(
            "disclosure-rate-limited",
            case if case is not None else ("disclosure.case", ""),
            details={"limit": limit.scope, "per": "case" if subject == case_subject else "address"},
        )

    rates.take(limit, [address, case_subject], first_refusal=first_refusal)
