"""Public advisory pages (no account) and the CVE id pages of handlers.

The public page shows the published CSAF document itself (its latest
TLP:WHITE revision), so what people read is what machines read.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories.policies import is_author


def public_list(request: HttpRequest) -> HttpResponse:
    context = {
        "revisions": advisory_selectors.latest_revisions(),
        "author": request.user.is_authenticated and is_author(request.user),
    }
    return render(request, "disclosure/advisory_public_list.html", context)


def _products(document: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}

    def walk(branches: list[dict[str, Any]]) -> None:
        for branch in branches:
            if "product" in branch:
                names[branch["product"]["product_id"]] = branch["product"]["name"]
            walk(branch.get("branches", []))

    walk(document.get("product_tree", {}).get("branches", []))
    return names


def public_page(request: HttpRequest, tracking_id: str) -> HttpResponse:
    revision = advisory_selectors.public_revision(tracking_id)
    document = json.loads(bytes(revision.document))
    names = _products(document)
    vulnerabilities = []
    for item in document.get("vulnerabilities", []):
        status = item.get("product_status", {})
        vulnerabilities.append(
            {
                "item": item,
                "affected": [names[pid] for pid in status.get("known_affected", [])],
                "fixed": [names[pid] for pid in status.get("fixed", [])],
                "notes": item.get("notes", []),
                "remediations": item.get("remediations", []),
                "scores": [score["cvss_v3"] for score in item.get("scores", [])],
            }
        )
    context = {
        "revision": revision,
        "document": document["document"],
        "vulnerabilities": vulnerabilities,
        "history": document["document"]["tracking"]["revision_history"],
    }
    return render(request, "disclosure/advisory_public_page.html", context)
