from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvigil.platform import selectors


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "web/dashboard.html", {"dashboard": selectors.dashboard(request.user)})


@login_required
def dashboard_tiles(request: HttpRequest) -> HttpResponse:
    """The tiles alone, refreshed by htmx every minute."""
    return render(request, "web/_tiles.html", {"dashboard": selectors.dashboard(request.user)})
