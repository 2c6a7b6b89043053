"""SBOM pages (htmx): a version's SBOMs and components, upload, quality, diff, export.

Views only translate HTTP: reads through selectors, writes through services,
permissions through `medvigil.platform.permissions` (invisible objects 404).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.pagination import PageQuery, paginate
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.sizes import size_text
from medvigil.portfolio.models import ProductVersion
from medvigil.portfolio.selectors import version_for
from medvigil.sbom import search, selectors, services
from medvigil.sbom.forms import ComponentSearchForm, SupportForm, UploadForm, WhereForm
from medvigil.sbom.models import Component, SbomDocument

PAGE_SIZE = 50


def visible_document(request: HttpRequest, document_id: int) -> SbomDocument:
    return permissions.get_visible(
        request.user,
        SbomDocument.objects.select_related("version__product", "uploaded_by"),
        pk=document_id,
    )


def support_form(component: Component, refused: SupportForm | None = None) -> SupportForm:
    """The row's support form: its current values, or the refused one of this row as typed."""
    if refused is not None and refused.component_id == component.pk:
        return refused
    return SupportForm(component=component)


def component_page(
    request: HttpRequest, version: ProductVersion, refused: SupportForm | None = None
) -> dict[str, Any]:
    """The component table; `refused` is a row's support form to show again as typed."""
    form = ComponentSearchForm(request.GET or None)
    typed = form.cleaned_data if form.is_valid() else {}
    component_filter = selectors.ComponentFilter(
        search=typed.get("search", ""),
        type=typed.get("type", ""),
        supplier=typed.get("supplier", ""),
        role=typed.get("role", ""),
        missing_support=bool(typed.get("missing_support")),
    )
    page = paginate(
        selectors.merged_components(version, component_filter),
        PageQuery(cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE),
        ordering=("name", "id"),
    )
    sources = selectors.provenance(version, page["items"])
    next_link = ""
    if page["next_cursor"]:
        kept = {key: value for key, value in request.GET.items() if key != "cursor" and value}
        next_link = "?" + urlencode({**kept, "cursor": page["next_cursor"]})
    return {
        "search_form": form,
        "rows": [(item, sources[item.pk], support_form(item, refused)) for item in page["items"]],
        "next_link": next_link,
        "types": selectors.component_types(version),
        "may_change": permissions.can(request.user, "change", version),
    }


def version_context(
    request: HttpRequest,
    version: ProductVersion,
    refused: SupportForm | None = None,
    **extra: Any,
) -> dict[str, Any]:
    documents = list(selectors.documents_of(version))
    context = {
        "version": version,
        "product": version.product,
        "documents": documents,
        "upload_form": UploadForm(),
        "upload_limit": size_text(services.max_document_bytes()),
        "export_formats": list(selectors.EXPORT_FORMATS),
        "other_versions": ProductVersion.objects.filter(product=version.product).exclude(
            pk=version.pk
        ),
        **component_page(request, version, refused),
    }
    context.update(extra)
    return context


@login_required
def version_sboms(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    return render(request, "sbom/version.html", version_context(request, version))


@login_required
def component_rows(request: HttpRequest, version_id: int) -> HttpResponse:
    """The component table alone, for htmx searches and next pages."""
    version = version_for(request.user, version_id)
    context = {"version": version, **component_page(request, version)}
    return render(request, "sbom/_components.html", context)


@login_required
@require_POST
def upload(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id, "change")
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        limit = services.max_document_bytes()
        try:
            if uploaded.size > limit:
                raise services.rejected(
                    f"{uploaded.name}: {size_text(uploaded.size)} is over the limit of "
                    f"{size_text(limit)}; split the SBOM, or ask an administrator to raise "
                    "the limit.",
                    Kind.TOO_LARGE,
                )
            document = services.import_sbom(
                version, uploaded.read(), uploaded.name, form.cleaned_data["role"], request.user
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Imported {document.filename}: {document.component_count} components, "
                f"{len(document.warnings)} warning(s).",
            )
            return redirect("sbom:version", version_id=version.pk)
    context = version_context(request, version, upload_form=form)
    return render(request, "sbom/version.html", context, status=422)


@login_required
def version_quality(request: HttpRequest, version_id: int) -> HttpResponse:
    version = version_for(request.user, version_id)
    context = {
        "version": version,
        "product": version.product,
        "report": selectors.version_quality(version),
        "title": f"Quality of all SBOMs of {version}",
    }
    return render(request, "sbom/quality.html", context)


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = visible_document(request, document_id)
    context = {
        "version": document.version,
        "product": document.version.product,
        "document": document,
        "report": selectors.document_quality(document),
        "title": f"Quality of {document.filename}",
        "may_change": permissions.can(request.user, "change", document),
    }
    return render(request, "sbom/quality.html", context)


@login_required
def document_original(request: HttpRequest, document_id: int) -> HttpResponse:
    document = visible_document(request, document_id)
    with document.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@login_required
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    """A confirmation page first (what goes with the document); removed only when confirmed."""
    document = visible_document(request, document_id)
    permissions.require(request.user, "change", document)
    if request.method != "POST" or request.POST.get("confirm") != "remove":
        context = {
            "document": document,
            "version": document.version,
            "product": document.version.product,
        }
        return render(request, "sbom/delete.html", context)
    version_id = document.version_id
    services.delete_document(document, request.user)
    messages.success(request, f"Removed {document.filename}.")
    return redirect("sbom:version", version_id=version_id)


@login_required
@require_POST
def component_support(request: HttpRequest, component_id: int) -> HttpResponse:
    component = permissions.get_visible(
        request.user, Component.objects.select_related("document__version"), pk=component_id
    )
    permissions.require(request.user, "change", component)
    form = SupportForm(request.POST, component=component)
    if not form.is_valid():
        version = component.document.version
        context = version_context(request, version, refused=form)
        return render(request, "sbom/version.html", context, status=422)
    services.set_component_support(
        component,
        form.cleaned_data["level_of_support"],
        form.cleaned_data["end_of_support"],
        request.user,
    )
    messages.success(request, f"Saved the support fields of {component}.")
    return redirect("sbom:version", version_id=component.document.version_id)


@login_required
def export(request: HttpRequest, version_id: int, format_name: str) -> HttpResponse:
    if format_name not in selectors.EXPORT_FORMATS:
        raise Http404("No such export format.")
    version = version_for(request.user, version_id, "export")
    content = selectors.export_version(version, format_name, timezone.now())
    response = HttpResponse(content, content_type=selectors.EXPORT_FORMATS[format_name][0])
    filename = selectors.export_filename(version, format_name)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def diff(request: HttpRequest) -> HttpResponse:
    try:
        before_id = int(request.GET.get("before", ""))
        after_id = int(request.GET.get("after", ""))
    except ValueError as error:
        raise Http404("Choose two versions to compare.") from error
    before = version_for(request.user, before_id)
    after = version_for(request.user, after_id)
    context = {
        "before": before,
        "after": after,
        "product": after.product,
        "result": selectors.diff_versions(before, after),
    }
    return render(request, "sbom/diff.html", context)


@login_required
def component_search(request: HttpRequest) -> HttpResponse:
    """Which product versions contain a component: the portfolio-wide search."""
    search.require_searcher(request.user)
    form = WhereForm(request.GET or None)
    result = None
    if form.is_valid():
        try:
            result = search.search(
                request.user,
                form.cleaned_data["q"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
    next_link = ""
    if result is not None and result.next_cursor:
        next_link = "?" + urlencode({"q": form.cleaned_data["q"], "cursor": result.next_cursor})
    context = {"form": form, "result": result, "next_link": next_link}
    return render(request, "sbom/where.html", context)
