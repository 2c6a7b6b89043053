"""The decision form on a finding's page: a refusal keeps what was typed, errors beside fields."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from medvigil.triage import services
from medvigil.triage.models import Decision, Proposal
from tests import factories
from tests.triage.conftest import Portfolio

pytestmark = pytest.mark.django_db

IMPACT = "The parser is only reached from the signed update package."
JUSTIFICATION_MISSING = "Not affected needs one of the five justifications."


def selected_status(page: str) -> str:
    select = re.search(r'<select name="status"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    chosen = re.search(r'<option value="([a-z_]+)" selected>', select.group(1))
    assert chosen is not None
    return chosen.group(1)


def test_a_refused_decision_is_shown_again_as_typed_with_the_error_beside_its_field(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.development)
    engineer = factories.sign_in(Client(), portfolio.engineer)
    typed = {"status": "not_affected", "impact_statement": IMPACT, "note": "Checked."}
    answer = engineer.post(f"/triage/findings/{finding.pk}/decision", typed)
    assert answer.status_code == 422
    page = answer.content.decode()
    assert selected_status(page) == "not_affected"
    assert f"{IMPACT}</textarea>" in page
    assert "Checked.</textarea>" in page
    # The error list stands right before the justification field's line.
    assert re.search(
        rf'<ul class="errorlist" id="id_justification_error"><li>{JUSTIFICATION_MISSING}</li>'
        r"</ul>\s*<p>\s*<label for=\"id_justification\">",
        page,
    )
    assert "justification: " not in page  # no longer a message at the top
    assert not Decision.objects.exists()
    done = engineer.post(
        f"/triage/findings/{finding.pk}/decision",
        {**typed, "justification": "vulnerable_code_not_in_execute_path"},
    )
    assert done.status_code == 302
    assert Decision.objects.get().status == "not_affected"
    page = engineer.get(f"/triage/findings/{finding.pk}/").content.decode()
    assert selected_status(page) == "not_affected"  # the decision in force


def test_the_status_field_shows_under_investigation_before_any_decision(
    portfolio: Portfolio,
) -> None:
    finding = portfolio.finding(portfolio.development)
    engineer = factories.sign_in(Client(), portfolio.engineer)
    page = engineer.get(f"/triage/findings/{finding.pk}/").content.decode()
    assert selected_status(page) == "under_investigation"


def test_confirming_an_incomplete_proposal_shows_it_to_complete(portfolio: Portfolio) -> None:
    finding = portfolio.finding(portfolio.development)
    proposal = services.propose(finding, "not_affected", source_label="Supplier VEX")
    assert isinstance(proposal, Proposal)
    engineer = factories.sign_in(Client(), portfolio.engineer)
    answer = engineer.post(f"/triage/proposals/{proposal.pk}/confirmation")
    assert answer.status_code == 422
    page = answer.content.decode()
    assert f'id="proposal{proposal.pk}_change-justification_error"' in page
    assert "<details open>" in page
    proposal.refresh_from_db()
    assert proposal.state == "open"
