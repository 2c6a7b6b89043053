"""Issuing, signing and downloading a report through the pages and the API."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.audit.models import AuditEvent
from medvigil.audit.signatures import sign, signature_status
from medvigil.reports import kinds
from medvigil.reports.document import Facts, Paragraph, Report, Section, Table
from medvigil.reports.models import IssuedReport
from tests import factories

pytestmark = pytest.mark.django_db


def open_findings(version: Any) -> Report:
    """A kind built from the live data: the version's label and its lifecycle phase."""
    return Report(
        title="Version sheet",
        subject=f"{version.product.name} {version.version}",
        identifier=f"SHEET-{version.pk}",
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        sections=(
            Section(
                "Lifecycle",
                (
                    Paragraph(f"Phase: {version.phase}"),
                    Table("Facts", ("Field", "Value"), (("Phase", version.phase),)),
                ),
            ),
        ),
    )


@pytest.fixture(autouse=True)
def sheet_kind() -> Iterator[None]:
    kinds.register_kind("sheet", "Version sheet", open_findings)
    yield
    kinds.KINDS.pop("sheet", None)


@pytest.fixture
def world() -> dict[str, Any]:
    team = factories.team()
    product = factories.product(owner=team, name="Infusion pump")
    return {
        "version": factories.version(product, label="2.1", phase="production"),
        "author": factories.user(roles={"product-security"}, teams=[team]),
        "approver": factories.user(roles={"regulatory"}, teams=[team]),
        "viewer": factories.user(roles={"viewer"}, teams=[team]),
        "stranger": factories.user(roles={"product-security"}, teams=[factories.team()]),
    }


def signed_in(person: Any) -> Client:
    return factories.sign_in(Client(), person)


def code_of(person: Any) -> str:
    device = TOTPDevice.objects.get(user=person)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def issue(client: Client, version: Any) -> IssuedReport:
    response = client.post(reverse("reports:issue", args=[version.pk, "sheet"]))
    assert response.status_code == 302
    return IssuedReport.objects.latest("id")


def test_issuing_freezes_the_live_data_and_numbers_each_issue(world: dict[str, Any]) -> None:
    client, version = signed_in(world["author"]), world["version"]
    first = issue(client, version)
    version.phase = "maintenance"
    version.save()
    second = issue(client, version)
    assert (first.number, second.number) == (1, 2)
    assert first.identifier == f"SHEET-{version.pk} issue 1"
    assert "Phase: production" in first.snapshot
    assert "Phase: maintenance" in second.snapshot
    event = AuditEvent.objects.filter(action="report-issued").latest("sequence")
    assert event.details["sha256"] == second.sha256


def test_a_signed_report_prints_its_signature_and_refuses_the_author(
    world: dict[str, Any],
) -> None:
    issued = issue(signed_in(world["author"]), world["version"])
    author, approver = signed_in(world["author"]), signed_in(world["approver"])
    refused = author.post(
        reverse("reports:sign", args=[issued.pk]),
        {
            "meaning": "approved",
            "password": factories.PASSWORD,
            "reason": "my own work",
            "otp_code": code_of(world["author"]),
        },
    )
    assert signature_status(issued) == []
    # The refusal is shown on the same form, with what was typed kept.
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Separation of duties" in page
    assert 'value="my own work"' in page
    approver.post(
        reverse("reports:sign", args=[issued.pk]),
        {
            "meaning": "approved",
            "password": factories.PASSWORD,
            "reason": "release",
            "otp_code": code_of(world["approver"]),
        },
    )
    [signature] = signature_status(issued)
    assert signature.valid
    assert signature.signer_username == world["approver"].username
    # On the page, the signatures come before the content, and only once.
    page = approver.get(reverse("reports:detail", args=[issued.pk])).content.decode()
    assert page.count("<h2>Electronic signatures</h2>") == 1
    assert page.index("<h2>Electronic signatures</h2>") < page.index('class="report-section">')
    response = approver.get(reverse("reports:download", args=[issued.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Approved" in text
    assert world["approver"].username in text
    assert "valid" in text


def test_a_changed_snapshot_shows_its_signatures_invalidated(world: dict[str, Any]) -> None:
    issued = issue(signed_in(world["author"]), world["version"])
    signed_in(world["approver"])  # enrols the approver's authenticator
    sign(world["approver"], issued, "approved", factories.PASSWORD, code_of(world["approver"]))
    IssuedReport.objects.filter(pk=issued.pk).update(snapshot=issued.snapshot.replace("2.1", "9"))
    [signature] = signature_status(IssuedReport.objects.get(pk=issued.pk))
    assert not signature.valid


def test_each_format_downloads_and_an_unknown_one_is_not_found(world: dict[str, Any]) -> None:
    issued = issue(signed_in(world["author"]), world["version"])
    reader = signed_in(world["viewer"])
    for output, media_type in (
        ("docx", "wordprocessingml"),
        ("xlsx", "spreadsheetml"),
        ("html", "text/html"),
    ):
        response = reader.get(reverse("reports:download", args=[issued.pk, output]))
        assert response.status_code == 200
        assert media_type in response["Content-Type"]
    assert reader.get(reverse("reports:download", args=[issued.pk, "exe"])).status_code == 404


def test_readers_cannot_issue_and_other_teams_cannot_see(world: dict[str, Any]) -> None:
    version = world["version"]
    viewer, stranger = signed_in(world["viewer"]), signed_in(world["stranger"])
    assert viewer.post(reverse("reports:issue", args=[version.pk, "sheet"])).status_code == 403
    issued = issue(signed_in(world["author"]), version)
    assert stranger.get(reverse("reports:detail", args=[issued.pk])).status_code == 404
    assert viewer.get(reverse("reports:detail", args=[issued.pk])).status_code == 200


def test_the_api_issues_lists_and_downloads(world: dict[str, Any]) -> None:
    client, version = signed_in(world["author"]), world["version"]
    created = client.post(f"/api/v1/reports/versions/{version.pk}/sheet")
    assert created.status_code == 201
    assert created.json()["number"] == 1
    listed = client.get(f"/api/v1/reports/versions/{version.pk}").json()
    assert [item["identifier"] for item in listed["items"]] == [f"SHEET-{version.pk} issue 1"]
    unknown = client.post(f"/api/v1/reports/versions/{version.pk}/nothing")
    assert unknown.status_code == 404
    assert unknown["Content-Type"] == "application/problem+json"
    report_id = created.json()["id"]
    workbook = client.get(f"/api/v1/reports/{report_id}/download/xlsx")
    assert workbook.status_code == 200
    assert workbook.content[:2] == b"PK"


def blocked_sheet(version: Any) -> Report:
    """A report stating two blocking issues, as the risk management report does."""
    return Report(
        title="Blocked sheet",
        subject=f"{version.product.name} {version.version}",
        identifier=f"BLOCKED-{version.pk}",
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        sections=(Section("Summary", (Facts((("Blocking issues", "2"),)),)),),
    )


def test_a_report_with_blocking_issues_is_signed_only_when_they_are_acknowledged(
    world: dict[str, Any],
) -> None:
    kinds.register_kind("blocked", "Blocked sheet", blocked_sheet)
    try:
        author = signed_in(world["author"])
        author.post(reverse("reports:issue", args=[world["version"].pk, "blocked"]))
        issued = IssuedReport.objects.latest("id")
        approver = signed_in(world["approver"])
        page = approver.get(reverse("reports:detail", args=[issued.pk])).content.decode()
        assert "This report lists 2 blocking issues" in page
        form = {
            "meaning": "approved",
            "password": factories.PASSWORD,
            "reason": "release",
            "otp_code": code_of(world["approver"]),
        }
        refused = approver.post(reverse("reports:sign", args=[issued.pk]), form)
        assert refused.status_code == 422
        assert "lists 2 blocking issue(s)" in refused.content.decode()
        assert signature_status(issued) == []
        approver.post(
            reverse("reports:sign", args=[issued.pk]), {**form, "acknowledge_blocking": "on"}
        )
        [signature] = signature_status(issued)
        assert signature.reason == "release (signed with 2 blocking issue(s) acknowledged)"
    finally:
        kinds.KINDS.pop("blocked", None)
