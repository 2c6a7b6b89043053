"""VEX pages: a version's supplier documents, their import, the version's own VEX to download.

Views only translate HTTP; versions through the one version gate
(`medvigil.portfolio.selectors.version_for`), other objects through
`medvigil.platform.permissions` (invisible objects are 404). A refused import
shows the form again with the reason beside the file field.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.portfolio.models import ProductVersion
from medvigil.portfolio.selectors import version_for
from medvigil.vex import policies, selectors, services
from medvigil.vex.forms import ImportForm
from medvigil.vex.models import SupplierVex


def visible_document(request: HttpRequest, vex_document_id: int) -> SupplierVex:
    return permissions.get_visible(
        request.user,
        SupplierVex.objects.select_related("version__product", "uploaded_by"),
        pk=vex_document_id,
    )


def version_context(request: HttpRequest, version: ProductVersion, **extra: Any) -> dict[str, Any]:
    inside = policies.inside_versions(request.user).filter(pk=version.pk).exists()
    context = {
        "version": version,
        "product": version.product,
        "inside": inside,
        "documents": list(selectors.documents_of(version)) if inside else [],
        "may_import": policies.may_import(request.user, version),
        "import_form": ImportForm(),
        "export_formats": selectors.EXPORT_FORMATS,
    }
    context.update(extra)
    return context


@login_required
def version_page(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    return render(request, "vex/version.html", version_context(request, version))


@login_required
@require_POST
def import_document(request: HttpRequest, version_id: int) -> HttpResponse:
    inside = policies.inside_versions(request.user)
    version = version_for(request.user, version_id, "change", within=inside)
    form = ImportForm(request.POST, request.FILES)
    status = 422
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > services.MAX_DOCUMENT_BYTES:
                raise services.too_large(uploaded.name, uploaded.size)
            document = services.import_vex(version, uploaded.read(), uploaded.name, request.user)
        except Refusal as refusal:
            show_refusal(form, refusal)
            status = refusal.status
        else:
            messages.success(
                request,
                f"Imported {document.filename}: {document.statement_count} statement(s), "
                f"{document.proposal_count} proposal(s) to review.",
            )
            return redirect("vex:document", vex_document_id=document.pk)
    context = version_context(request, version, import_form=form)
    return render(request, "vex/version.html", context, status=status)


@login_required
def export(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, "export")
    format_name = request.GET.get("format", "cyclonedx")
    if format_name not in selectors.EXPORT_FORMATS:
        raise Http404(f"No VEX format named {format_name!r}.")
    try:
        content = selectors.export_version(version, format_name, timezone.now())
    except Refusal as refusal:
        return HttpResponse(
            refusal.message, status=refusal.status, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content, content_type=selectors.EXPORT_FORMATS[format_name].media_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{selectors.export_filename(version, format_name)}"'
    )
    return response


@login_required
def document_detail(request: HttpRequest, vex_document_id: int) -> HttpResponse:
    document = visible_document(request, vex_document_id)
    context = {
        "document": document,
        "version": document.version,
        "product": document.version.product,
        "source_label": services.source_label(document),
    }
    return render(request, "vex/document.html", context)


@login_required
def document_original(request: HttpRequest, vex_document_id: int) -> HttpResponse:
    document = visible_document(request, vex_document_id)
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
