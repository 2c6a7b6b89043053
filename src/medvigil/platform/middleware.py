"""Request identity: every request carries an id that logs and audit events share."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from medvigil.platform.logs import SECRET_SEGMENT
from medvigil.platform.problems import refusal_response
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.sizes import size_text

REQUEST_ID_HEADER = "X-Request-Id"
# An id from the proxy is kept only when it cannot smuggle anything into logs.
ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = offered if ACCEPTABLE_REQUEST_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BYTES before anything reads it.

    It runs after sign-in has been read (nothing before it reads the body), so
    the page that refuses shows the navigation of the person who sent it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.MAX_REQUEST_BYTES
        if declared.isdigit() and int(declared) > limit:
            detail = f"The request body is larger than the {size_text(limit)} this server accepts."
            if request.path.startswith("/api/"):
                return refusal_response(request, Refusal(detail, Kind.TOO_LARGE))
            return render(request, "413.html", {"reason": detail}, status=413)
        return self.get_response(request)


class PermissionDeniedPageMiddleware:
    """A refused page says why, inside the site's page shell, and logs one line.

    Django's own handler logs a traceback for every 403; a refusal is expected,
    so only the "Forbidden" warning line of the response remains.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PermissionDenied):
            return None
        return render(request, "403.html", {"exception": str(exception)}, status=403)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on what must not stay in a browser or proxy cache.

    Every response to a signed-in person or an API token (it may show their data),
    and every page reached by a secret link (follow-up, party, password reset).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        credentials = "HTTP_AUTHORIZATION" in request.META
        if signed_in or credentials or SECRET_SEGMENT.search(request.path):
            add_never_cache_headers(response)
        return response
