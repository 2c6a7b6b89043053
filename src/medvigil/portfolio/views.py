"""Portfolio pages: they translate HTTP into selector reads and service writes.

An object the user may not see answers 404; one they see but may not
change answers 403. Forms post back to themselves and redirect on success;
the lifecycle form also answers htmx requests with the refreshed section.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.portfolio import lifecycle, selectors, services
from medvigil.portfolio.forms import (
    ClinicalFunctionFormSet,
    DeploymentForm,
    InstalledBaseForm,
    NewVersionForm,
    ProductForm,
    TransitionForm,
    VersionForm,
    clinical_functions_of,
)
from medvigil.portfolio.models import Product, ProductVersion


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("search", "").strip()[:200]
    rows = selectors.products(request.user, search=search)
    context = {
        "products": rows.prefetch_related("versions"),
        "search": search,
        "may_create": selectors.teams_for_new_products(request.user).exists(),
    }
    template = "portfolio/_product_rows.html" if request.htmx else "portfolio/product_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def product_form_page(
    request: HttpRequest, product: Product | None, form: ProductForm, formset: Any
) -> HttpResponse:
    return render(
        request,
        "portfolio/product_form.html",
        {"product": product, "form": form, "formset": formset},
    )


def initial_functions(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "name": function.name,
            "description": function.description,
            "essential_performance": function.essential_performance,
            "emergency_access": function.emergency_access,
        }
        for function in product.clinical_functions.all()
    ]


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_for_new_products(request.user)
    if not teams.exists():
        raise PermissionDenied("Only inside editing roles in a team create products.")
    form = ProductForm(request.POST or None, teams=teams)
    formset = ClinicalFunctionFormSet(request.POST or None, prefix="functions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values = form.values()
        team = teams.get(pk=values.pop("team_id"))
        try:
            product = services.create_product(
                user=request.user,
                team=team,
                values=values,
                clinical_functions=clinical_functions_of(formset),
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Created {product.name}.")
            return redirect("portfolio:product-detail", product_id=product.pk)
    return product_form_page(request, None, form, formset)


@login_required
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.product(request.user, product_id)
    versions = selectors.versions(request.user, product_id=product.pk).order_by(
        "-created_at", "-id"
    )
    context = {
        "product": product,
        "versions": versions,
        "phase_counts": selectors.phase_counts(versions),
        "may_change": selectors.may_change(request.user, product),
        "inside": selectors.sees_internal_details(request.user),
    }
    return render(request, "portfolio/product_detail.html", context)


@login_required
def product_edit(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.product(request.user, product_id)
    permissions.require(request.user, "change", product)
    teams = selectors.teams_for_new_products(request.user) | type(product.team).objects.filter(
        pk=product.team_id
    )
    form = ProductForm(request.POST or None, instance=product, teams=teams.distinct())
    formset = ClinicalFunctionFormSet(
        request.POST or None, prefix="functions", initial=initial_functions(product)
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values = form.values()
        try:
            product = services.update_product(
                product,
                user=request.user,
                values=values,
                clinical_functions=clinical_functions_of(formset),
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Saved {product.name}.")
            return redirect("portfolio:product-detail", product_id=product.pk)
    return product_form_page(request, product, form, formset)


@login_required
def version_create(request: HttpRequest, product_id: int) -> HttpResponse:
    product = selectors.product(request.user, product_id)
    permissions.require(request.user, "change", product)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.create_version(
                product,
                user=request.user,
                values=form.values(),
                phase=form.cleaned_data["phase"],
                effective_date=form.cleaned_data["effective_date"],
                note=form.cleaned_data["note"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Created version {version.version}.")
            return redirect("portfolio:version-detail", version_id=version.pk)
    return render(
        request, "portfolio/version_form.html", {"product": product, "form": form, "version": None}
    )


def version_context(request: HttpRequest, version: ProductVersion, **forms: Any) -> dict[str, Any]:
    may_change = selectors.may_change(request.user, version)
    context: dict[str, Any] = {
        "version": version,
        "product": version.product,
        "transitions": selectors.transitions(request.user, version.pk),
        "deployments": selectors.deployments(request.user, version_id=version.pk),
        "may_change": may_change,
        "inside": selectors.sees_internal_details(request.user),
        "next_phases": [lifecycle.label(phase) for phase in lifecycle.next_phases(version.phase)],
        "deployable": version.phase in lifecycle.DEPLOYABLE_PHASES,
    }
    if may_change:
        context["transition_form"] = forms.get("transition_form") or TransitionForm(version=version)
        context["installed_base_form"] = forms.get("installed_base_form") or InstalledBaseForm(
            initial={"count": version.installed_base}
        )
        context["deployment_form"] = forms.get("deployment_form") or DeploymentForm(
            customers=selectors.customer_organisations()
        )
    return context


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id)
    return render(request, "portfolio/version_detail.html", version_context(request, version))


@login_required
def version_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id, "change")
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.update_version(version, user=request.user, values=form.values())
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, f"Saved version {version.version}.")
            return redirect("portfolio:version-detail", version_id=version.pk)
    return render(
        request,
        "portfolio/version_form.html",
        {"product": version.product, "form": form, "version": version},
    )


@login_required
@require_POST
def version_move(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id, "change")
    form = TransitionForm(request.POST, version=version)
    if form.is_valid():
        try:
            transition = services.move_to_phase(
                version,
                user=request.user,
                to_phase=form.cleaned_data["to_phase"],
                note=form.cleaned_data["note"],
                effective_date=form.cleaned_data["effective_date"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Version {version.version} is now in {lifecycle.label(transition.to_phase)}.",
            )
            if request.htmx:  # type: ignore[attr-defined]
                version.refresh_from_db()
                context = version_context(request, version)
                return render(request, "portfolio/_lifecycle.html", context)
            return redirect("portfolio:version-detail", version_id=version.pk)
    context = version_context(request, version, transition_form=form)
    template = "portfolio/_lifecycle.html" if request.htmx else "portfolio/version_detail.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=422)


@login_required
@require_POST
def version_installed_base(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id, "change")
    form = InstalledBaseForm(request.POST)
    if form.is_valid():
        try:
            services.set_installed_base(
                version,
                user=request.user,
                count=form.cleaned_data["count"],
                note=form.cleaned_data["note"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(request, "Installed base saved.")
            return redirect("portfolio:version-detail", version_id=version.pk)
    context = version_context(request, version, installed_base_form=form)
    return render(request, "portfolio/version_detail.html", context, status=422)


@login_required
@require_POST
def deployment_record(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id, "change")
    form = DeploymentForm(request.POST, customers=selectors.customer_organisations())
    if form.is_valid():
        try:
            deployment = services.record_deployment(
                version,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                units=form.cleaned_data["units"],
                since=form.cleaned_data["since"],
            )
        except Refusal as refusal:
            show_refusal(form, refusal)
        else:
            messages.success(
                request, f"Recorded {deployment.units} units at {deployment.organisation}."
            )
            return redirect("portfolio:version-detail", version_id=version.pk)
    context = version_context(request, version, deployment_form=form)
    return render(request, "portfolio/version_detail.html", context, status=422)


@login_required
@require_POST
def deployment_remove(request: HttpRequest, version_id: int, organisation_id: int) -> HttpResponse:
    version = selectors.version_for(request.user, version_id, "change")
    organisation = selectors.organisation(organisation_id)
    try:
        services.remove_deployment(version, user=request.user, organisation=organisation)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Removed the deployment at {organisation.name}.")
    return redirect("portfolio:version-detail", version_id=version.pk)
