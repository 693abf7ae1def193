"""The one search box: apps register what can be found (filings, units, people …), each source scoped by
the scope gate exactly like its own list page, and each linking to that list filtered by the same words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: Any
    order: int
    # The matching rows the person may see, or None when the source is not for them.
    rows: Callable[[Any, str], QuerySet | None]
    hit: Callable[[Any], SearchHit]
    # The list page filtered by the same words, for "all results".
    more_url: Callable[[str], str]


_SOURCES: dict[str, SearchSource] = {}


def search_source_register(*sources: SearchSource) -> None:
    for source in sources:
        _SOURCES[source.key] = source


@dataclass
class SearchSection:
    source: SearchSource
    total: int
    hits: list[SearchHit]
    more_url: str


def search(person, q: str, *, limit: int = 10) -> list[SearchSection]:
    q = (q or "").strip()[:100]
    if not q:
        return []
    sections = []
    for source in sorted(_SOURCES.values(), key=lambda s: (s.order, s.key)):
        rows = source.rows(person, q)
        if rows is None:
            continue
        total = rows.count()
        sections.append(SearchSection(source=source, total=total, hits=[source.hit(r) for r in rows[:limit]],
                                      more_url=source.more_url(q)))
    return sections
