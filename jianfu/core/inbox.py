"""Each person's inbox: what waits for them and what arrived for them, gathered from sources that apps
register in AppConfig.ready().

A source is a query, not a copy: "filings returned to me" is read from the registry each time, so an item
leaves the inbox the moment it is dealt with, and nothing is written per person when a demand falls on a
thousand villages. What is new is what arrived after the person last opened the inbox (InboxState).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

TODO = "todo"  # waits for the person to act; stays until done
NEWS = "news"  # arrived for the person; stays for NEWS_DAYS


@dataclass(frozen=True)
class InboxEntry:
    title: str
    url: str
    at: dt.datetime
    note: str = ""


@dataclass(frozen=True)
class InboxSource:
    key: str
    label: Any
    order: int
    kind: str
    # The rows for this person, or None when the source is not for them; each row carries its arrival time
    # in `at_field` (a field or an annotation).
    rows: Callable[[Any], QuerySet | None]
    at_field: str
    entry: Callable[[Any], InboxEntry]


_SOURCES: dict[str, InboxSource] = {}
NEWS_DAYS = 30


def inbox_source_register(*sources: InboxSource) -> None:
    for source in sources:
        _SOURCES[source.key] = source


def inbox_sources() -> list[InboxSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


@dataclass
class InboxSection:
    source: InboxSource
    total: int
    new: int
    entries: list[InboxEntry]
    new_since: dt.datetime | None

    def is_new(self, entry: InboxEntry) -> bool:
        return self.new_since is None or entry.at > self.new_since

    @property
    def items(self) -> list[tuple[InboxEntry, bool]]:
        """The entries, each with whether it is new (for templates)."""
        return [(e, self.is_new(e)) for e in self.entries]


def _rows(source: InboxSource, person, now: dt.datetime) -> QuerySet | None:
    rows = source.rows(person)
    if rows is None:
        return None
    if source.kind == NEWS:
        rows = rows.filter(**{f"{source.at_field}__gte": now - dt.timedelta(days=NEWS_DAYS)})
    return rows


def inbox_sections(person, *, since: dt.datetime | None, limit: int = 20,
                   now: dt.datetime | None = None) -> list[InboxSection]:
    """The person's sections, newest first in each; `since` marks what counts as new."""
    now = now or timezone.now()
    sections = []
    for source in inbox_sources():
        rows = _rows(source, person, now)
        if rows is None:
            continue
        total = rows.count()
        new = rows.filter(**{f"{source.at_field}__gt": since}).count() if since else total
        entries = [source.entry(r) for r in rows.order_by(f"-{source.at_field}")[:limit]] if total else []
        sections.append(InboxSection(source=source, total=total, new=new, entries=entries, new_since=since))
    return sections


def inbox_new_count(person, *, since: dt.datetime | None, now: dt.datetime | None = None) -> int:
    """How many items arrived since `since` (everything in the inbox when the person never opened it)."""
    now = now or timezone.now()
    count = 0
    for source in inbox_sources():
        rows = _rows(source, person, now)
        if rows is None:
            continue
        count += rows.filter(**{f"{source.at_field}__gt": since}).count() if since else rows.count()
    return count


def inbox_entries_since(person, *, since: dt.datetime, now: dt.datetime | None = None, limit: int = 50
                        ) -> list[tuple[InboxSource, list[InboxEntry]]]:
    """What arrived for a person in a window: the daily digest's content."""
    now = now or timezone.now()
    out = []
    for source in inbox_sources():
        rows = _rows(source, person, now)
        if rows is None:
            continue
        fresh = rows.filter(**{f"{source.at_field}__gt": since, f"{source.at_field}__lte": now})
        entries = [source.entry(r) for r in fresh.order_by(f"-{source.at_field}")[:limit]]
        if entries:
            out.append((source, entries))
    return out
