"""The public side of disclosure (no account needed): policy, report form, receipt,
follow-up page, security.txt, the OpenPGP key and the acknowledgments.

No page reflects what a visitor sent back to anyone else, every form carries a
CSRF token, and the strict CSP of the whole site applies (no inline script or
style). Refusals say what was wrong and store nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from medvigil.audit.context import client_address
from medvigil.disclosure.cases import selectors
from medvigil.disclosure.intake import security_txt, services
from medvigil.disclosure.intake.forms import FollowUpMessageForm, ReporterKeyForm, ReportForm
from medvigil.disclosure.keys import openpgp
from medvigil.platform.forms import show_refusal
from medvigil.platform.rates import with_retry_after
from medvigil.platform.refusals import Refusal

RECEIPT_KEY = "disclosure_receipt"


def base_url(request: HttpRequest) -> str:
    return str(settings.DISCLOSURE_PUBLIC_URL or f"{request.scheme}://{request.get_host()}")


def policy(request: HttpRequest) -> HttpResponse:
    chosen = selectors.rules()
    context = {
        "organisation": settings.DISCLOSURE_ORGANISATION,
        "scope": settings.DISCLOSURE_SCOPE,
        "contacts": settings.DISCLOSURE_CONTACTS,
        "acknowledge": chosen["acknowledge"].describe(),
        "status_update": chosen["status-update"].describe(),
        "disclose": chosen["disclose"].describe(),
        "time_zone": settings.DISCLOSURE_TIME_ZONE,
        "fingerprint": openpgp.fingerprint(),
        "attachment_megabytes": settings.DISCLOSURE_ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "disclosure/policy.html", context)


def report_data(form: ReportForm) -> services.ReportData:
    data = form.cleaned_data
    files = [(upload.name or "", upload.read()) for upload in data["attachments"]]
    return services.ReportData(
        title=data["title"],
        description=data["description"],
        steps=data["steps"],
        impact=data["impact"],
        product=data["product"],
        product_text=data["product_text"],
        version_text=data["version_text"],
        cvss_vector=data["cvss_vector"],
        reporter_name=data["reporter_name"],
        reporter_email=data["reporter_email"],
        credit_name=data["credit_name"],
        files=files,
        reporter_public_key=data["reporter_public_key"],
    )


@never_cache
def report(request: HttpRequest) -> HttpResponse:
    products = selectors.public_products()
    refused: Refusal | None = None
    form = ReportForm(request.POST or None, request.FILES or None, products=products)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # The honeypot was filled: answer like a refusal, store nothing.
            form.add_error(None, "Your report could not be accepted.")
            return render(request, "disclosure/report.html", {"form": form}, status=400)
        try:
            receipt = services.submit_report(
                report_data(form), reporter_user=request.user, address=client_address(request)
            )
        except Refusal as error:
            show_refusal(form, error)
            status = error.status
            refused = error
        else:
            request.session[RECEIPT_KEY] = {
                "number": receipt.case.number,
                "token": receipt.follow_up_token,
            }
            return redirect("disclosure:receipt")
    elif request.method == "POST":
        status = 400
    response = render(request, "disclosure/report.html", {"form": form}, status=status)
    return with_retry_after(response, refused) if refused else response


@never_cache
def receipt(request: HttpRequest) -> HttpResponse:
    """Shown once: the follow-up link's token is not stored anywhere in clear."""
    shown = request.session.pop(RECEIPT_KEY, None)
    if not shown:
        return redirect("disclosure:report")
    link = base_url(request) + reverse("disclosure:follow-up", args=[shown["token"]])
    return render(request, "disclosure/receipt.html", {"number": shown["number"], "link": link})


@never_cache
def follow_up(request: HttpRequest, follow_up_token: str) -> HttpResponse:
    case = selectors.case_by_token(follow_up_token)
    key_form = ReporterKeyForm(request.POST if "reporter_public_key" in request.POST else None)
    form = FollowUpMessageForm(request.POST if "body" in request.POST else None)
    refusal: Refusal | None = None
    if key_form.is_bound and key_form.is_valid():
        try:
            services.set_reporter_key(
                case, key_form.cleaned_data["reporter_public_key"], address=client_address(request)
            )
        except Refusal as error:
            show_refusal(key_form, error)
            refusal = error
        else:
            messages.success(request, "Your key is saved: our replies are now encrypted to it.")
            return redirect(request.path)
    elif request.method == "POST" and form.is_valid():
        try:
            services.post_reporter_message(
                case, form.cleaned_data["body"], user=None, address=client_address(request)
            )
        except Refusal as error:
            show_refusal(form, error)
            refusal = error
        else:
            messages.success(request, "Your message was sent to the PSIRT.")
            return redirect(request.path)
    context: dict[str, Any] = {
        "case": case,
        "report": selectors.report(case),
        "thread": selectors.messages(case, include_internal=False),
        "form": form,
        "key_form": key_form,
        "reporter_key": getattr(case, "reporter_key", None),
        "clocks": [(state, selectors.remaining_text(state)) for state in selectors.clocks(case)],
    }
    status = refusal.status if refusal else 400 if request.method == "POST" else 200
    response = render(request, "disclosure/follow_up.html", context, status=status)
    if refusal:
        with_retry_after(response, refusal)
    # Only the origin in a Referer, so the token never leaves; "no-referrer" would make
    # browsers send "Origin: null" with the page's form, which CSRF checks refuse.
    response["Referrer-Policy"] = "strict-origin"
    return response


def security_txt_file(request: HttpRequest) -> HttpResponse:
    body = security_txt.render(
        base_url=base_url(request),
        now=timezone.now(),
        encryption_url=reverse("disclosure:openpgp-key") if openpgp.fingerprint() else None,
        policy_url=reverse("disclosure:policy"),
        report_url=reverse("disclosure:report"),
        acknowledgments_url=reverse("disclosure:acknowledgments"),
        canonical_url=reverse("security-txt"),
    )
    key = openpgp.fingerprint()
    if key and settings.DISCLOSURE_SECURITY_TXT_SIGNED:
        body = security_txt.signed(body, key)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def openpgp_key(request: HttpRequest) -> HttpResponse:
    key = openpgp.public_key()
    if not key:
        raise Http404("No disclosure key is configured.")
    response = HttpResponse(key, content_type="application/pgp-keys")
    response["Content-Disposition"] = 'inline; filename="psirt-openpgp-key.asc"'
    return response


def acknowledgments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "disclosure/acknowledgments.html",
        {"names": selectors.acknowledgments(), "organisation": settings.DISCLOSURE_ORGANISATION},
    )
