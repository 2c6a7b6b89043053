"""Advisory pages for authors and handlers: write from a case, review, approve, publish.

Authors (handlers and product security) write and edit; only handlers sign
and publish. An invisible advisory answers 404, a forbidden action 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.audit.signatures import signature_status
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.forms import AdvisoryForm, PublishForm, SignatureForm
from medvigil.disclosure.advisories.models import Advisory, AdvisoryDelivery
from medvigil.disclosure.advisories.policies import is_author
from medvigil.disclosure.cases.models import Case
from medvigil.disclosure.cases.policies import is_handler
from medvigil.disclosure.intake.portal import base_url
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.portfolio.models import ProductVersion


def _require_author(user: Any) -> None:
    if not is_author(user):
        raise PermissionDenied("Only PSIRT handlers and product security write advisories.")


def _case_versions(case: Case) -> Any:
    products = case.affected_versions.values_list("version__product_id", flat=True)
    affected = case.affected_versions.values_list("version_id", flat=True)
    return (
        ProductVersion.objects.filter(product_id__in=list(products))
        .exclude(pk__in=list(affected))
        .select_related("product")
    )


@login_required
def advisory_list(request: HttpRequest) -> HttpResponse:
    _require_author(request.user)
    context = {
        "advisories": advisory_selectors.advisories(request.user)[:500],
        "cases": advisory_selectors.cases_to_write_about(request.user)[:200],
        "records_cves": is_handler(request.user),  # only handlers record CVE ids
    }
    return render(request, "disclosure/advisory_list.html", context)


@login_required
def advisory_create(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_author(request.user)
    case = advisory_selectors.case_to_write_about(request.user, case_id)
    form = AdvisoryForm(request.POST or None, versions=_case_versions(case))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                created = advisory_services.create_advisory(case, request.user, form.data_object())
            except Refusal as refusal:
                show_refusal(form, refusal)
                status = refusal.status
            else:
                messages.success(request, f"Advisory {created.tracking_id} created as a draft.")
                return redirect("advisories:advisory-detail", created.pk)
    context = {"case": case, "form": form}
    return render(request, "disclosure/advisory_create.html", context, status=status)


def _initial(advisory: Advisory) -> dict[str, Any]:
    return {
        "title": advisory.title,
        "summary": advisory.summary,
        "details": advisory.details,
        "fix_details": advisory.fix_details,
        "mitigation": advisory.mitigation,
        "workaround": advisory.workaround,
        "acknowledgments": advisory.acknowledgments,
        "tlp": advisory.tlp,
        "revision_summary": advisory.revision_summary,
        "fixed_versions": list(advisory.fixed_versions.all()),
    }


def detail_page(
    request: HttpRequest, advisory: Advisory, status: int = 200, **bound: Any
) -> HttpResponse:
    """The advisory page; after a refusal `status` is the refusal's and `bound` its form."""
    context = {
        "advisory": advisory,
        "form": bound.pop(
            "form",
            AdvisoryForm(initial=_initial(advisory), versions=_case_versions(advisory.case)),
        ),
        "review_form": bound.pop("review_form", SignatureForm(auto_id="review_%s")),
        "approve_form": bound.pop("approve_form", SignatureForm(auto_id="approve_%s")),
        "publish_form": bound.pop("publish_form", PublishForm(auto_id="publish_%s")),
        "signatures": signature_status(advisory),
        "revisions": advisory_selectors.revision_history(advisory),
        "affected": advisory.case.affected_versions.select_related("version__product"),
        "cves": advisory.case.cve_assignments.all(),
        "handler": is_handler(request.user),
        "deliveries": AdvisoryDelivery.objects.filter(revision__advisory=advisory)
        .select_related("organisation", "revision")
        .order_by("revision__number", "pk"),
    }
    return render(request, "disclosure/advisory_detail.html", context, status=status)


def detail_again(
    request: HttpRequest, advisory: Advisory, refusal: Refusal | None = None, **bound: Any
) -> HttpResponse:
    """The advisory page again with the one refused form of `bound` as typed.

    Without a `refusal` the form itself was invalid (its own errors show): 422.
    """
    if refusal is None:
        return detail_page(request, advisory, 422, **bound)
    for form in bound.values():
        show_refusal(form, refusal)
    return detail_page(request, advisory, refusal.status, **bound)


@login_required
def advisory_detail(request: HttpRequest, advisory_id: int) -> HttpResponse:
    advisory = advisory_selectors.advisory(request.user, advisory_id)
    if request.method != "POST":
        return detail_page(request, advisory)
    permissions.require(request.user, "edit", advisory)
    form = AdvisoryForm(request.POST, versions=_case_versions(advisory.case))
    if not form.is_valid():
        return detail_again(request, advisory, form=form)
    try:
        advisory_services.update_advisory(advisory, request.user, form.data_object())
    except Refusal as refusal:
        return detail_again(request, advisory, refusal, form=form)
    messages.success(request, "Saved. Earlier review and approval no longer apply.")
    return redirect("advisories:advisory-detail", advisory.pk)


def _sign(request: HttpRequest, advisory_id: int, action: str) -> HttpResponse:
    advisory = advisory_selectors.advisory(request.user, advisory_id)
    permissions.require(request.user, action, advisory)
    # The password is never drawn again (PasswordInput); the code is kept as typed.
    form = SignatureForm(request.POST, auto_id=f"{action}_%s")
    bound: dict[str, Any] = {f"{action}_form": form}
    if not form.is_valid():
        return detail_again(request, advisory, **bound)
    step = advisory_services.review if action == "review" else advisory_services.approve
    try:
        step(
            advisory,
            request.user,
            form.cleaned_data["password"],
            form.cleaned_data["otp_code"] or None,
        )
    except Refusal as refusal:
        return detail_again(request, advisory, refusal, **bound)
    messages.success(request, f"Signed as {'reviewed' if action == 'review' else 'approved'}.")
    return redirect("advisories:advisory-detail", advisory.pk)


@login_required
@require_POST
def advisory_review(request: HttpRequest, advisory_id: int) -> HttpResponse:
    return _sign(request, advisory_id, "review")


@login_required
@require_POST
def advisory_approve(request: HttpRequest, advisory_id: int) -> HttpResponse:
    return _sign(request, advisory_id, "approve")


@login_required
@require_POST
def advisory_publish(request: HttpRequest, advisory_id: int) -> HttpResponse:
    advisory = advisory_selectors.advisory(request.user, advisory_id)
    permissions.require(request.user, "publish", advisory)
    form = PublishForm(request.POST, auto_id="publish_%s")
    try:
        revision = advisory_services.publish(
            advisory, request.user, advisory_selectors.locations(base_url(request), advisory)
        )
    except Refusal as refusal:
        return detail_again(request, advisory, refusal, publish_form=form)
    messages.success(request, f"Published as revision {revision.number}.")
    return redirect("advisories:advisory-detail", advisory.pk)
