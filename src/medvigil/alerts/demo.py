"""Demo step: subscriptions for the demo people, and their inboxes filled from the demo's history.

Runs after the triage demo (this app is installed after it). Unlike a real
installation, whose alerts start with its first subscription, the demo reads
the audit trail from the beginning, so the findings, KEV entries, EPSS scores
and disclosure reports the earlier steps loaded show in the inboxes. Inbox
only: the demo sends no email and posts to no webhook. Idempotent: the
subscriptions are made once, and a second pass adds nothing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from medvigil.accounts.demo import DEMO_ADMINISTRATOR, DEMO_TEAM, team_named
from medvigil.alerts import services
from medvigil.alerts.models import Alert, Cursor, Subscription
from medvigil.alerts.processing import AUDIT_CURSOR, process
from medvigil.platform.demo import register_demo_step

PERSONAL = (
    ("priya", "High and critical findings", ["finding-new", "finding-kev"], "high", None),
    ("rick", "Exploited or likely exploited", ["finding-kev", "epss-crossed"], "", 0.1),
    (
        "pascal",
        "Disclosure reports and advisories",
        ["disclosure-report", "advisory-changed"],
        "",
        None,
    ),
    ("carla", "New findings in our devices", ["finding-new"], "", None),
)
TEAM_KINDS = ["finding-new", "clock-due", "finding-kev"]


@register_demo_step
def load_alerts() -> list[str]:
    people = get_user_model().objects.in_bulk(
        [name for name, *_ in PERSONAL] + [DEMO_ADMINISTRATOR], field_name="username"
    )
    administrator = people.get(DEMO_ADMINISTRATOR)
    if administrator is None or Subscription.objects.exists():
        return []
    Cursor.objects.get_or_create(name=AUDIT_CURSOR, defaults={"position": 0})
    for username, name, kinds, severity, threshold in PERSONAL:
        person = people.get(username)
        if person is None:
            continue
        services.create_subscription(
            person,
            services.SubscriptionData(
                name=name, kinds=kinds, minimum_severity=severity, epss_threshold=threshold
            ),
        )
    services.create_subscription(
        administrator,
        services.SubscriptionData(name="Team watch", kinds=TEAM_KINDS),
        team=team_named(DEMO_TEAM),
    )
    process(deliver=False)
    counts = {
        username: Alert.objects.filter(recipient__username=username).count()
        for username in [*(name for name, *_ in PERSONAL), "vera"]
    }
    shown = ", ".join(f"{name} {count}" for name, count in counts.items())
    return [f"alerts demo: {Subscription.objects.count()} subscriptions; inbox alerts: {shown}"]
