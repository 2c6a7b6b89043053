"""Reads of the audit trail used by the pages, the API and the command line."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from medvigil.audit import chain, checkpoints
from medvigil.audit.models import AuditEvent, AuditEventLink
from medvigil.audit.services import checkpoint_key, hashes_between, verify_chain
from medvigil.platform import permissions
from medvigil.platform.refusals import Kind, Refusal
from medvigil.platform.roles import Role

# Who reads, filters, verifies and exports the whole trail: the administrators, and
# those who answer auditors and notified bodies about the security programme
# (docs/audit.md, "Who reads the trail"). Others read the history of what they see.
TRAIL_READERS = frozenset({Role.ADMINISTRATOR, Role.PRODUCT_SECURITY, Role.PSIRT})
NOT_A_TRAIL_READER = (
    "Only administrators, product security and PSIRT handlers may read the audit trail."
)


def may_read_trail(user: Any) -> bool:
    return permissions.has_role(user, *TRAIL_READERS)


def parse_moment(text: str, *, end_of_day: bool = False, field: str = "") -> datetime:
    """An ISO 8601 date or date-time; a bare date is midnight UTC (or the next midnight).

    Times without an offset are UTC. With `end_of_day`, a bare date means the
    end of that day, so `until=2026-03-01` includes the whole of 1 March.
    A text that is neither is refused, beside `field` when it is named.
    """
    value = text.strip()
    try:
        day = parse_date(value)
        moment = None if day else parse_datetime(value)
    except ValueError as error:
        message = f"{text!r} is not a valid date or date-time."
        raise Refusal(message, errors={field: message} if field else None) from error
    if moment is None and day is None:
        message = f"{text!r} is not an ISO 8601 date or date-time (2026-03-01T12:00Z)."
        raise Refusal(message, errors={field: message} if field else None)
    if moment is None:
        assert day is not None
        moment = datetime.combine(day, time.min, tzinfo=UTC)
        if end_of_day:
            moment += timedelta(days=1)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


@dataclass(frozen=True)
class EventFilter:
    """Which events to list: every field is optional; `until` is exclusive."""

    actor: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def from_text(
        cls,
        *,
        actor: str | None = None,
        action: str | None = None,
        object_type: str | None = None,
        object_id: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> EventFilter:
        """Build a filter from strings as typed by a person; refuses a date that is not one."""
        return cls(
            actor=(actor or "").strip(),
            action=(action or "").strip(),
            object_type=(object_type or "").strip().lower(),
            object_id=(object_id or "").strip(),
            since=parse_moment(since, field="since") if since and since.strip() else None,
            until=(
                parse_moment(until, end_of_day=True, field="until")
                if until and until.strip()
                else None
            ),
        )

    def as_details(self) -> dict[str, Any]:
        """The filters that are set, as JSON-ready values (for audit details and links)."""
        values = asdict(self)
        return {
            name: value.isoformat() if isinstance(value, datetime) else value
            for name, value in values.items()
            if value not in ("", None)
        }


def events(filters: EventFilter) -> QuerySet[AuditEvent]:
    rows = AuditEvent.objects.all()
    if filters.actor:
        rows = rows.filter(actor_label__iexact=filters.actor)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.object_id:
        rows = rows.filter(object_id=filters.object_id)
    if filters.since is not None:
        rows = rows.filter(occurred_at__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(occurred_at__lt=filters.until)
    return rows


def object_events(object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """The object's own events and the batch events that name it (`AuditEventLink`)."""
    linked = list(
        AuditEventLink.objects.filter(object_type=object_type, object_id=object_id).values_list(
            "event_id", flat=True
        )
    )
    own = Q(object_type=object_type, object_id=object_id)
    return AuditEvent.objects.filter(own | Q(pk__in=linked) if linked else own)


def as_seen_by(event: AuditEvent, object_type: str, object_id: str) -> AuditEvent:
    """A batch event shown in one object's history: only its groups naming that object.

    Batch details hold `groups`, each with the ids it concerns (`findings`);
    the page shows the groups holding `object_id` and how many objects the
    batch changed. Display only: the event is not saved, its hash is unchanged.
    """
    groups = event.details.get("groups") if event.object_type == object_type else None
    if not isinstance(groups, list) or event.object_id:
        return event
    wanted = str(object_id)
    mine = [
        {name: value for name, value in group.items() if name != "findings"}
        for group in groups
        if isinstance(group, dict) and wanted in {str(item) for item in group.get("findings", ())}
    ]
    total = sum(len(group.get("findings", ())) for group in groups if isinstance(group, dict))
    shown = {name: value for name, value in event.details.items() if name != "groups"}
    event.details = {**shown, "this object": mine, "objects changed in the batch": total}
    return event


def actions() -> list[str]:
    """Every action that occurs in the trail, once each, for the filter's choices.

    The model's default ordering by sequence would join `DISTINCT` and give one
    row per event, so the ordering is the action itself.
    """
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def model_of(object_type: str) -> type[Model] | None:
    """The model named "app_label.model_name", or None when there is no such model."""
    app_label, _, model_name = object_type.partition(".")
    if not app_label or not model_name:
        return None
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None


def find_object(object_type: str, object_id: str) -> Model | None:
    model = model_of(object_type)
    if model is None:
        return None
    try:
        return model._default_manager.get(pk=object_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        return None


NOT_VISIBLE = "No such object, or it is not visible to you."


def history_target(user: Any, object_type: str, object_id: str) -> Model | None:
    """Check that `user` may read the history of this object; return it if it still exists.

    Readers of the whole trail read the history of any object of a known type,
    even one deleted since. Others need `permissions.can(user, "view", obj)`.
    """
    if model_of(object_type) is None:
        raise Refusal(NOT_VISIBLE, Kind.MISSING)
    target = find_object(object_type, object_id)
    if may_read_trail(user):
        return target
    if target is None or not permissions.can(user, "view", target):
        raise Refusal(NOT_VISIBLE, Kind.MISSING)
    return target


@dataclass(frozen=True)
class ChainReport:
    """The chain recomputed and compared with the signed checkpoints outside the database.

    `checkpoint_problems` names, for each checkpoint the chain no longer
    matches, the first event affected (a cut tail, a re-hashed history), and
    each checkpoint line whose signature does not verify.
    """

    verification: chain.Verification
    broken_event: AuditEvent | None
    checkpoint_file: Path
    checkpoints_checked: int = 0
    checkpoint_problems: tuple[checkpoints.CheckpointProblem, ...] = ()

    @property
    def intact(self) -> bool:
        return self.verification.intact and not self.checkpoint_problems

    @property
    def checked(self) -> int:
        return self.verification.checked

    @property
    def first_affected(self) -> int | None:
        """The lowest event sequence that a break or a checkpoint puts in doubt."""
        sequences = [problem.sequence for problem in self.checkpoint_problems if problem.sequence]
        if self.verification.first_break is not None:
            sequences.append(self.verification.first_break.sequence)
        return min(sequences, default=None)


def chain_report() -> ChainReport:
    verification = verify_chain()
    broken_event = None
    if verification.first_break is not None:
        broken_event = AuditEvent.objects.filter(sequence=verification.first_break.sequence).first()
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    key = checkpoint_key(create=False)
    signed, problems = checkpoints.read(path, key)
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    wanted = {checkpoint.sequence for _, checkpoint in signed}
    known = hashes_at(wanted)
    problems += checkpoints.compare(signed, head or 0, known.get, hashes_between)
    problems.sort(key=lambda problem: (problem.sequence or 0, problem.line))
    return ChainReport(verification, broken_event, path, len(signed), tuple(problems))


def hashes_at(sequences: set[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ordered = sorted(sequences)
    for start in range(0, len(ordered), 500):
        rows = AuditEvent.objects.filter(sequence__in=ordered[start : start + 500])
        found.update(rows.values_list("sequence", "hash"))
    return found
