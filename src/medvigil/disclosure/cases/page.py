"""The case page, drawn with fresh forms or again with a refused form as it was typed.

Every form of the case page posts to its own URL; on a refusal that view
renders this page again with its bound form (`case_page(..., fix_form=form)`),
so the errors stand beside their fields and the input is kept.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvigil.disclosure.cases import selectors, suggestions, workflow
from medvigil.disclosure.cases import work as case_work
from medvigil.disclosure.cases.forms import (
    EmbargoForm,
    HandlerMessageForm,
    ReporterMessageForm,
    TransitionForm,
)
from medvigil.disclosure.cases.models import Case
from medvigil.platform.forms import show_refusal
from medvigil.platform.refusals import Refusal


def case_context(request: HttpRequest, case: Case, **bound: Any) -> dict[str, Any]:
    """What the case page shows; `bound` holds refused forms by their context name."""
    handler = selectors.sees_internal(request.user)
    context: dict[str, Any] = {
        "case": case,
        "report": selectors.report(case),
        "thread": selectors.messages(case, include_internal=handler),
        "clocks": [(state, selectors.remaining_text(state)) for state in selectors.clocks(case)],
        "handler": handler,
        "transitions": case.transitions.select_related("recorded_by"),
        "attachments": case.attachments.all(),
        "affected": case.affected_versions.select_related("version", "version__product"),
        "message_form": bound.pop(
            "message_form", HandlerMessageForm() if handler else ReporterMessageForm()
        ),
    }
    if handler:
        following = workflow.next_states(case.state)
        context["next_states"] = following
        # The suggested next state is the one chosen until the handler picks another.
        suggested = {"target": following[0]} if following else {}
        context["transition_form"] = bound.pop("transition_form", TransitionForm(initial=suggested))
        context["embargo_form"] = bound.pop(
            "embargo_form",
            EmbargoForm(initial={"time_zone": case.embargo_time_zone or "UTC"}),
        )
        context["suggestions"] = suggestions.suggest(request.user, case)
        context.update(case_work.context(request.user, case, **bound))
    return context


def case_page(request: HttpRequest, case: Case, status: int = 200, **bound: Any) -> HttpResponse:
    """The case page; after a refusal `status` is the refusal's and `bound` its form."""
    context = case_context(request, case, **bound)
    return render(request, "disclosure/case_detail.html", context, status=status)


def case_again(
    request: HttpRequest, case: Case, refusal: Refusal | None = None, **bound: Any
) -> HttpResponse:
    """The case page again with the one refused form of `bound` as typed.

    Without a `refusal` the form itself was invalid (its own errors show): 422.
    """
    if refusal is None:
        return case_page(request, case, 422, **bound)
    for form in bound.values():
        if isinstance(form, dict):
            for row_form in form.values():
                show_refusal(row_form, refusal)
        else:
            show_refusal(form, refusal)
    return case_page(request, case, refusal.status, **bound)
