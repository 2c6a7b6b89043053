"""Every area a role may use is reachable by following links from where it starts.

For each role the crawl starts from the navigation (the dashboard for the
signed-in, the sign-in page for the anonymous) and follows every link of every
page it reaches, as a person clicking would. It fails on a page route the role
may use (by the authorization matrix) that no link leads to, and on a link of
the navigation that answers 403 or 404.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve

from tests import factories
from tests.security.matrix import ANONYMOUS, PAGES, ROLES
from tests.security.test_authorization_matrix import (
    clients_for,
    named_patterns,
    page_request,
    run,
    values_for,
)
from tests.security.world import World, build_world, own_token_id

pytestmark = pytest.mark.django_db

# A route is counted as reached after this many of its addresses were read: one object of
# each kind is enough to show that the kind is linked.
VISITS_PER_ROUTE = 3
# Pages that no link can lead to, by design: the steps that follow a form (the crawl does
# not submit forms), and addresses that reach a person by mail or by a receipt, whose
# secret is the key.
REACHED_OTHERWISE = {
    "mfa-verify": "the second step of signing in",
    "password_reset": "the sign-in page's link, before signing in",
    "sbom:diff": "the comparison form of a product with two versions (the world has one each)",
    "password_change_done": "after the password change form",
    "password_reset_done": "after the password reset form",
    "password_reset_confirm": "the link mailed by the password reset",
    "password_reset_complete": "after the mailed password reset link",
    "disclosure:follow-up": "the secret link on a report's receipt",
    "disclosure:party-link": "the secret link mailed to an invited party",
}
# Links a crawl does not follow: signing out ends the walk, the API's pages are its own
# document, the admin site is Django's, and downloads are not pages.
NOT_FOLLOWED = ("/api/", "/admin/", "/static/")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.navigation: list[str] = []
        self.forms: list[str] = []  # a search or filter form leads to its action's page
        self._in_navigation = 0

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        values = dict(attributes)
        if tag == "nav":
            self._in_navigation += 1
        if tag == "form" and (values.get("method") or "get").lower() == "get":
            self.forms.append(values.get("action") or "")
        if tag == "a" and values.get("href"):
            href = values["href"] or ""
            self.links.append(href)
            if self._in_navigation:
                self.navigation.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._in_navigation:
            self._in_navigation -= 1


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return "admin:*" if match.namespace == "admin" else match.view_name


def is_page(response: object) -> bool:
    content_type = getattr(response, "headers", {}).get("Content-Type", "")
    body = getattr(response, "content", b"")[:200].lower()
    download = "attachment" in getattr(response, "headers", {}).get("Content-Disposition", "")
    return content_type.startswith("text/html") and b"<!doctype html" in body and not download


def pages_the_role_uses(world: World, client: Client, role: str) -> set[str]:
    """Routes the matrix grants the role that answer a whole page to a plain visit."""
    names = set()
    values = values_for(world, role, mine=True)
    for name, route in named_patterns(get_resolver().url_patterns):
        if role not in PAGES[name].own or name in ("logout", "admin:*"):
            continue
        response, _ = run(
            client,
            lambda name=name, route=route: page_request(client, name, route, values),
        )
        plain_visit = response.request["REQUEST_METHOD"] == "GET"
        if response.status_code == 200 and plain_visit and is_page(response):
            names.add(name)
    return names


@dataclass
class Crawl:
    reached: set[str] = field(default_factory=set)  # route names
    refused_navigation: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # address: its HTML


def crawl(client: Client, start: str) -> Crawl:
    """The routes and pages reached from `start`, and the navigation links that were refused."""
    result = Crawl()
    reached = result.reached
    visits: dict[str, int] = defaultdict(int)
    refused_navigation = result.refused_navigation
    checked_navigation: set[str] = set()
    queue, seen = [start], {start}
    while queue:
        address = queue.pop(0)
        response = client.get(address)
        if response.status_code in (301, 302):
            target = urlsplit(response["Location"]).path
            if target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        if not is_page(response) or response.status_code != 200:
            continue
        name = route_name(urlsplit(address).path)
        if name is not None:
            reached.add(name)
        parser = Links()
        result.pages[address] = response.content.decode()
        parser.feed(result.pages[address])
        for href in parser.forms:
            name = route_name(urlsplit(href).path or urlsplit(address).path)
            if name is not None:
                reached.add(name)
        for href in set(parser.navigation) - checked_navigation:
            checked_navigation.add(href)
            status = client.get(href).status_code
            if status in (403, 404):
                refused_navigation.append(f"{href} ({status}) in the navigation")
        for href in parser.links:
            link, _ = urldefrag(href)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if link in seen or parts.path.startswith(NOT_FOLLOWED) or "sign-out" in link:
                continue
            target_name = route_name(parts.path)
            if target_name is None or visits[target_name] >= VISITS_PER_ROUTE:
                continue
            visits[target_name] += 1
            seen.add(link)
            queue.append(link)
    return result


def test_every_role_reaches_every_page_it_may_use_from_the_navigation() -> None:
    world = build_world()
    world.own_token_ids = {role: own_token_id(user) for role, user in world.users.items()}
    clients = clients_for(world)
    failures: list[str] = []
    unreachable_by_design = set(REACHED_OTHERWISE)
    for role in ROLES:
        client = clients[role]
        expected = pages_the_role_uses(world, client, role)
        start = "/sign-in/" if role == ANONYMOUS else "/"
        walked = crawl(client, start)
        failures.extend(f"{role}: {item}" for item in walked.refused_navigation)
        missing = expected - walked.reached - unreachable_by_design
        failures.extend(f"{role}: no link leads to {name}" for name in sorted(missing))
    assert failures == [], "\n".join(failures)


class VisibleText(HTMLParser):
    """The words a person reads: not markup, scripts, code or what they typed."""

    HIDDEN = frozenset({"script", "style", "code", "pre", "textarea", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words.extend(re.findall(r"[\w-]+", data))


def raw_values() -> set[str]:
    """Machine values of the choices a person picks or reads, as stored and squeezed."""
    values: set[str] = set(RAW_SCALE_VALUES)
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            for value, _label in getattr(model_field, "choices", None) or []:
                if isinstance(value, str) and "_" in value:
                    values.add(value)
    return values | {value.replace("_", "") for value in values}


ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d$")
CLUMSY_WORDING = ("Versions in", "patients exposed not estimated patients", "? patients")
RAW_SCALE_VALUES = ("very_high", "very_low", "alarp", "patient_safety", "Ssvc")


def test_pages_show_labels_not_machine_values() -> None:
    world = build_world()
    client = clients_for(world)["administrator"]
    raw = raw_values()
    shown: dict[str, set[str]] = defaultdict(set)
    for address, html in crawl(client, "/").pages.items():
        if address.startswith("/audit/"):
            continue  # the trail shows events' details as recorded
        text = VisibleText()
        text.feed(html)
        sentence = " ".join(text.words)
        for wording in CLUMSY_WORDING:
            if wording in sentence or wording in html:
                shown[wording].add(address)
        for word in set(text.words) & raw:
            shown[word].add(address)
        for word in text.words:
            if ISO_TIME.match(word):  # one date format: 2026-03-01 10:00 UTC
                shown["ISO 8601 time as stored"].add(address)
    listed = [f"{word}: {sorted(where)}" for word, where in shown.items()]
    assert listed == [], "\n".join(listed)


def test_the_sign_in_page_and_the_dashboard_lead_to_the_advisories() -> None:
    sign_in_page = Client().get("/sign-in/").content.decode()
    for public in ('href="/disclosure/report"', 'href="/advisories/"'):
        assert public in sign_in_page
    viewer = factories.user(username="reader", roles={"viewer"})
    dashboard = factories.sign_in(Client(), viewer).get("/").content.decode()
    assert 'href="/advisories/"' in dashboard


def test_product_security_is_not_offered_the_cve_record_it_may_not_open() -> None:
    world = build_world()
    client = clients_for(world)["product-security"]
    page = client.get("/advisories/manage/").content.decode()
    assert "/new" in page  # writes advisories about its teams' cases
    assert "/cve" not in page
