"""Configure feed sources: add one, enable or disable the catalogue's (administrators; audited).

The catalogue (`medvigil.core.sources`) is offered for the portfolio as it
is: OSV only for the ecosystems its components use. A source is a row only
once someone adds or enables it, or the demo lists it disabled; nothing is
downloaded while it is disabled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlparse

from django.db import transaction

from medvigil.audit.services import record
from medvigil.core.sources import (
    RecommendedSource,
    catalogue_entry,
    is_secure_address,
    recommended_sources,
)
from medvigil.platform.refusals import Kind, Refusal
from medvigil.sbom.models import Component
from medvigil.vulns.feed_files import KINDS
from medvigil.vulns.models import FeedSource, ScheduledWork


@dataclass(frozen=True)
class Offer:
    """A catalogue source beside its row, when it has one."""

    recommended: RecommendedSource
    source: FeedSource | None

    @property
    def enabled(self) -> bool:
        return self.source is not None and self.source.enabled


def portfolio_purls() -> Iterable[str]:
    return Component.objects.exclude(purl="").values_list("purl", flat=True).iterator()


def offers() -> list[Offer]:
    """The catalogue for this portfolio, then every other configured source."""
    rows = {source.name: source for source in FeedSource.objects.all()}
    catalogue = recommended_sources(portfolio_purls())
    listed = [Offer(entry, rows.pop(entry.name, None)) for entry in catalogue]
    for row in rows.values():
        entry = catalogue_entry(row.name) or RecommendedSource(
            name=row.name,
            kind=row.kind,
            url=row.url,
            format=row.get_kind_display(),
            interval_hours=row.interval_hours,
            description="configured by an administrator",
            scope=row.scope,
        )
        listed.append(Offer(entry, row))
    return listed


def schedule_name(source: FeedSource) -> str:
    return f"feed-sync:{source.pk}"


def add_source(
    name: str,
    url: str,
    kind: str = "auto",
    maximum_age_hours: int | None = None,
    *,
    interval_hours: int = 24,
    scope: str = "",
    enabled: bool = True,
) -> FeedSource:
    """Configure (or change) a feed the workers synchronise every `interval_hours`."""
    if urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc:
        message = f"{url}: only http and https feeds can be synchronised"
        raise Refusal(message, errors={"url": message})
    if kind == "csaf" and not is_secure_address(url):
        message = f"{url}: CSAF is read over https only (plain http only on 127.0.0.1 or ::1)"
        raise Refusal(message, errors={"url": message})
    if kind not in KINDS:
        message = f"Unknown feed kind {kind!r}; kinds: {', '.join(KINDS)}"
        raise Refusal(message, errors={"kind": message})
    if not name.strip() or len(name) > 100:
        message = "A feed needs a name of 1 to 100 characters."
        raise Refusal(message, errors={"name": message})
    if interval_hours < 1:
        message = "The interval is at least one hour."
        raise Refusal(message, errors={"interval_hours": message})
    maximum_age = maximum_age_hours or 2 * interval_hours
    with transaction.atomic():
        source, created = FeedSource.objects.update_or_create(
            name=name.strip(),
            defaults={
                "url": url,
                "kind": kind,
                "maximum_age_hours": maximum_age,
                "interval_hours": interval_hours,
                "scope": scope,
                "enabled": enabled,
            },
        )
        ScheduledWork.objects.filter(name=schedule_name(source)).update(last_queued_at=None)
        record(
            "vulns.feed.configured",
            source,
            details={
                "url": url,
                "kind": kind,
                "created": created,
                "enabled": enabled,
                "interval_hours": interval_hours,
                "maximum_age_hours": maximum_age,
                "scope": scope,
            },
        )
    return source


def list_recommended(*, enabled: bool) -> list[FeedSource]:
    """Rows for every catalogue source not configured yet (the demo lists them disabled)."""
    created = []
    for offer in offers():
        if offer.source is None:
            entry = offer.recommended
            created.append(
                add_source(
                    entry.name,
                    entry.url,
                    entry.kind,
                    interval_hours=entry.interval_hours,
                    scope=entry.scope,
                    enabled=enabled,
                )
            )
    return created


def enable(names: Iterable[str]) -> list[FeedSource]:
    """Switch sources on: configured ones by name, else the catalogue's of that name."""
    wanted = [name.strip() for name in names]
    unknown = [
        name
        for name in wanted
        if not FeedSource.objects.filter(name=name).exists() and catalogue_entry(name) is None
    ]
    if unknown:
        message = f"No configured or recommended source named {', '.join(unknown)}."
        raise Refusal(message, Kind.MISSING, errors={"name": message})
    enabled = []
    with transaction.atomic():
        for name in wanted:
            source = FeedSource.objects.filter(name=name).first()
            entry = catalogue_entry(name)
            if source is None and entry is not None:
                source = add_source(
                    entry.name,
                    entry.url,
                    entry.kind,
                    interval_hours=entry.interval_hours,
                    scope=entry.scope,
                )
            elif source is not None and not source.enabled:
                set_enabled(source, True)
            if source is not None:
                enabled.append(source)
    return enabled


def disable(names: Iterable[str]) -> list[FeedSource]:
    wanted = [name.strip() for name in names]
    rows = {source.name: source for source in FeedSource.objects.filter(name__in=wanted)}
    unknown = [name for name in wanted if name not in rows]
    if unknown:
        message = f"No configured source named {', '.join(unknown)}."
        raise Refusal(message, Kind.MISSING, errors={"name": message})
    with transaction.atomic():
        for source in rows.values():
            if source.enabled:
                set_enabled(source, False)
    return list(rows.values())


def set_enabled(source: FeedSource, enabled: bool) -> None:
    source.enabled = enabled
    source.save(update_fields=["enabled"])
    ScheduledWork.objects.filter(name=schedule_name(source)).update(last_queued_at=None)
    record("vulns.feed.enabled" if enabled else "vulns.feed.disabled", source, details={})
