"""Report pages: a version's reports, issuing one, reading, signing and downloading an issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.audit.signatures import sign, signature_status
from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.reports import kinds, selectors, services
from medvigil.reports import render as rendering
from medvigil.reports.forms import SignForm
from medvigil.reports.kinds import FORMATS
from medvigil.reports.models import IssuedReport


@login_required
def version_reports(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version(request.user, version_id)
    return render(
        request,
        "reports/list.html",
        {
            "version": version,
            "product": version.product,
            "kinds": kinds.all_kinds(),
            "issued": selectors.issued_for(version),
            "may_issue": permissions.can(request.user, "change", version),
        },
    )


@login_required
@require_POST
def issue(request: HttpRequest, version_id: int, kind: str) -> HttpResponse:
    version = selectors.version(request.user, version_id, "change")
    if kind not in kinds.KINDS:
        raise Http404("No such kind of report.")
    issued = services.issue(request.user, kind, version)
    messages.success(request, f"{issued.identifier} issued; sign it to approve it.")
    return redirect("reports:detail", issued.pk)


@login_required
def detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return detail_page(request, selectors.issued(request.user, report_id), SignForm())


def detail_page(
    request: HttpRequest, issued: IssuedReport, sign_form: SignForm, status: int = 200
) -> HttpResponse:
    signatures = signature_status(issued)
    context = rendering.html_context(issued.document(), signatures)
    page = {
        **context,
        "issued": issued,
        "version": issued.version,
        "formats": FORMATS,
        "may_sign": permissions.can(request.user, "sign", issued),
        "sign_form": sign_form,
        "blocking_issues": issued.document().blocking_issues(),
        # On the page, who signed comes first; the PDF keeps them after the content.
        "signatures_first": True,
    }
    return render(request, "reports/detail.html", page, status=status)


@login_required
@require_POST
def sign_report(request: HttpRequest, report_id: int) -> HttpResponse:
    issued = selectors.issued(request.user, report_id, "sign")
    form = SignForm(request.POST)
    if not form.is_valid():
        return detail_page(request, issued, form, status=422)
    data = form.cleaned_data
    reason = data["reason"]
    blocking = issued.document().blocking_issues()
    if blocking:
        if not data["acknowledge_blocking"]:
            form.add_error(
                "acknowledge_blocking",
                f"This report lists {blocking} blocking issue(s): read them, then tick this "
                "box to sign with them open.",
            )
            return detail_page(request, issued, form, status=422)
        # The signature record says that the signer knew.
        reason = f"{reason} (signed with {blocking} blocking issue(s) acknowledged)".strip()
    try:
        sign(
            request.user,
            issued,
            data["meaning"],
            data["password"],
            data["otp_code"] or None,
            reason,
        )
    except Refusal as refusal:
        show_refusal(form, refusal)
        return detail_page(request, issued, form, status=refusal.status)
    messages.success(request, f"{issued.identifier} signed.")
    return redirect("reports:detail", issued.pk)


@login_required
def download(request: HttpRequest, report_id: int, output: str) -> HttpResponse:
    issued = selectors.issued(request.user, report_id, "export")
    if output not in FORMATS:
        raise Http404("No such format.")
    content, media_type, name = selectors.rendered(issued, output)
    response = HttpResponse(content, content_type=media_type)
    # Always a download: the standalone HTML carries its own styles, which the CSP would block.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
