"""The CSAF trusted-provider directory under /.well-known/csaf/ (public, TLP:WHITE only).

Every file is served as stored or generated from the published revisions,
with no redirect (CSAF 2.0 section 7.1.6). Documents are the exact bytes
frozen at publication; their `.sha256`, `.sha512` and `.asc` files sit beside
them.
"""

from __future__ import annotations

import json
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from medvigil.core import csaf
from medvigil.disclosure.advisories import selectors as advisory_selectors
from medvigil.disclosure.advisories.documents import publisher
from medvigil.disclosure.intake.portal import base_url
from medvigil.disclosure.keys import openpgp

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


def _json(content: object) -> HttpResponse:
    body = json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return HttpResponse(body.encode(), content_type=JSON)


def _folder_url(request: HttpRequest) -> str:
    return base_url(request) + reverse("csaf:index").removesuffix("index.txt")


def _last_updated(entries: tuple[csaf.DirectoryEntry, ...]) -> datetime:
    return max((entry.current_release for entry in entries), default=timezone.now())


def provider_metadata(request: HttpRequest) -> HttpResponse:
    issuer = publisher(base_url(request))
    fingerprint = openpgp.fingerprint()
    entries = advisory_selectors.directory_entries()
    metadata = csaf.provider_metadata(
        publisher=csaf.Publisher(
            issuer.name, issuer.namespace, contact_details=issuer.contact or None
        ),
        canonical_url=base_url(request) + reverse("csaf:provider-metadata"),
        directory_url=_folder_url(request),
        feed_url=base_url(request) + reverse("csaf:feed"),
        last_updated=_last_updated(entries),
        key_fingerprint=fingerprint or None,
        key_url=base_url(request) + reverse("disclosure:openpgp-key") if fingerprint else None,
    )
    return _json(metadata)


def feed(request: HttpRequest) -> HttpResponse:
    entries = advisory_selectors.directory_entries()
    issuer = publisher(base_url(request))
    content = csaf.rolie_feed(
        entries,
        feed_id="csaf-feed-tlp-white",
        title=f"{issuer.name} CSAF feed (TLP:WHITE)",
        feed_url=base_url(request) + reverse("csaf:feed"),
        folder_url=_folder_url(request),
        updated=_last_updated(entries),
        signed=bool(openpgp.fingerprint()),
    )
    return _json(content)


def index(request: HttpRequest) -> HttpResponse:
    return HttpResponse(csaf.index_txt(advisory_selectors.directory_entries()), content_type=TEXT)


def changes(request: HttpRequest) -> HttpResponse:
    content = csaf.changes_csv(advisory_selectors.directory_entries())
    return HttpResponse(content, content_type="text/csv; charset=utf-8")


def document(request: HttpRequest, year: int, filename: str) -> HttpResponse:
    """``<name>.json`` and its ``.sha256``, ``.sha512`` and ``.asc`` companions."""
    name, dot, suffix = filename.partition(".json")
    if not dot or suffix not in ("", ".sha256", ".sha512", ".asc"):
        raise Http404("No such file in the directory.")
    revision = advisory_selectors.directory_revision(year, name + ".json")
    if suffix == "":
        response = HttpResponse(bytes(revision.document), content_type=JSON)
    elif suffix == ".sha256":
        response = HttpResponse(
            csaf.hash_file(revision.sha256, revision.filename), content_type=TEXT
        )
    elif suffix == ".sha512":
        response = HttpResponse(
            csaf.hash_file(revision.sha512, revision.filename), content_type=TEXT
        )
    else:
        if not revision.signature:
            raise Http404("This document has no OpenPGP signature.")
        response = HttpResponse(revision.signature, content_type="application/pgp-signature")
    return response
