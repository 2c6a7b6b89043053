"""Advisories: authored from a case, reviewed and approved by two other people, published as
CSAF 2.0 (checked by the official validator), with revisions tracked in the document."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medvigil.audit.models import AuditEvent, Signature
from medvigil.core.csaf import read_csaf
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.models import Advisory, AdvisoryRevision, AdvisoryState
from medvigil.platform.refusals import Refusal
from tests import factories
from tests.csaf_validator import validate_csaf
from tests.disclosure.advisory_helpers import (
    BASE_URL,
    CNA_ORGANIZATION,
    advisory_data,
    cve_data,
    people_and_case,
    publish_signed,
    published_advisory,
)

pytestmark = pytest.mark.django_db
FUZZ_LABELS = itertools.count()


def code(user: Any) -> str:
    """The current code of the authenticator `factories.sign_in` enrolled for `user`."""
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def api(client: Client, method: str, path: str, body: Any = None) -> Any:
    return client.generic(
        method, f"/api/v1/disclosure/{path}", json.dumps(body or {}), "application/json"
    )


def test_published_documents_pass_the_official_validator_and_track_revisions() -> None:
    world, advisory, first = published_advisory()
    assert first.number == 1
    advisory.refresh_from_db()
    assert advisory.state == AdvisoryState.PUBLISHED
    assert "reviewed by lvp-pascal" in first.approvals
    assert "approved by lvp-paula" in first.approvals
    # A second revision: the edit invalidates both signatures until signed again.
    advisory_services.update_advisory(
        advisory,
        world.author,
        advisory_data(
            world, revision_summary="Workaround added", workaround="Disable the update service."
        ),
    )
    with pytest.raises(Refusal, match="reviewed and approved"):
        advisory_services.publish(
            advisory, world.approver, advisory_selectors.locations(BASE_URL, advisory)
        )
    second = publish_signed(world, advisory)
    amber_world = people_and_case("amber")
    amber = advisory_services.create_advisory(
        amber_world.case, amber_world.author, advisory_data(amber_world, tlp="AMBER")
    )
    amber_revision = publish_signed(amber_world, amber)
    documents = {
        "first": json.loads(bytes(first.document)),
        "second": json.loads(bytes(second.document)),
        "amber": json.loads(bytes(amber_revision.document)),
    }
    reports = validate_csaf(documents)
    assert {name: report["errors"] for name, report in reports.items()} == {
        "first": [],
        "second": [],
        "amber": [],
    }
    tracking = documents["second"]["document"]["tracking"]
    assert tracking["version"] == "2"
    assert [entry["summary"] for entry in tracking["revision_history"]] == [
        "Initial publication",
        "Workaround added",
    ]
    assert (
        tracking["initial_release_date"]
        == documents["first"]["document"]["tracking"]["initial_release_date"]
    )
    assert documents["amber"]["document"]["distribution"]["tlp"]["label"] == "AMBER"
    read = read_csaf(documents["second"], source="second")
    vulnerability = read.vulnerabilities[0]
    assert vulnerability.cve == "CVE-2026-40001"
    assert vulnerability.cwe_id == "CWE-347"
    assert vulnerability.scores[0].cvss_v3_base_score == 8.8
    assert [read.product(pid).name for pid in vulnerability.product_status.known_affected] == [
        "the manufacturer LVP infusion pump 3.1.0"
    ]
    assert [read.product(pid).name for pid in vulnerability.product_status.fixed] == [
        "the manufacturer LVP infusion pump 3.2.0"
    ]
    assert {item.category for item in vulnerability.remediations} == {
        "vendor_fix",
        "mitigation",
        "workaround",
    }


def test_separation_of_duties_author_reviewer_and_approver_are_three_people() -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    with pytest.raises(Refusal, match="author may not review"):
        advisory_services.review(advisory, world.author, factories.PASSWORD)
    with pytest.raises(Refusal, match="needs a review"):
        advisory_services.approve(advisory, world.approver, factories.PASSWORD)
    with pytest.raises(Refusal, match="password is not right"):
        advisory_services.review(advisory, world.reviewer, "wrong")
    advisory_services.review(advisory, world.reviewer, factories.PASSWORD)
    with pytest.raises(Refusal, match="reviewer may not also approve"):
        advisory_services.approve(advisory, world.reviewer, factories.PASSWORD)
    with pytest.raises(Refusal, match="author of this record may not sign it as approved"):
        advisory_services.approve(advisory, world.author, factories.PASSWORD)
    assert AdvisoryRevision.objects.count() == 0
    assert AuditEvent.objects.filter(action="signature-refused").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "title"),
        ({"summary": ""}, "summary"),
        ({"tlp": "CLEAR"}, "TLP label"),
        ({"fixed_version_ids": (999_999,)}, "fixed version"),
    ],
)
def test_bad_advisory_input_is_refused_and_nothing_is_stored(
    changes: dict[str, Any], message: str
) -> None:
    world = people_and_case()
    with pytest.raises(Refusal, match=message):
        advisory_services.create_advisory(world.case, world.author, advisory_data(world, **changes))
    assert Advisory.objects.count() == 0


def test_a_version_cannot_be_both_affected_and_fixed() -> None:
    world = people_and_case()
    with pytest.raises(Refusal, match="both affected and fixed"):
        advisory_services.create_advisory(
            world.case, world.author, advisory_data(world, fixed_version_ids=(world.affected.pk,))
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cve_id": "CVE-26-1"}, "not a CVE id"),
        ({"assigner": "mitre"}, "own-cna or coordinator"),
        ({"assigner_org_id": ""}, "organization UUID is needed"),
        ({"assigner_org_id": "e3e70682-c209-1cac-a29f-6fbed82c07cd"}, "version 4"),
        ({"cwe_id": "CWE-0"}, "not a CWE id"),
        ({"cvss_vector": "CVSS:3.1/AV:N"}, "not a valid CVSS vector"),
        ({"description": " "}, "description"),
    ],
)
def test_bad_cve_input_is_refused(changes: dict[str, Any], message: str) -> None:
    from dataclasses import replace

    world = people_and_case()
    with pytest.raises(Refusal, match=message):
        advisory_services.record_cve(world.case, world.reviewer, replace(cve_data(), **changes))
    assert not world.case.cve_assignments.exists()


def test_the_api_walks_the_workflow_with_problem_documents_for_refusals(client: Client) -> None:
    world = people_and_case()
    factories.sign_in(client, world.author)
    body = {
        "title": "LVP-300: unsigned firmware",
        "summary": "Modified firmware could run.",
        "fixed_version_ids": [world.fixed.pk],
    }
    created = api(client, "POST", f"advisories/cases/{world.case.pk}", body)
    assert created.status_code == 201, created.content
    advisory_id = created.json()["id"]
    refused = api(
        client, "POST", f"advisories/{advisory_id}/review", {"password": factories.PASSWORD}
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    factories.sign_in(client, world.reviewer)
    recorded = api(
        client,
        "PUT",
        f"advisories/cases/{world.case.pk}/cves/CVE-2026-40002",
        {
            "assigner": "coordinator",
            "assigner_name": "CISA",
            "title": "Unsigned firmware",
            "description": "Images are installed unverified.",
            "cwe_id": "CWE-347",
        },
    )
    assert recorded.status_code == 200, recorded.content
    early = api(client, "POST", f"advisories/{advisory_id}/publication")
    assert early.status_code == 409
    assert "reviewed and approved" in early.json()["detail"]
    reviewed = api(
        client,
        "POST",
        f"advisories/{advisory_id}/review",
        {"password": factories.PASSWORD, "otp_code": code(world.reviewer)},
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["signatures"] == [
        {"meaning": "reviewed", "signer": "lvp-pascal", "valid": True}
    ]
    factories.sign_in(client, world.approver)
    approved = api(
        client,
        "POST",
        f"advisories/{advisory_id}/approval",
        {"password": factories.PASSWORD, "otp_code": code(world.approver)},
    )
    assert approved.json()["state"] == "approved"
    published = api(client, "POST", f"advisories/{advisory_id}/publication")
    assert published.status_code == 201, published.content
    revision = published.json()
    assert revision["number"] == 1
    assert revision["document_url"].startswith("http://testserver/.well-known/csaf/white/")
    assert revision["signed"] is False  # no disclosure key in this test
    incomplete = client.get("/api/v1/disclosure/cves/CVE-2026-40002/record")
    assert incomplete.status_code == 409
    assert "UUID" in incomplete.json()["detail"]
    api(
        client,
        "PUT",
        f"advisories/cases/{world.case.pk}/cves/CVE-2026-40002",
        {
            "assigner": "coordinator",
            "assigner_name": "CISA",
            "title": "Unsigned firmware",
            "description": "Images are installed unverified.",
            "cwe_id": "CWE-347",
            "assigner_org_id": CNA_ORGANIZATION,
        },
    )
    record = client.get("/api/v1/disclosure/cves/CVE-2026-40002/record")
    assert record.status_code == 200, record.content
    cna = record.json()["containers"]["cna"]
    assert cna["references"][0]["url"] == revision["page_url"]
    assert cna["affected"][0]["versions"] == [
        {"status": "affected", "version": "3.1.0"},
        {"status": "unaffected", "version": "3.2.0"},
    ]
    missing = client.get("/api/v1/disclosure/cves/CVE-2026-49999/record")
    assert missing.status_code == 404


def test_handler_pages_show_the_editor_signatures_and_revisions(client: Client) -> None:
    world, advisory, _ = published_advisory()
    factories.sign_in(client, world.reviewer)
    page = client.get(f"/advisories/manage/{advisory.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert advisory.tracking_id in text
    assert "reviewed by lvp-pascal" in text
    assert 'data-signature-status="invalidated"' in text  # signed for revision 1, now published
    listing = client.get("/advisories/manage/")
    assert advisory.tracking_id in listing.content.decode()
    factories.sign_in(client, world.author)
    refused = client.post(f"/advisories/manage/{advisory.pk}/publish")
    assert refused.status_code == 403
    edited = client.post(
        f"/advisories/manage/{advisory.pk}/",
        {"title": "", "summary": "x", "tlp": "WHITE", "revision_summary": "x"},
    )
    assert edited.status_code == 422
    assert Advisory.objects.get(pk=advisory.pk).title != ""


def test_public_pages_show_the_published_document_to_anyone(client: Client) -> None:
    _, advisory, revision = published_advisory()
    listing = client.get("/advisories/")
    assert advisory.tracking_id in listing.content.decode()
    page = client.get(f"/advisories/{advisory.tracking_id}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "CVE-2026-40001" in text
    assert "CWE-347 Improper Verification of Cryptographic Signature" in text
    assert "LVP infusion pump 3.1.0" in text
    assert "base score 8.8 (HIGH)" in text
    assert revision.sha256 in text
    assert client.get("/advisories/NO-SUCH-ID").status_code == 404


def test_the_pages_take_a_draft_through_review_approval_and_publication(client: Client) -> None:
    world = people_and_case()
    factories.sign_in(client, world.author)
    form = {
        "title": "LVP-300: unsigned firmware",
        "summary": "Modified firmware could run.",
        "fixed_versions": [world.fixed.pk],
        "tlp": "WHITE",
        "revision_summary": "Initial publication",
    }
    created = client.post(f"/advisories/manage/cases/{world.case.pk}/new", form)
    assert created.status_code == 302
    advisory = Advisory.objects.get()
    detail = f"/advisories/manage/{advisory.pk}/"
    assert created["Location"] == detail
    factories.sign_in(client, world.reviewer)
    wrong = client.post(detail + "review", {"password": "wrong", "otp_code": code(world.reviewer)})
    assert wrong.status_code == 422
    assert "password is not right" in wrong.content.decode()
    client.post(
        detail + "review", {"password": factories.PASSWORD, "otp_code": code(world.reviewer)}
    )
    factories.sign_in(client, world.approver)
    client.post(
        detail + "approve", {"password": factories.PASSWORD, "otp_code": code(world.approver)}
    )
    published = client.post(detail + "publish")
    assert published.status_code == 302
    page = client.get(detail).content.decode()
    assert "Published as revision 1." in page
    assert AdvisoryRevision.objects.get().advisory_id == advisory.pk


def beside(page: str, field_id: str, message: str) -> bool:
    """`message` is in the error list Django draws next to the field `field_id`."""
    return f'id="{field_id}_error"><li>{message}</li>' in page


def test_a_refused_new_advisory_is_shown_again_as_typed(client: Client) -> None:
    world = people_and_case()
    factories.sign_in(client, world.author)
    response = client.post(
        f"/advisories/manage/cases/{world.case.pk}/new",
        {
            "title": "",
            "summary": "Modified firmware could run on the pump.",
            "acknowledgments": "Ada Reporter",
            "tlp": "GREEN",
            "revision_summary": "First words",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "id_title", "This field is required.")
    assert "Modified firmware could run on the pump.</textarea>" in page
    assert 'value="Ada Reporter"' in page
    assert 'value="First words"' in page
    assert '<option value="GREEN" selected>' in page
    assert not Advisory.objects.exists()


def test_a_refused_edit_keeps_what_was_typed(client: Client) -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    factories.sign_in(client, world.author)
    response = client.post(
        f"/advisories/manage/{advisory.pk}/",
        {"title": "New words", "summary": "", "tlp": "WHITE", "revision_summary": "Edited"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert beside(page, "id_summary", "This field is required.")
    assert 'value="New words"' in page
    assert 'value="Edited"' in page
    assert Advisory.objects.get(pk=advisory.pk).title == advisory.title


def test_a_wrong_password_is_shown_beside_it_and_never_drawn_again(client: Client) -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    factories.sign_in(client, world.reviewer)
    typed_code = code(world.reviewer)
    response = client.post(
        f"/advisories/manage/{advisory.pk}/review",
        {"password": "not-my-secret-42", "otp_code": typed_code},
    )
    assert response.status_code == 422
    page = response.content.decode()
    message = "The password is not right; the record was not signed."
    assert beside(page, "review_password", message)
    assert f'value="{typed_code}"' in page
    assert "not-my-secret-42" not in page
    assert not beside(page, "approve_password", message)
    assert not Signature.objects.exists()


def test_an_approval_before_review_answers_409_beside_its_button(client: Client) -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    factories.sign_in(client, world.approver)
    response = client.post(
        f"/advisories/manage/{advisory.pk}/approve",
        {"password": factories.PASSWORD, "otp_code": code(world.approver)},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="errorlist nonfield"><li>The advisory needs a review' in page
    assert factories.PASSWORD not in page
    assert not Signature.objects.exists()


def test_a_refused_publication_answers_409_on_the_same_page(client: Client) -> None:
    world = people_and_case()
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    factories.sign_in(client, world.reviewer)
    response = client.post(f"/advisories/manage/{advisory.pk}/publish")
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        'class="errorlist nonfield"><li>Only a reviewed and approved advisory can be published.'
        in page
    )
    assert not AdvisoryRevision.objects.exists()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(min_size=1, max_size=40).filter(
        lambda text: "/" not in text and "\x00" not in text
    )
)
def test_any_file_name_in_the_directory_is_served_or_not_found_never_an_error(
    client: Client, name: str
) -> None:
    response = client.get(f"/.well-known/csaf/white/2026/{quote(name)}")
    assert response.status_code in (200, 404)


def test_findings_linked_to_the_case_become_vulnerabilities_of_the_advisory() -> None:
    from medvigil.disclosure.cases import findings_links
    from medvigil.sbom import services as sbom_services
    from medvigil.vulns import matching
    from medvigil.vulns.models import Finding
    from tests.security.world import ADVISORY, TINY_SBOM

    world = people_and_case()
    sbom_services.import_sbom(world.affected, TINY_SBOM, "bom.json", "firmware", None)
    factories.feed_import(ADVISORY, name="left-pad.json")
    matching.match_version(world.affected)
    finding = Finding.objects.get(version=world.affected)
    findings_links.link(world.case, user=world.reviewer, finding=finding, reason="bundled library")
    advisory_services.record_cve(world.case, world.reviewer, cve_data())
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    document = json.loads(bytes(publish_signed(world, advisory).document))
    assert validate_csaf({"linked": document})["linked"]["errors"] == []
    own, component = document["vulnerabilities"]
    assert own["cve"] == "CVE-2026-40001"
    assert component["cve"] == "CVE-2099-0001"
    assert component["title"] == "CVE-2099-0001 in left-pad 1.0.0"
    assert component["product_status"]["known_affected"] == own["product_status"]["known_affected"]
    assert {item["category"] for item in component["remediations"]} == {"vendor_fix", "mitigation"}


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    title=st.text(max_size=250),
    summary=st.text(max_size=50),
    tlp=st.sampled_from(["WHITE", "AMBER", "CLEAR", "", "white"]),
    acknowledgments=st.text(max_size=320),
    fixed=st.lists(st.integers(-5, 10**6), max_size=3),
)
def test_any_advisory_body_is_created_or_refused_with_a_problem(
    client: Client, title: str, summary: str, tlp: str, acknowledgments: str, fixed: list[int]
) -> None:
    world = people_and_case(f"fuzz{next(FUZZ_LABELS)}")
    factories.sign_in(client, world.author)
    body = {
        "title": title,
        "summary": summary,
        "tlp": tlp,
        "acknowledgments": acknowledgments,
        "fixed_version_ids": fixed,
    }
    before = Advisory.objects.count()
    response = api(client, "POST", f"advisories/cases/{world.case.pk}", body)
    # 400: text with a NUL character, which no database field may hold.
    assert response.status_code in (201, 400, 422), response.content
    if response.status_code != 201:
        assert response["Content-Type"] == "application/problem+json"
    assert Advisory.objects.count() == before + (response.status_code == 201)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    cve_id=st.one_of(
        st.from_regex(r"CVE-20[0-9]{2}-[0-9]{4,7}", fullmatch=True), st.text(max_size=20)
    ),
    assigner=st.sampled_from(["own-cna", "coordinator", "", "mitre"]),
    org_id=st.one_of(st.just(""), st.uuids().map(str), st.text(max_size=36)),
    cwe=st.one_of(
        st.just(""), st.from_regex(r"CWE-[0-9]{1,4}", fullmatch=True), st.text(max_size=12)
    ),
    vector=st.one_of(
        st.just(""), st.just("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), st.text(max_size=60)
    ),
)
def test_any_cve_body_is_recorded_or_refused_with_a_problem(
    client: Client, cve_id: str, assigner: str, org_id: str, cwe: str, vector: str
) -> None:
    world = people_and_case(f"cvefuzz{next(FUZZ_LABELS)}")
    factories.sign_in(client, world.reviewer)
    body = {
        "assigner": assigner,
        "assigner_name": "Lumen",
        "title": "Unsigned firmware",
        "description": "Images are installed unverified.",
        "assigner_org_id": org_id,
        "cwe_id": cwe,
        "cvss_vector": vector,
    }
    response = api(
        client, "PUT", f"advisories/cases/{world.case.pk}/cves/{quote(cve_id, safe='')}", body
    )
    assert response.status_code in (200, 400, 404, 422), response.content
    if response.status_code != 200:
        assert not world.case.cve_assignments.exists()
