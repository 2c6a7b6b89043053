"""The component identity page: CPE proposals to confirm, confirmations, product mappings.

Views only translate HTTP; the services in `medvigil.vulns.identities` decide
and audit. A refused write comes back to the page with the reason and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medvigil.platform import permissions
from medvigil.platform.refusals import Refusal
from medvigil.sbom.models import Component
from medvigil.vulns import identities, identity_selectors
from medvigil.vulns.models import CpeConfirmation, ProductMapping
from medvigil.vulns.policies import may_trigger_matching


def require_inside(request: HttpRequest) -> None:
    if not permissions.is_inside(request.user):
        raise PermissionDenied("Component identities are for inside users.")


def require_editor(request: HttpRequest) -> None:
    require_inside(request)
    if not may_trigger_matching(request.user):
        raise PermissionDenied("Only inside users who edit records change identities.")


@login_required
def identities_page(request: HttpRequest) -> HttpResponse:
    require_inside(request)
    context: dict[str, Any] = {
        "proposals": identity_selectors.proposals(
            identity_selectors.unplaced_components(request.user)
        ),
        "confirmations": identity_selectors.confirmations(),
        "mappings": identity_selectors.mappings(),
        "may_edit": may_trigger_matching(request.user),
        "kinds": ProductMapping.Kind.choices,
    }
    return render(request, "vulns/identities.html", context)


def _component(request: HttpRequest, component_id: int) -> Component:
    component = permissions.get_visible(
        request.user, Component.objects.select_related("document__version"), pk=component_id
    )
    permissions.require(request.user, "change", component.document.version)
    require_editor(request)
    return component


def _done(request: HttpRequest, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)
    return redirect("vulns:identities")


@login_required
@require_POST
def confirm(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    data = request.POST
    return _done(
        request,
        lambda: identities.confirm_cpe(
            component,
            request.user,
            data.get("vendor", ""),
            data.get("product", ""),
            data.get("note", ""),
            data.get("part", "a"),
        ),
        f"CPE confirmed for {component.identity}; its components were matched again.",
    )


@login_required
@require_POST
def withdraw_confirmation(request: HttpRequest, confirmation_id: int) -> HttpResponse:
    require_editor(request)
    row = get_object_or_404(CpeConfirmation, pk=confirmation_id)
    return _done(
        request,
        lambda: identities.withdraw_confirmation(row, request.user, request.POST.get("reason", "")),
        f"Confirmation of {row.identity} withdrawn; the findings it produced are closed.",
    )


@login_required
@require_POST
def map_product(request: HttpRequest, component_id: int) -> HttpResponse:
    component = _component(request, component_id)
    data = request.POST
    return _done(
        request,
        lambda: identities.map_product(
            component,
            request.user,
            data.get("kind", ""),
            data.get("value", ""),
            data.get("vendor", ""),
            data.get("note", ""),
        ),
        f"Product mapped to {component.identity}; its components were matched again.",
    )


@login_required
@require_POST
def withdraw_mapping(request: HttpRequest, mapping_id: int) -> HttpResponse:
    require_editor(request)
    row = get_object_or_404(ProductMapping, pk=mapping_id)
    return _done(
        request,
        lambda: identities.withdraw_mapping(row, request.user, request.POST.get("reason", "")),
        f"Product mapping {row.value} withdrawn; the candidates it produced are closed.",
    )
