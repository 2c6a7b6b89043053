"""Benchmark: alert fan-out, 10,000 new findings against 1,000 subscriptions.

Run as ``python benchmarks/bench_alert_fanout.py [--findings N] [--subscriptions M]``.
It points MEDVIGIL_HOME at a fresh temporary folder, migrates, and writes 50
teams of 20 people, 2 products per team with one version each, and one
subscription per person (new findings; a third of them only high and
critical, a third only one product; one in ten also by email, and one team's
people also through a signed webhook to a local receiver). Then N findings
are opened, each with its audit event, as matching writes them, and the
alerts pass runs in the same process:

- baseline: writing the findings' own audit events (the work that opened them);
- read: turning the new audit events into alert events (`read_audit`);
- fan-out: alerts and deliveries for every matching, visible subscriber;
- deliver: every email (Django's in-memory backend) and webhook post sent;
- a second pass (a retry, or another worker): nothing added.

It checks there is no duplicate (one alert per event and recipient, one
delivery per event and target), prints figures and ratios, and asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TEAMS = 50
PRODUCTS_PER_TEAM = 2
SEVERITIES = ("critical", "high", "medium", "low")


class Receiver(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.posts += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--subscriptions", type=int, default=1_000)
    arguments = parser.parse_args()
    os.environ["MEDVIGIL_HOME"] = tempfile.mkdtemp(prefix="medvigil-bench-alerts-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core import mail
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from medvigil.accounts.models import RoleAssignment, Team, TeamMembership
    from medvigil.alerts import services
    from medvigil.alerts.deliveries import deliver_due
    from medvigil.alerts.models import Alert, AlertEvent, Delivery
    from medvigil.alerts.processing import fan_out_pending, process, read_audit
    from medvigil.audit.services import record
    from medvigil.portfolio.models import Product, ProductVersion
    from medvigil.vulns.models import Finding, Vulnerability

    call_command("migrate", verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{server.server_port}/hook"

    teams = Team.objects.bulk_create([Team(name=f"Team {index}") for index in range(TEAMS)])
    products = Product.objects.bulk_create(
        [
            Product(name=f"Device {t}-{p}", model_number=f"M-{t}-{p}", team=team)
            for t, team in enumerate(teams)
            for p in range(PRODUCTS_PER_TEAM)
        ]
    )
    versions = ProductVersion.objects.bulk_create(
        [ProductVersion(product=product, version="1.0", phase="deployed") for product in products]
    )
    people = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"person{index}", email=f"person{index}@example.org")
            for index in range(arguments.subscriptions)
        ]
    )
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=person, role="product-security") for person in people]
    )
    TeamMembership.objects.bulk_create(
        [
            TeamMembership(team=teams[index % TEAMS], user=person)
            for index, person in enumerate(people)
        ]
    )
    webhook, _ = services.create_webhook(people[0], "Team 0 hook", hook_url)
    for index, person in enumerate(people):
        team_products = [p for p in products if p.team_id == teams[index % TEAMS].pk]
        data = services.SubscriptionData(
            name=f"Watch {index}",
            kinds=["finding-new"],
            minimum_severity="high" if index % 3 == 1 else "",
            product_id=team_products[index % PRODUCTS_PER_TEAM].pk if index % 3 == 2 else None,
            email=index % 10 == 0,
            webhook_id=webhook.pk if index == 0 else None,
        )
        services.create_subscription(person, data)

    vulnerabilities = Vulnerability.objects.bulk_create(
        [
            Vulnerability(canonical_id=f"CVE-2026-{index:05d}", severity=SEVERITIES[index % 4])
            for index in range(max(1, arguments.findings // 10))
        ]
    )
    now = timezone.now()
    findings = Finding.objects.bulk_create(
        [
            Finding(
                vulnerability=vulnerabilities[index % len(vulnerabilities)],
                version=versions[index % len(versions)],
                component_name=f"package-{index}",
                component_version="1.0.0",
                method="purl",
                confidence="exact",
                first_seen=now,
                last_seen=now,
            )
            for index in range(arguments.findings)
        ],
        batch_size=2000,
    )

    def write_audit() -> None:
        with transaction.atomic():
            for finding in findings:
                record("vulns.finding.opened", finding, details={"version": finding.version_id})

    def read_all() -> int:
        total = 0
        while True:
            read, _ = read_audit(timezone.now())
            total += read
            if read < settings.ALERTS_BATCH_SIZE:
                return total

    baseline, _ = timed(write_audit)
    read_seconds, read = timed(read_all)
    fan_seconds, (fanned, offered_alerts) = timed(lambda: fan_out_pending(timezone.now()))
    queued = Delivery.objects.count()
    deliver_seconds, tally = timed(lambda: deliver_due(timezone.now()))
    emails, posts = len(mail.outbox), Receiver.posts
    again_seconds, again = timed(process)
    alerts = Alert.objects.count()
    duplicate_alerts = (
        Alert.objects.values("event", "recipient").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    duplicate_deliveries = (
        Delivery.objects.values("event", "channel", "target")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    queue_seconds = read_seconds + fan_seconds
    print(f"findings {arguments.findings}, subscriptions {arguments.subscriptions}")
    print(f"baseline: writing the findings' audit events   {baseline:8.2f} s")
    print(
        f"read audit → alert events  {read:>7} → {AlertEvent.objects.count():>7}"
        f"   {read_seconds:8.2f} s   ratio {read_seconds / baseline:5.2f}x"
    )
    print(
        f"fan-out → inbox alerts     {fanned:>7} → {alerts:>7}   {fan_seconds:8.2f} s"
        f"   ratio {fan_seconds / baseline:5.2f}x   {alerts / fan_seconds:,.0f} alerts/s"
    )
    print(
        f"queued (read + fan-out)    {queued:>7} deliveries  {queue_seconds:8.2f} s"
        f"   ratio {queue_seconds / baseline:5.2f}x"
    )
    print(
        f"deliver                    {emails:>7} emails, {posts} webhook posts"
        f"   {deliver_seconds:8.2f} s   ratio {deliver_seconds / baseline:5.2f}x"
    )
    print(
        f"second pass (retry)        {again.fanned_out} events, {again.alerts} alerts,"
        f" {sum(again.deliveries.values())} sent   {again_seconds:8.2f} s"
    )
    print(f"duplicates: alerts {duplicate_alerts}, deliveries {duplicate_deliveries}")
    print(f"(alert rows offered {offered_alerts}, deliveries sent {dict(tally)})")
    server.shutdown()


if __name__ == "__main__":
    main()
