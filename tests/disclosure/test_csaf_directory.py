"""The CSAF trusted-provider directory as an aggregator reads it, and customers' notices."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core import mail
from django.test import Client

from medvigil.disclosure.advisories import services as advisory_services
from medvigil.disclosure.advisories.deliveries import SIGNATURE_HEADER
from medvigil.disclosure.advisories.models import AdvisoryDelivery, DeliveryState
from medvigil.disclosure.keys import openpgp
from medvigil.platform.workers import run_worker
from medvigil.portfolio import services as portfolio_services
from tests import factories
from tests.disclosure.advisory_helpers import (
    advisory_data,
    people_and_case,
    publish_signed,
    published_advisory,
)

# The required members, types and patterns of provider_json_schema.json (CSAF 2.0, OASIS
# csaf_2.0/json_schema), with the publisher of csaf_json_schema.json; no package ships it.
PROVIDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "canonical_url",
        "last_updated",
        "list_on_CSAF_aggregators",
        "mirror_on_CSAF_aggregators",
        "metadata_version",
        "publisher",
        "role",
    ],
    "properties": {
        "canonical_url": {
            "type": "string",
            "format": "uri",
            "pattern": "/provider-metadata\\.json$",
        },
        "distributions": {
            "type": "array",
            "minItems": 1,
            "uniqueItems": True,
            "items": {
                "type": "object",
                "minProperties": 1,
                "properties": {
                    "directory_url": {"type": "string", "format": "uri"},
                    "rolie": {
                        "type": "object",
                        "required": ["feeds"],
                        "properties": {
                            "feeds": {
                                "type": "array",
                                "minItems": 1,
                                "uniqueItems": True,
                                "items": {
                                    "type": "object",
                                    "required": ["tlp_label", "url"],
                                    "properties": {
                                        "summary": {"type": "string"},
                                        "tlp_label": {
                                            "enum": ["UNLABELED", "WHITE", "GREEN", "AMBER", "RED"]
                                        },
                                        "url": {
                                            "type": "string",
                                            "format": "uri",
                                            "pattern": "\\.json$",
                                        },
                                    },
                                },
                            }
                        },
                    },
                },
            },
        },
        "last_updated": {"type": "string", "format": "date-time"},
        "list_on_CSAF_aggregators": {"type": "boolean"},
        "metadata_version": {"enum": ["2.0"]},
        "mirror_on_CSAF_aggregators": {"type": "boolean"},
        "public_openpgp_keys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url"],
                "properties": {
                    "fingerprint": {"type": "string", "pattern": "^[0-9a-fA-F]{40,}$"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
        "publisher": {
            "type": "object",
            "required": ["category", "name", "namespace"],
            "properties": {
                "category": {
                    "enum": ["coordinator", "discoverer", "other", "translator", "user", "vendor"]
                },
                "name": {"type": "string", "minLength": 1},
                "namespace": {"type": "string", "format": "uri"},
                "contact_details": {"type": "string", "minLength": 1},
            },
        },
        "role": {"enum": ["csaf_publisher", "csaf_provider", "csaf_trusted_provider"]},
    },
}


def relative(url: str) -> str:
    return url.removeprefix("http://testserver")


@pytest.mark.django_db
def test_an_aggregator_finds_verifies_and_reads_every_published_document(
    client: Client, disclosure_key: str, private_keyring: Path
) -> None:
    _, advisory, revision = published_advisory()
    amber_world = people_and_case("amber")
    amber = advisory_services.create_advisory(
        amber_world.case, amber_world.author, advisory_data(amber_world, tlp="AMBER")
    )
    amber_revision = publish_signed(amber_world, amber)

    metadata = client.get("/.well-known/csaf/provider-metadata.json").json()
    validator = jsonschema.Draft202012Validator(
        PROVIDER_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(metadata)] == []
    assert metadata["role"] == "csaf_trusted_provider"
    assert metadata["canonical_url"] == "http://testserver/.well-known/csaf/provider-metadata.json"
    assert metadata["public_openpgp_keys"][0]["fingerprint"] == disclosure_key
    key = client.get(relative(metadata["public_openpgp_keys"][0]["url"]))
    assert key.status_code == 200
    directory_url = metadata["distributions"][0]["directory_url"]
    assert directory_url == "http://testserver/.well-known/csaf/white/"

    index = client.get(relative(directory_url) + "index.txt").content.decode()
    assert index == f"{revision.year}/{revision.filename}\n"  # the AMBER advisory is not listed
    changes = client.get(relative(directory_url) + "changes.csv").content.decode()
    assert changes == (
        f'"{revision.year}/{revision.filename}","{revision.published_at:%Y-%m-%dT%H:%M:%SZ}"\n'
    )
    path = relative(directory_url) + index.strip()
    document = client.get(path)
    assert document["Content-Type"] == "application/json"
    content = document.content
    assert content == bytes(revision.document)
    assert json.loads(content)["document"]["tracking"]["id"] == advisory.tracking_id
    for suffix, algorithm in ((".sha256", hashlib.sha256), (".sha512", hashlib.sha512)):
        line = client.get(path + suffix).content.decode()
        assert line == f"{algorithm(content).hexdigest()}  {revision.filename}\n"
    signature = client.get(path + ".asc")
    assert signature["Content-Type"] == "application/pgp-signature"
    signature_file = private_keyring.parent / "document.asc"
    signature_file.write_bytes(signature.content)
    verified = openpgp.keyring().verify_data(str(signature_file), content)
    assert verified.valid
    assert verified.fingerprint == disclosure_key
    assert not openpgp.keyring().verify_data(str(signature_file), content + b" ").valid

    feed = client.get(relative(metadata["distributions"][1]["rolie"]["feeds"][0]["url"])).json()[
        "feed"
    ]
    assert feed["category"] == [
        {"scheme": "urn:ietf:params:rolie:category:information-type", "term": "csaf"}
    ]
    [entry] = feed["entry"]
    assert entry["id"] == advisory.tracking_id
    assert {link["rel"]: relative(link["href"]) for link in entry["link"]} == {
        "self": path,
        "hash": path + ".sha512",
        "signature": path + ".asc",
    }
    assert entry["format"] == {
        "schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json",
        "version": "2.0",
    }

    hidden = f"/.well-known/csaf/white/{amber_revision.year}/{amber_revision.filename}"
    assert client.get(hidden).status_code == 404
    assert client.get(f"/advisories/{amber.tracking_id}").status_code == 404
    for wrong in (
        "nothing.json",
        f"{revision.filename}.md5",
        revision.filename.removesuffix(".json"),
    ):
        assert client.get(f"{relative(directory_url)}{revision.year}/{wrong}").status_code == 404


@pytest.mark.django_db
def test_without_a_key_the_directory_is_an_unsigned_provider(client: Client) -> None:
    _, _, revision = published_advisory()
    metadata = client.get("/.well-known/csaf/provider-metadata.json").json()
    assert metadata["role"] == "csaf_provider"
    assert "public_openpgp_keys" not in metadata
    assert revision.signature == ""
    path = f"/.well-known/csaf/white/{revision.year}/{revision.filename}"
    assert client.get(path + ".asc").status_code == 404
    feed = client.get("/.well-known/csaf/feed-tlp-white.json").json()["feed"]
    assert [link["rel"] for link in feed["entry"][0]["link"]] == ["self", "hash"]


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def webhook_server() -> Iterator[str]:
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/advisories"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_customers_owning_an_affected_version_are_told_by_email_and_signed_webhook(
    settings: Any, webhook_server: str
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = people_and_case()
    owner = factories.organisation("customer", "St. Owner Hospital")
    owner.contact_email = "security@owner.example"
    owner.save()
    bystander = factories.organisation("customer", "Bystander Clinic")
    bystander.contact_email = "security@bystander.example"
    bystander.save()
    portfolio_services.set_installed_base(world.affected, user=None, count=10)
    portfolio_services.set_installed_base(world.fixed, user=None, count=10)
    portfolio_services.record_deployment(world.affected, user=None, organisation=owner, units=4)
    portfolio_services.record_deployment(world.fixed, user=None, organisation=bystander, units=2)
    webhook = advisory_services.set_webhook(owner, webhook_server)
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    revision = publish_signed(world, advisory)
    deliveries = list(AdvisoryDelivery.objects.order_by("channel"))
    assert [(item.organisation.name, item.channel, item.state) for item in deliveries] == [
        ("St. Owner Hospital", "email", "pending"),
        ("St. Owner Hospital", "webhook", "pending"),
    ]
    run_worker(batch=True)
    assert set(AdvisoryDelivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert [message.to for message in mail.outbox] == [["security@owner.example"]]
    assert advisory.tracking_id in mail.outbox[0].subject
    assert revision.page_url in mail.outbox[0].body
    [(headers, body)] = Receiver.received
    expected = "sha256=" + hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == expected
    assert json.loads(body)["tracking_id"] == advisory.tracking_id
    assert json.loads(body)["sha256"] == revision.sha256
    page = factories.sign_in(Client(), world.reviewer).get(f"/advisories/manage/{advisory.pk}/")
    assert page.content.decode().count('data-delivery-state="sent"') == 2


@pytest.mark.django_db(transaction=True)
def test_a_failed_webhook_is_recorded_and_retried_never_lost(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = people_and_case()
    owner = factories.organisation("customer", "St. Owner Hospital")
    portfolio_services.set_installed_base(world.affected, user=None, count=10)
    portfolio_services.record_deployment(world.affected, user=None, organisation=owner, units=4)
    advisory_services.set_webhook(owner, "http://127.0.0.1:9/closed-port")
    advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
    revision = publish_signed(world, advisory)
    run_worker(batch=True)
    delivery = AdvisoryDelivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error or "URLError" in delivery.last_error
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="deliver_task")
    assert waiting.count() == 1  # queued again, to run a minute later
    assert waiting.get().run_after is not None
    from medvigil.disclosure.advisories.deliveries import retry_deliveries

    assert retry_deliveries(revision) == 1
    assert AdvisoryDelivery.objects.get().state == DeliveryState.PENDING


@pytest.mark.django_db
def test_the_demo_publishes_one_valid_advisory_in_the_directory(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    from medvigil.accounts.demo import load_people
    from medvigil.disclosure.advisories.demo import load_demo_advisory
    from medvigil.disclosure.cases.demo import load_disclosure_cases
    from medvigil.portfolio.demo import load_portfolio
    from tests.csaf_validator import validate_csaf

    settings.MEDVIGIL_HOME = tmp_path
    load_people()
    load_portfolio()
    load_disclosure_cases()
    [line] = load_demo_advisory()
    assert "published (revision 1) with CVE-2026-40001" in line
    assert "already present" in load_demo_advisory()[0]
    index = client.get("/.well-known/csaf/white/index.txt").content.decode()
    [path] = index.split()
    document = client.get(f"/.well-known/csaf/white/{path}").json()
    assert validate_csaf({"demo": document})["demo"]["errors"] == []
    assert document["vulnerabilities"][0]["cve"] == "CVE-2026-40001"
    assert document["document"]["acknowledgments"] == [
        {"names": ["Rosa Castillo"], "summary": "reporting this vulnerability"}
    ]
