"""RFC 9457 problem details for every API error.

Every error the API can give has a `type` URI under /api/v1/problems/, a
short `title`, the HTTP `status`, a `detail` a person can act on, and the
request id, so a user can quote it to support.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from medvigil.platform.json import dumps
from medvigil.platform.refusals import Refusal

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}
KINDS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
    500: "internal",
    503: "unavailable",
}


def problem_response(
    request: HttpRequest, status: int, detail: str, **extensions: Any
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"/api/v1/problems/{KINDS.get(status, 'error')}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": getattr(request, "request_id", ""),
        "errors": [],
    }
    body.update(extensions)
    return HttpResponse(dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    errors = [error.as_dict() for error in refusal.errors]
    response = problem_response(
        request, refusal.status, refusal.message, errors=errors, **refusal.facts
    )
    if "retry_after" in refusal.facts:
        response["Retry-After"] = str(refusal.facts["retry_after"])
    return response


def validation_errors(error: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        errors.append({"location": location, "message": str(item.get("msg", "invalid"))})
    return errors


def install_problem_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return problem_response(
            request,
            422,
            "The request does not have the expected shape; see errors.",
            errors=validation_errors(error),
        )

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return problem_response(request, 401, "Sign in or send a valid API token.")

    @api.exception_handler(AuthorizationError)
    def on_authorization(request: HttpRequest, error: AuthorizationError) -> HttpResponse:
        return problem_response(request, 403, str(error) or "You may not do this.")

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        # django-ninja wraps whatever the parser raises in a 400; a refusal keeps its own.
        if isinstance(error.__cause__, Refusal):
            return refusal_response(request, error.__cause__)
        return problem_response(request, error.status_code, str(error))

    @api.exception_handler(Refusal)
    def on_refusal(request: HttpRequest, error: Refusal) -> HttpResponse:
        return refusal_response(request, error)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return problem_response(request, 404, "No such object, or it is not visible to you.")

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return problem_response(request, 403, str(error) or "You may not do this.")

    # A number from the path or the query that no database column can hold (the parser
    # refuses those in bodies first, naming the field).
    @api.exception_handler(OverflowError)
    def on_overflow(request: HttpRequest, error: OverflowError) -> HttpResponse:
        return problem_response(
            request, 422, "A number in the request is larger than this server can store."
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        return problem_response(
            request, 413, "The request body is larger than this server accepts."
        )


def api_not_found(request: HttpRequest, path: str) -> HttpResponse:
    """Unknown API paths answer in the API's error format too."""
    return problem_response(request, 404, f"There is no API endpoint at /api/v1/{path}.")
