"""Electronic signatures: re-authentication, TOTP, separation of duties, invalidation."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.template import Context, Template
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from medvigil.audit.models import AuditEvent, Signature
from medvigil.audit.services import verify_chain
from medvigil.audit.signatures import sign, signature_block, signature_status
from medvigil.platform.refusals import Kind, Refusal
from medvigil.portfolio.models import Product
from tests import factories
from tests.audit.records import product

pytestmark = pytest.mark.django_db


def signable(record: Product) -> Product:
    """A product that vouches for its name and intended use (as a signable record would)."""

    def signed_content() -> bytes:
        return f"{record.name}\n{record.intended_use}".encode()

    record.signed_content = signed_content  # type: ignore[attr-defined]
    return record


def refusals(record: Product) -> list[dict[str, Any]]:
    return list(
        AuditEvent.objects.filter(action="signature-refused", object_id=str(record.pk)).values_list(
            "details", flat=True
        )
    )


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_signature_stores_who_what_when_and_the_content_hash() -> None:
    author = factories.user(username="alice")
    pump = signable(product())
    signature = sign(author, pump, "authored", factories.PASSWORD, reason="first issue")
    assert signature.signer == author
    assert signature.printed_name == "Alice Example"
    assert signature.meaning == "authored"
    expected = hashlib.sha256(b"Infusion pump\nDelivers fluids to patients.").hexdigest()
    assert signature.content_hash == expected
    event = signature.audit_event
    assert (event.action, event.object_type, event.object_id) == (
        "signed",
        "portfolio.product",
        str(pump.pk),
    )
    assert event.details == {
        "meaning": "authored",
        "content_hash": expected,
        "printed_name": "Alice Example",
        "reason": "first issue",
    }
    assert event.actor == author
    assert signature.signed_at == event.occurred_at
    assert verify_chain().intact


def test_the_printed_name_falls_back_to_the_full_name_then_the_username() -> None:
    person = factories.user(username="carol")
    person.profile.printed_name = ""
    person.profile.save()
    pump = signable(product())
    assert sign(person, pump, "reviewed", factories.PASSWORD).printed_name == "carol"
    person.first_name, person.last_name = "Carol", "Jones"
    person.save()
    assert sign(person, pump, "released", factories.PASSWORD).printed_name == "Carol Jones"


def test_a_wrong_password_is_refused_and_audited() -> None:
    person = factories.user()
    pump = signable(product())
    with pytest.raises(Refusal, match="The password is not right") as refused:
        sign(person, pump, "approved", "not my password")
    assert refused.value.kind == Kind.INVALID
    assert [error.location for error in refused.value.errors] == [("password",)]
    assert not Signature.objects.exists()
    assert refusals(pump) == [
        {
            "meaning": "approved",
            "reason": "The password is not right; the record was not signed.",
        }
    ]
    assert "not my password" not in str(AuditEvent.objects.values_list("details", flat=True))


def test_an_unknown_meaning_or_an_unsignable_record_is_refused() -> None:
    person = factories.user()
    pump = signable(product())
    with pytest.raises(Refusal, match="Unknown signature meaning 'liked'"):
        sign(person, pump, "liked", factories.PASSWORD)
    with pytest.raises(Refusal, match="cannot be signed"):
        sign(person, product("Monitor"), "approved", factories.PASSWORD)
    assert len(refusals(pump)) == 1


def test_an_enrolled_signer_needs_a_current_authenticator_code(settings: Any) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting after the wrong code in this test
    person = factories.user()
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    pump = signable(product())
    with pytest.raises(Refusal, match="code from your authenticator app"):
        sign(person, pump, "reviewed", factories.PASSWORD)
    with pytest.raises(Refusal, match="authenticator code is not right"):
        sign(person, pump, "reviewed", factories.PASSWORD, otp_code="000000")
    signature = sign(person, pump, "reviewed", factories.PASSWORD, otp_code=current_code(device))
    assert signature.meaning == "reviewed"
    assert [details["meaning"] for details in refusals(pump)] == ["reviewed", "reviewed"]


def test_a_recovery_code_cannot_sign() -> None:
    person = factories.user()
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    recovery = StaticDevice.objects.create(user=person, name="recovery", confirmed=True)
    StaticToken.objects.create(device=recovery, token="recover1")
    with pytest.raises(Refusal, match="recovery codes cannot sign"):
        sign(person, signable(product()), "reviewed", factories.PASSWORD, otp_code="recover1")
    assert StaticToken.objects.filter(token="recover1").exists()


def test_the_author_may_not_review_approve_or_release() -> None:
    author = factories.user()
    approver = factories.user()
    pump = signable(product())
    sign(author, pump, "authored", factories.PASSWORD)
    for meaning in ("reviewed", "approved", "released"):
        with pytest.raises(Refusal, match=f"Separation of duties.*as {meaning}") as refused:
            sign(author, pump, meaning, factories.PASSWORD)
        assert refused.value.kind == Kind.FORBIDDEN
    assert sign(approver, pump, "approved", factories.PASSWORD).signer == approver
    assert len(refusals(pump)) == 3


def test_the_creator_of_a_record_may_not_approve_it() -> None:
    creator = factories.user()
    pump = signable(product(created_by=creator))
    with pytest.raises(Refusal, match="the author of this record may not sign it"):
        sign(creator, pump, "approved", factories.PASSWORD)


def test_settings_add_rules_but_never_relax_the_required_ones(settings: Any) -> None:
    settings.SIGNATURE_RULES = {
        "approved": {"not_same_as": []},
        "released": {"not_same_as": ["approved"]},
    }
    person = factories.user()
    pump = signable(product())
    sign(person, pump, "authored", factories.PASSWORD)
    with pytest.raises(Refusal, match="signed this record as authored may not sign it as approved"):
        sign(person, pump, "approved", factories.PASSWORD)
    other = signable(product("Monitor"))
    sign(person, other, "approved", factories.PASSWORD)
    with pytest.raises(Refusal, match="signed this record as approved may not sign it as released"):
        sign(person, other, "released", factories.PASSWORD)


def test_signing_twice_with_the_same_meaning_is_refused() -> None:
    person = factories.user()
    pump = signable(product())
    sign(person, pump, "reviewed", factories.PASSWORD)
    with pytest.raises(Refusal, match="already signed this record as reviewed") as refused:
        sign(person, pump, "reviewed", factories.PASSWORD)
    assert refused.value.kind == Kind.CONFLICT


def test_editing_the_record_invalidates_its_signatures_visibly() -> None:
    author = factories.user(username="alice")
    approver = factories.user(username="bob")
    pump = signable(product())
    sign(author, pump, "authored", factories.PASSWORD)
    sign(approver, pump, "approved", factories.PASSWORD)
    assert [view.valid for view in signature_status(pump)] == [True, True]
    pump.intended_use = "Delivers fluids and drugs to patients."
    pump.save()
    views = signature_status(pump)
    assert [(view.meaning, view.valid) for view in views] == [
        ("authored", False),
        ("approved", False),
    ]
    assert Signature.objects.count() == 2
    rendered = Template("{% load signatures %}{% signature_block record %}").render(
        Context({"record": pump})
    )
    assert rendered.count('data-signature-status="invalidated"') == 2
    assert "Alice Example" in rendered
    assert "the record changed after signing" in rendered
    lines = signature_block(pump)
    assert lines[0] == "Electronic signatures:"
    assert lines[1].startswith("  Authored by Alice Example (alice) on 20")
    assert lines[1].endswith(" UTC — INVALIDATED: the record changed after signing")
    assert lines[2] == f"    content SHA-256 {views[0].content_hash}"
    assert sign(author, pump, "authored", factories.PASSWORD).content_hash != views[0].content_hash
    assert signature_block(pump)[-2].endswith(" — valid")


def test_an_unsigned_record_prints_so() -> None:
    assert signature_block(signable(product())) == ["Electronic signatures: none"]
