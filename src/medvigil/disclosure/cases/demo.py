"""Demo disclosure cases in several states, with messages, a supplier party and a
coordinator notification, made through the services.

Everything is encrypted at rest like a real report. One case comes from the
demo researcher "rosa"; the others arrived anonymously through the portal.
Idempotent: nothing is added when demo cases exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from medvigil.disclosure.cases import selectors, services
from medvigil.disclosure.cases.models import Case, CaseState, MessageKind, TriageOutcome
from medvigil.disclosure.intake import services as intake
from medvigil.disclosure.keys import services as keys
from medvigil.disclosure.notifications import services as notifications
from medvigil.disclosure.parties import services as parties
from medvigil.platform.demo import register_demo_step

DEMO_ADDRESS = "demo"


def handler() -> object | None:
    users = get_user_model().objects
    return users.filter(username="pascal").first() or users.filter(username="admin").first()


def demo_report(title: str, description: str, **values: object) -> intake.ReportData:
    product = selectors.public_products().first()
    return intake.ReportData(title=title, description=description, product=product, **values)  # type: ignore[arg-type]


def coordinate(case: Case, psirt: object | None) -> None:
    """The supplier of the update library on the case, and a coordinator notified."""
    sam = get_user_model().objects.filter(username="sam").first()
    if sam is not None:
        party = parties.invite(
            case, user=psirt, kind="supplier", name="Embedded Components Ltd.", account=sam
        ).party
        parties.write(
            party,
            user=psirt,
            body="Does your update library verify image signatures when configured to?",
            from_party=False,
        )
    notifications.record_notification(
        case,
        user=psirt,
        recipient="cisa",
        recipient_name="CISA vulnerability coordination",
        rule="coordinator",
        started_at=case.triaged_at or case.received_at,
        sent_at=case.triaged_at or case.received_at,
        content="Report, affected versions and the planned fix date.",
        reference="demo coordination request",
    )


def demo_key() -> list[str]:
    """The PSIRT key, so security.txt and the CSAF files are signed as in production."""
    if keys.summary() is not None:
        return []
    addresses = [address.removeprefix("mailto:") for address in settings.DISCLOSURE_CONTACTS]
    contact = next(
        (address for address in addresses if keys.ADDRESS.match(address)), "psirt@example.org"
    )
    made = keys.create_key(
        name=f"{settings.DISCLOSURE_ORGANISATION} PSIRT (demo)", email=contact, expire="1y"
    )
    return [f"Disclosure: OpenPGP key {made.fingerprint} created (expires {made.expires})."]


@register_demo_step
def load_disclosure_cases() -> list[str]:
    key_lines = demo_key()
    if Case.objects.exists():
        return [*key_lines, f"Disclosure: {Case.objects.count()} cases already present."]
    psirt = handler()
    rosa = get_user_model().objects.filter(username="rosa").first()
    made = []
    received = intake.submit_report(
        demo_report(
            "Telnet service left enabled on the service port",
            "A scan of the device shows TCP port 23 open with a login prompt.",
            steps="1. Connect the device to a test network.\n2. nmap -p 23 <device>.",
            impact="Local network attacker may try default credentials.",
        ),
        reporter_user=None,
        address=DEMO_ADDRESS,
    )
    made.append(received.case)
    researched = intake.submit_report(
        demo_report(
            "Unauthenticated firmware update accepted over the network",
            "The update service installs images without checking a signature.",
            steps="Send a modified image to the update endpoint; it is installed after reboot.",
            impact="Remote code execution on the pump controller.",
            cvss_vector="CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            credit_name="Rosa Castillo",
        ),
        reporter_user=rosa,
        address=DEMO_ADDRESS,
    )
    case = services.transition(researched.case, user=psirt, target=CaseState.ACKNOWLEDGED)
    services.post_message(
        case,
        user=psirt,
        kind=MessageKind.TO_REPORTER,
        body="Thank you, we reproduced the update path and are triaging.",
    )
    services.post_message(
        case,
        user=rosa,
        kind=MessageKind.FROM_REPORTER,
        body="Happy to test a fix; I can share my test image.",
    )
    services.post_message(
        case,
        user=psirt,
        kind=MessageKind.INTERNAL,
        body="Affects every release since 2.0; engineering informed.",
    )
    case = services.transition(
        case, user=psirt, target=CaseState.TRIAGED, outcome=TriageOutcome.VALID
    )
    case = services.transition(case, user=psirt, target=CaseState.REMEDIATION)
    coordinate(case, psirt)
    made.append(case)
    duplicate = intake.submit_report(
        demo_report(
            "Default password on the web console",
            "The console accepts admin/admin.",
        ),
        reporter_user=None,
        address=DEMO_ADDRESS,
    )
    case = services.transition(duplicate.case, user=psirt, target=CaseState.ACKNOWLEDGED)
    case = services.transition(
        case,
        user=psirt,
        target=CaseState.TRIAGED,
        outcome=TriageOutcome.DUPLICATE,
        note="Same as the telnet report's credentials.",
    )
    case = services.transition(case, user=psirt, target=CaseState.CLOSED)
    made.append(case)
    return [
        *key_lines,
        f"Disclosure: {len(made)} demo cases ("
        + ", ".join(f"{item.number} {item.state}" for item in made)
        + ").",
    ]
