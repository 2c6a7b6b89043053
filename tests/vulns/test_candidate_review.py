"""A person confirms or dismisses a candidate, and re-matching respects the review.

On the real NVD record CVE-2022-31022 (bleve), whose CPE criterion names every
version of the product.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medvigil.audit.models import AuditEvent
from medvigil.platform.roles import Role
from medvigil.vulns import matching
from medvigil.vulns.models import Finding
from tests import factories
from tests.vulns.test_finding_lifecycle import cpe_portfolio, states  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def signed_in(version: Any, role: str) -> Client:
    person = factories.user(roles=[role], teams=[version.product.team])
    return factories.sign_in(Client(raise_request_exception=False), person)


def candidate() -> Finding:
    return Finding.objects.get(state="candidate")


def review(client: Client, finding: Finding, decision: str, note: str = "checked") -> Any:
    return client.post(
        f"/api/v1/vulns/findings/{finding.pk}/review",
        {"decision": decision, "note": note},
        content_type="application/json",
    )


def test_a_confirmed_candidate_is_a_finding_and_stays_one_after_matching(
    cpe_portfolio: dict[str, Any],  # noqa: F811
) -> None:
    version = cpe_portfolio["version"]
    client = signed_in(version, Role.PRODUCT_SECURITY.value)
    answer = review(client, candidate(), "confirm", "Our bleve is Couchbase's, 2.3.2 is affected.")
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["review"]) == ("open", "confirmed")
    matching.match_version(version)
    assert states(version)[("CVE-2022-31022", "bleve")] == "open"
    event = AuditEvent.objects.get(action="vulns.finding.candidate-confirmed")
    assert event.changes == {"state": ["candidate", "open"]}


def test_a_dismissed_candidate_stays_closed_with_the_reviewers_reason(
    cpe_portfolio: dict[str, Any],  # noqa: F811
) -> None:
    version = cpe_portfolio["version"]
    client = factories.sign_in(
        Client(), factories.user(roles=[Role.PSIRT.value], teams=[version.product.team])
    )
    finding = candidate()
    form = {"decision": "dismiss", "note": "A different bleve (our own fork)."}
    response = client.post(f"/vulnerabilities/findings/{finding.pk}/review", form)
    assert response.status_code == 302
    matching.match_version(version)
    finding.refresh_from_db()
    assert finding.state == "closed"
    assert finding.close_reason == "dismissed on review: A different bleve (our own fork)."
    listing = client.get(f"/vulnerabilities/versions/{version.pk}/findings?state=closed")
    assert "dismissed on review" in listing.content.decode()


def test_a_review_needs_a_reason_a_candidate_and_an_editor(
    cpe_portfolio: dict[str, Any],  # noqa: F811
) -> None:
    version = cpe_portfolio["version"]
    engineer = signed_in(version, Role.PRODUCT_SECURITY.value)
    no_reason = review(engineer, candidate(), "dismiss", "  ")
    assert no_reason.status_code == 422
    assert "Say why" in no_reason.json()["detail"]
    assert no_reason.json()["errors"][0]["location"] == ["note"]
    open_finding = Finding.objects.get(state="open")
    not_candidate = review(engineer, open_finding, "dismiss")
    assert not_candidate.status_code == 409
    assert "Only a candidate is reviewed" in not_candidate.json()["detail"]
    wrong = review(engineer, candidate(), "ignore")
    assert wrong.status_code == 422
    viewer = signed_in(version, Role.VIEWER.value)
    assert review(viewer, candidate(), "confirm").status_code == 403
    assert candidate().review == ""
    assert not AuditEvent.objects.filter(action__startswith="vulns.finding.candidate-").exists()


def test_the_candidate_listing_offers_the_review_form_to_editors_only(
    cpe_portfolio: dict[str, Any],  # noqa: F811
) -> None:
    version = cpe_portfolio["version"]
    url = f"/vulnerabilities/versions/{version.pk}/findings?state=candidate"
    editor_page = signed_in(version, Role.RISK_MANAGER.value).get(url).content.decode()
    viewer_page = signed_in(version, Role.VIEWER.value).get(url).content.decode()
    assert 'value="dismiss"' in editor_page
    assert 'value="dismiss"' not in viewer_page


def test_a_refused_review_keeps_the_note_on_its_own_row_only(
    cpe_portfolio: dict[str, Any],  # noqa: F811
) -> None:
    version = cpe_portfolio["version"]
    refused = candidate()
    twin = Finding.objects.get(pk=refused.pk).vulnerability
    twin.pk = None
    twin.canonical_id = "CVE-2022-99999"
    twin.save()
    other = Finding.objects.get(pk=refused.pk)
    other.pk = None
    other.vulnerability = twin
    other.save()
    client = signed_in(version, Role.PSIRT.value)
    response = client.post(
        f"/vulnerabilities/findings/{refused.pk}/review",
        {"decision": "ignore", "note": "Our bleve is the upstream one"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'class="errorlist nonfield"><li>A review confirms or dismisses' in page
    typed = 'value="Our bleve is the upstream one" required maxlength="500"'
    assert f'{typed} id="review{refused.pk}_note"' in page
    assert page.count("Our bleve is the upstream one") == 1
    assert f'id="review{other.pk}_note"' in page
    blank = client.post(
        f"/vulnerabilities/findings/{refused.pk}/review", {"decision": "dismiss", "note": "  "}
    )
    assert blank.status_code == 422
    message = "Say why: the note is what the next reader of this finding relies on."
    assert f'id="review{refused.pk}_note_error"><li>{message}</li>' in blank.content.decode()
    assert not Finding.objects.exclude(review="").exists()
    assert not AuditEvent.objects.filter(action__startswith="vulns.finding.candidate-").exists()
