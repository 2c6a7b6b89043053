"""The public portal: submission, abuse controls, attachments, encryption at rest, follow-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from medvigil.audit.models import AuditEvent
from medvigil.disclosure.cases.models import Case, Message
from medvigil.disclosure.intake import attachments
from medvigil.disclosure.intake.models import Attachment
from medvigil.platform.models import RateRecord
from tests.disclosure.conftest import signed_in, submitted

pytestmark = pytest.mark.django_db
SECRET = "the-infusion-rate-can-be-changed-by-anyone"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_values(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Rate change without authentication",
        "description": f"Sending a crafted packet: {SECRET}",
        "steps": "1. send packet",
        "impact": "Over-infusion",
        "cvss_vector": "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H",
        **extra,
    }


def post_report(client: Client, **extra: Any) -> Any:
    """As a browser does: fetch the form (CSRF cookie), then post it with the token."""
    client.get(reverse("disclosure:report"))
    token = client.cookies["csrftoken"].value
    return client.post(
        reverse("disclosure:report"), {**form_values(**extra), "csrfmiddlewaretoken": token}
    )


def stored_nothing() -> bool:
    folder = Path(settings.MEDIA_ROOT) / "disclosure"
    files = list(folder.iterdir()) if folder.exists() else []
    return not Case.objects.exists() and not files


def test_anonymous_report_gets_a_receipt_shown_once_and_a_working_follow_up_link() -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_report(client, attachments=[SimpleUploadedFile("shot.png", PNG, "image/png")])
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:receipt")
    receipt = client.get(reverse("disclosure:receipt"))
    case = Case.objects.get()
    assert case.number.startswith("MV-")
    assert case.number.endswith("-0001")
    assert case.reporter_user is None
    assert case.reporter_email == ""
    assert str(case.cvss_score) == "8.1"
    assert case.number in receipt.content.decode()
    link = receipt.context["link"]
    token = link.rsplit("/", 1)[-1]
    assert len(token) >= 40
    assert token not in str(Case.objects.values().get())
    assert client.get(reverse("disclosure:receipt")).status_code == 302  # shown once
    follow_up = Client(enforce_csrf_checks=True)
    page = follow_up.get(link)
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert page["Referrer-Policy"] == "strict-origin"
    sent = follow_up.post(
        link, {"body": "Any news?", "csrfmiddlewaretoken": follow_up.cookies["csrftoken"].value}
    )
    assert sent.status_code == 302
    assert Message.objects.get().kind == "from-reporter"
    assert Attachment.objects.get().content_type == "image/png"
    assert AuditEvent.objects.filter(action="disclosure-case-received").count() == 1


def test_a_wrong_follow_up_token_is_not_found() -> None:
    submitted()
    assert Client().get(reverse("disclosure:follow-up", args=["not-the-token"])).status_code == 404


def test_a_post_without_the_csrf_token_is_refused() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("disclosure:report"), form_values()).status_code == 403
    assert stored_nothing()


def test_a_researcher_signed_in_reports_under_their_account(rosa: Any) -> None:
    client = signed_in(rosa)
    assert post_report(client).status_code == 302
    assert Case.objects.get().reporter_user == rosa
    listing = client.get(reverse("disclosure:case-list"))
    assert Case.objects.get().number in listing.content.decode()


def test_the_honeypot_refuses_and_stores_nothing() -> None:
    response = post_report(Client(), website="http://spam.example")
    assert response.status_code == 400
    assert stored_nothing()
    assert not AuditEvent.objects.filter(action="disclosure-case-received").exists()


def test_the_rate_limit_per_address_refuses_and_stores_nothing(settings: Any) -> None:
    settings.DISCLOSURE_SUBMISSIONS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [post_report(client).status_code for _ in range(2)] == [302, 302]
    refused = post_report(client)
    assert refused.status_code == 429
    assert Case.objects.count() == 2
    assert 3000 < int(refused["Retry-After"]) <= 3600
    assert RateRecord.objects.filter(scope="disclosure-report", refused=False).count() == 2
    assert "203.0.113.9" not in str(list(RateRecord.objects.values()))
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert post_report(other).status_code == 302


def test_an_oversize_attachment_is_refused_whole(settings: Any) -> None:
    settings.DISCLOSURE_ATTACHMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("dump.pcap", b"\xd4\xc3\xb2\xa1" + b"\x00" * 2000)
    response = post_report(Client(), attachments=[big])
    assert response.status_code == 413
    assert stored_nothing()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00"),  # a Windows executable
        ("report.pdf", b"<html><script>alert(1)</script></html>"),  # HTML posing as PDF
        ("notes.txt", PNG),  # binary posing as text
        ("payload.html", b"<html></html>"),  # not an accepted kind at all
    ],
)
def test_a_disguised_attachment_is_refused(name: str, content: bytes) -> None:
    response = post_report(Client(), attachments=[SimpleUploadedFile(name, content)])
    assert response.status_code == 422
    assert stored_nothing()


def test_reports_messages_and_attachments_are_encrypted_at_rest() -> None:
    receipt = submitted(
        description=f"details: {SECRET}",
        steps=f"step {SECRET}",
        files=[("proof.txt", f"log {SECRET}".encode())],
    )
    from medvigil.disclosure.cases import services

    services.post_message(receipt.case, user=None, kind="from-reporter", body=f"more {SECRET}")
    with connection.cursor() as cursor:
        for table in (
            "disclosure_case",
            "disclosure_message",
            "disclosure_attachment",
            "audit_auditevent",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            assert SECRET not in repr(cursor.fetchall()), table
    stored = Attachment.objects.get()
    raw = (attachments.storage_directory() / stored.stored_name).read_bytes()
    assert SECRET.encode() not in raw
    assert attachments.read(stored.stored_name) == f"log {SECRET}".encode()
    assert Path(settings.MEDIA_ROOT) in (attachments.storage_directory()).parents


def test_attachments_are_served_only_as_downloads_to_authorised_users(
    psirt: Any, rosa: Any, ivan: Any
) -> None:
    receipt = submitted(reporter=rosa, files=[("trace.txt", b"<script>alert(1)</script>")])
    url = reverse("disclosure:attachment", args=[receipt.case.attachments.get().pk])
    for person in (psirt, rosa):
        response = signed_in(person).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain"
        assert response["Content-Disposition"] == 'attachment; filename="trace.txt"'
        assert response["X-Content-Type-Options"] == "nosniff"
    assert signed_in(ivan).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_the_policy_page_says_timelines_and_safe_harbour() -> None:
    page = Client().get(reverse("disclosure:policy")).content.decode()
    for text in (
        "5 business days",
        "30 days",
        "90 days",
        "Safe harbour",
        "How to encrypt",
        "follow-up link",
    ):
        assert text in page
    assert "<script>" not in page.split("</head>")[1]
    assert " style=" not in page


def test_the_form_never_reflects_markup() -> None:
    response = post_report(Client(), title="", description="<script>alert(1)</script>")
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_report_form_states_the_attachment_limits_before_any_upload(settings: Any) -> None:
    settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION = 3
    settings.DISCLOSURE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    page = Client().get(reverse("disclosure:report")).content.decode()
    assert "Up to 3 files of 5 MB each: .jpeg, .jpg, .pcap, .pdf, .png, or text (" in page
    assert ".txt" in page[page.index("Up to 3 files") :]
