"""Fan-out: each stored event to the subscriptions it matches, for the people who may read it.

Visibility is asked of the object's own policy (`platform.permissions.visible`)
at fan-out time, for every recipient (once per access profile when the
policy depends only on roles, teams and organisation): an event about a product a person may
not read never reaches their inbox, their email or their webhook. A team
subscription concerns only the team's products.

Rows are inserted with conflicts ignored against the unique constraints
(event, recipient) and (event, channel, target): run twice, by two workers
at once, it adds nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model

from medvigil.accounts.models import RoleAssignment, TeamMembership
from medvigil.alerts.deliveries import next_digest_at
from medvigil.alerts.events import rank
from medvigil.alerts.models import Alert, AlertEvent, Delivery, EventKind, Mode, Subscription
from medvigil.platform import permissions
from medvigil.portfolio.models import Product


@dataclass
class Outcome:
    events: int = 0
    alerts: int = 0
    deliveries: int = 0
    hidden: int = 0
    recipients: set[int] = field(default_factory=set)


def matches(subscription: Subscription, event: AlertEvent, product_team: int | None) -> bool:
    if event.kind not in subscription.kinds:
        return False
    if subscription.product_id and event.product_id != subscription.product_id:
        return False
    if subscription.version_id and event.version_id != subscription.version_id:
        return False
    team = subscription.team_id or subscription.product_team_id
    if team and product_team != team:
        return False
    if event.object_type == "vulns.finding":
        if subscription.minimum_severity and rank(event.severity) < rank(
            subscription.minimum_severity
        ):
            return False
        if (
            event.kind == EventKind.FINDING_NEW
            and subscription.minimum_priority
            and rank(event.priority) < rank(subscription.minimum_priority)
        ):
            return False
    return not (
        event.kind == EventKind.EPSS_CROSSED and event.threshold != subscription.epss_threshold
    )


def model_of(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


class People:
    """Active people, each loaded once per fan-out, with their roles and teams (three queries)."""

    def __init__(self) -> None:
        self.loaded: dict[int, Any] = {}

    def get(self, ids: Iterable[int]) -> dict[int, Any]:
        wanted = set(ids)
        missing = wanted - set(self.loaded)
        if missing:
            rows = list(
                get_user_model()
                .objects.filter(pk__in=list(missing), is_active=True)
                .select_related("profile")
            )
            roles: dict[int, set[str]] = defaultdict(set)
            assigned = RoleAssignment.objects.filter(user_id__in=[row.pk for row in rows])
            for user_id, role in assigned.values_list("user_id", "role"):
                roles[user_id].add(role)
            teams: dict[int, set[int]] = defaultdict(set)
            memberships = TeamMembership.objects.filter(user_id__in=[row.pk for row in rows])
            for user_id, team_id in memberships.values_list("user_id", "team_id"):
                teams[user_id].add(team_id)
            for person in rows:
                permissions.remember_access(person, roles[person.pk], teams[person.pk])
                self.loaded[person.pk] = person
        return {pk: self.loaded[pk] for pk in wanted if pk in self.loaded}

    def of(self, ids: Iterable[int]) -> list[Any]:
        return list(self.get(ids).values())


def by_profile(people: list[Any]) -> dict[permissions.AccessProfile, list[Any]]:
    groups: dict[permissions.AccessProfile, list[Any]] = defaultdict(list)
    for person in people:
        groups[permissions.access_profile(person)].append(person)
    return groups


class Visibility:
    """Which of the events' objects each person may read.

    For a model whose policy depends only on the access profile (roles, teams,
    organisation: products, versions, findings, plans), one query per profile
    and model answers for everyone sharing that profile; for any other model
    (a researcher's own case), one query per person and model.
    """

    def __init__(self, pairs: dict[int, set[tuple[str, str]]], directory: People) -> None:
        self.visible: dict[int, set[tuple[str, str]]] = defaultdict(set)
        wanted: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        for person_id, objects in pairs.items():
            for object_type, object_id in objects:
                wanted[object_type][person_id].add(object_id)
        for object_type, by_person in wanted.items():
            model = model_of(object_type)
            if model is None:
                continue
            people = directory.of(by_person)
            shared = permissions.policy_for(model).by_access_profile
            groups = list(by_profile(people).values()) if shared else [[one] for one in people]
            for group in groups:
                ids = set().union(*(by_person[person.pk] for person in group))
                rows = permissions.visible(group[0], model._default_manager.filter(pk__in=ids))
                seen = {(object_type, str(pk)) for pk in rows.values_list("pk", flat=True)}
                for person in group:
                    self.visible[person.pk].update(
                        pair for pair in seen if pair[1] in by_person[person.pk]
                    )

    def sees(self, person_id: int, event: AlertEvent) -> bool:
        return (event.object_type, event.object_id) in self.visible.get(person_id, set())


def team_members(team_ids: Iterable[int]) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    rows = TeamMembership.objects.filter(team_id__in=list(team_ids), user__is_active=True)
    for team_id, user_id in rows.values_list("team_id", "user_id"):
        members[team_id].append(user_id)
    return members


class Candidates:
    """The subscriptions that may match an event, by the event's product (an index, not a verdict).

    A team's subscription indexes under the team's products; a person's under
    the products they may read (or the one product or version it names).
    Events about no product go to the personal subscriptions with no product,
    version or team filter. `matches` and visibility still decide.
    """

    def __init__(self, subscriptions: list[Subscription], directory: People) -> None:
        self.by_product: dict[int, list[Subscription]] = defaultdict(list)
        self.unscoped: list[Subscription] = []
        team_ids = {row.team_id or row.product_team_id for row in subscriptions} - {None}
        team_products: dict[int, list[int]] = defaultdict(list)
        for pk, team_id in Product.objects.filter(team_id__in=team_ids).values_list(
            "pk", "team_id"
        ):
            team_products[team_id].append(pk)
        owners = directory.get({row.owner_id for row in subscriptions if row.owner_id})
        readable = readable_products(list(owners.values()))
        for row in subscriptions:
            if row.product_id or row.version_id:
                product = row.product_id or (row.version.product_id if row.version else None)
                if product:
                    self.by_product[product].append(row)
                continue
            team = row.team_id or row.product_team_id
            own = readable.get(row.owner_id or 0, [])
            products = team_products[team] if team else own
            if team and row.team_id is None:
                products = [pk for pk in own if pk in set(products)]
            for product in products:
                self.by_product[product].append(row)
            if not team:
                self.unscoped.append(row)

    def of(self, event: AlertEvent) -> list[Subscription]:
        return self.by_product.get(event.product_id, []) if event.product_id else self.unscoped


def readable_products(people: list[Any]) -> dict[int, list[int]]:
    """The products each person may read: one query per access profile, not per person."""
    readable: dict[int, list[int]] = {}
    for group in by_profile(people).values():
        products = list(
            permissions.visible(group[0], Product.objects.all()).values_list("pk", flat=True)
        )
        for person in group:
            readable[person.pk] = products
    return readable


def fan_out(events: list[AlertEvent], now: datetime) -> Outcome:
    """Alerts and deliveries for these events (the caller has claimed them)."""
    outcome = Outcome(events=len(events))
    if not events:
        return outcome
    subscriptions = list(
        Subscription.objects.filter(active=True).select_related("webhook", "version")
    )
    directory = People()
    candidates = Candidates(subscriptions, directory)
    members = team_members({row.team_id for row in subscriptions if row.team_id})
    product_teams = dict(
        Product.objects.filter(pk__in={event.product_id for event in events}).values_list(
            "pk", "team_id"
        )
    )
    # Who each event would reach, before visibility.
    planned: list[tuple[AlertEvent, Subscription, list[int]]] = []
    pairs: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for event in events:
        team = product_teams.get(event.product_id) if event.product_id else None
        for subscription in candidates.of(event):
            if not matches(subscription, event, team):
                continue
            people = (
                [subscription.owner_id]
                if subscription.owner_id
                else members.get(subscription.team_id or 0, [])
            )
            planned.append((event, subscription, [person for person in people if person]))
            for person in people:
                pairs[person].add((event.object_type, event.object_id))
    visibility = Visibility(pairs, directory)
    emails = {pk: person.email for pk, person in directory.get(pairs).items()}
    alerts: list[Alert] = []
    deliveries: list[Delivery] = []
    for event, subscription, people in planned:
        readers = [person for person in people if visibility.sees(person, event)]
        outcome.hidden += len(people) - len(readers)
        state = Delivery.State.HELD if subscription.mode == Mode.DIGEST else Delivery.State.PENDING
        common: dict[str, Any] = {
            "event": event,
            "subscription": subscription,
            "mode": subscription.mode,
            "state": state,
            "created_at": now,
            "next_attempt_at": next_digest_at(now) if subscription.mode == Mode.DIGEST else now,
        }
        for person in readers:
            alerts.append(
                Alert(event=event, recipient_id=person, subscription=subscription, created_at=now)
            )
            outcome.recipients.add(person)
            if subscription.email and emails.get(person):
                deliveries.append(
                    Delivery(
                        channel=Delivery.Channel.EMAIL,
                        target=f"user:{person}",
                        recipient_id=person,
                        **common,
                    )
                )
        if subscription.webhook_id and readers:
            deliveries.append(
                Delivery(
                    channel=Delivery.Channel.WEBHOOK,
                    target=f"webhook:{subscription.webhook_id}",
                    webhook_id=subscription.webhook_id,
                    **common,
                )
            )
    Alert.objects.bulk_create(alerts, batch_size=2000, ignore_conflicts=True)
    Delivery.objects.bulk_create(deliveries, batch_size=2000, ignore_conflicts=True)
    outcome.alerts, outcome.deliveries = len(alerts), len(deliveries)
    return outcome
