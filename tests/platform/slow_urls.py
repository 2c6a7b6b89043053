"""Routes for the statement-limit tests: a page and an API path whose statement is slow."""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path


def slow(request: HttpRequest) -> HttpResponse:
    # A savepoint, as a service's atomic block: the test's transaction stays usable.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sleep(1.5)")
        else:
            cursor.execute("SELECT 1")
    return HttpResponse("answered")


urlpatterns = [path("slow/", slow), path("api/v1/slow/", slow)]
