"""A time limit on every SQL statement of a web request (PostgreSQL).

A request that the browser, the proxy or gunicorn has given up on must stop
costing the database: each web connection gets `SET statement_timeout` once
(`WEB_STATEMENT_TIMEOUT_SECONDS`, 0 for none). Workers and the command line
never pass through this middleware, so their long statements are not limited.
A statement cancelled by the limit is answered 503 with `Retry-After`: a
problem document under /api/, a short page elsewhere. SQLite has no such
setting; there the middleware does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from medvigil.platform.problems import problem_response

# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"
RETRY_AFTER_SECONDS = 30
BUSY_MESSAGE = (
    "The database took too long to answer this request and it was stopped. "
    "Try again in a moment; if it persists, narrow the request (filters, smaller pages)."
)


def timeout_milliseconds() -> int:
    return int(settings.WEB_STATEMENT_TIMEOUT_SECONDS) * 1000


def limit_statements() -> None:
    """Set the limit on the current connection, once per database session."""
    milliseconds = timeout_milliseconds()
    if connection.vendor != "postgresql" or milliseconds <= 0:
        return
    connection.ensure_connection()
    if getattr(connection, "medvigil_statement_limit", None) == milliseconds:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {milliseconds:d}")
    connection.medvigil_statement_limit = milliseconds  # type: ignore[attr-defined]


def forget_limit(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new database session starts without the limit."""
    connection.medvigil_statement_limit = None


def is_statement_timeout(error: BaseException) -> bool:
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == QUERY_CANCELED


def busy_response(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = problem_response(request, 503, BUSY_MESSAGE)
    else:
        response = HttpResponse(BUSY_MESSAGE, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class StatementTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        connection_created.connect(forget_limit, dispatch_uid="medvigil-statement-limit")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit_statements()
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_statement_timeout(exception):
            return busy_response(request)
        return None
