"""The component identity page: CPE proposals to confirm, confirmations, product mappings.

Views only translate HTTP; the services in `medvigil.vulns.identities` decide
and audit. A refused write changes nothing and comes back to the page (422)
with its form bound and the reason beside the field. Each row carries one
form at most; product mappings have one form for the page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal
from medvigil.sbom.models import Component
from medvigil.vulns import identities, identity_selectors
from medvigil.vulns.forms import ConfirmCpeForm, ProductMappingForm, WithdrawForm
from medvigil.vulns.models import CpeConfirmation, ProductMapping
from medvigil.vulns.policies import may_trigger_matching


def require_inside(request: HttpRequest) -> None:
    if not permissions.is_inside(request.user):
        raise PermissionDenied("Component identities are for inside users.")


def require_editor(request: HttpRequest) -> None:
    require_inside(request)
    if not may_trigger_matching(request.user):
        raise PermissionDenied("Only inside users who edit records change identities.")


Failure = tuple[str, int, forms.Form]  # which table, which row, the bound form with its errors


def page(request: HttpRequest, failure: Failure | None = None, status: int = 200) -> HttpResponse:
    """The page; a refused form comes back bound, with the error beside its field."""
    table, row, bound = failure or ("", 0, None)
    after = page_after(request)
    proposals, following = identity_selectors.proposal_page(
        identity_selectors.unplaced_components(request.user), after
    )

    def form_for(name: str, pk: int, make: Any) -> Any:
        return bound if (table, row) == (name, pk) else make()

    context: dict[str, Any] = {
        "proposals": [
            (
                proposal,
                form_for(
                    "confirm",
                    proposal.component.pk,
                    lambda proposal=proposal: ConfirmCpeForm(
                        initial={"vendor": proposal.vendor, "product": proposal.product},
                        auto_id=f"confirm{proposal.component.pk}_%s",
                    ),
                ),
            )
            for proposal in proposals
        ],
        "confirmations": [
            (row, form_for("confirmation", row.pk, lambda row=row: withdraw_form("c", row.pk)))
            for row in identity_selectors.confirmations()
        ],
        "mappings": [
            (row, form_for("mapping", row.pk, lambda row=row: withdraw_form("m", row.pk)))
            for row in identity_selectors.mappings()
        ],
        "mapping_form": bound
        if table == "map"
        else ProductMappingForm(components=choices(proposals), auto_id="map_%s"),
        "may_edit": may_trigger_matching(request.user),
        "after": after,
        "following": following,
    }
    return render(request, "vulns/identities.html", context, status=status)


def page_after(request: HttpRequest) -> str:
    """Where the page of proposals starts: the link's `after`, or the form's when posting."""
    source = request.POST if request.method == "POST" else request.GET
    return str(source.get("after", ""))[:2000]


def withdraw_form(prefix: str, pk: int, data: Any = None) -> WithdrawForm:
    return WithdrawForm(data, auto_id=f"withdraw{prefix}{pk}_%s")


def choices(proposals: list[identity_selectors.Proposal]) -> list[tuple[int, str]]:
    return [
        (proposal.component.pk, f"{proposal.identity} ({proposal.component.name})")
        for proposal in proposals
    ]


@login_required
def identities_page(request: HttpRequest) -> HttpResponse:
    require_inside(request)
    return page(request)


def _component(request: HttpRequest, component_id: int) -> Component:
    component = permissions.get_visible(
        request.user, Component.objects.select_related("document__version"), pk=component_id
    )
    permissions.require(request.user, "change", component.document.version)
    require_editor(request)
    return component


def _done(
    request: HttpRequest, form: forms.Form, failure: Failure, action: Any, success: str
) -> HttpResponse:
    """Run `action` on a valid form; otherwise the page again, the form bound, answering 422."""
    status = 422
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Refusal as refusal:
            show_refusal(form, refusal)
            status = refusal.status
        else:
            messages.success(request, success)
            return redirect("vulns:identities")
    return page(request, failure, status)


@login_required
@require_POST
def confirm(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    form = ConfirmCpeForm(request.POST, auto_id=f"confirm{component.pk}_%s")
    return _done(
        request,
        form,
        ("confirm", component.pk, form),
        lambda data: identities.confirm_cpe(
            component, request.user, data["vendor"], data["product"], data["note"], data["part"]
        ),
        f"CPE confirmed for {component.identity}; its components were matched again.",
    )


@login_required
@require_POST
def withdraw_confirmation(request: HttpRequest, confirmation_id: int) -> HttpResponse:
    require_editor(request)
    row = get_object_or_404(CpeConfirmation, pk=confirmation_id)
    form = withdraw_form("c", row.pk, request.POST)
    return _done(
        request,
        form,
        ("confirmation", row.pk, form),
        lambda data: identities.withdraw_confirmation(row, request.user, data["reason"]),
        f"Confirmation of {row.identity} withdrawn; the findings it produced are closed.",
    )


def mapped(request: HttpRequest, component: Component, form: forms.Form) -> HttpResponse:
    return _done(
        request,
        form,
        ("map", 0, form),
        lambda data: identities.map_product(
            component, request.user, data["kind"], data["value"], data["vendor"], data["note"]
        ),
        f"Product mapped to {component.identity}; its components were matched again.",
    )


@login_required
@require_POST
def map_product(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    data = request.POST.copy()
    data["component"] = str(component.pk)
    form = ProductMappingForm(data, components=[(component.pk, component.name)], auto_id="map_%s")
    return mapped(request, component, form)


@login_required
@require_POST
def map_chosen_product(request: HttpRequest) -> HttpResponse:
    """The page's one mapping form: the component is chosen in it."""
    require_editor(request)
    proposals, _ = identity_selectors.proposal_page(
        identity_selectors.unplaced_components(request.user), page_after(request)
    )
    form = ProductMappingForm(request.POST, components=choices(proposals), auto_id="map_%s")
    if not form.is_valid():
        return page(request, ("map", 0, form), 422)
    return mapped(request, _component(request, form.cleaned_data["component"]), form)


@login_required
@require_POST
def withdraw_mapping(request: HttpRequest, mapping_id: int) -> HttpResponse:
    require_editor(request)
    row = get_object_or_404(ProductMapping, pk=mapping_id)
    form = withdraw_form("m", row.pk, request.POST)
    return _done(
        request,
        form,
        ("mapping", row.pk, form),
        lambda data: identities.withdraw_mapping(row, request.user, data["reason"]),
        f"Product mapping {row.value} withdrawn; the candidates it produced are closed.",
    )
