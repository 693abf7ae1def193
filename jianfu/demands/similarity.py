"""Near-duplicate documents and related meetings, for the gate's checks."""

from __future__ import annotations

import datetime as dt

from jianfu.rules.engine import RuleSet

from .checks.documents import SimilarDocument
from .checks.meetings import RelatedMeeting
from .models import Demand, Kind, Revision, Status

OPEN_MEETINGS = (Status.DRAFT, Status.CHECKED, Status.RETURNED, Status.APPROVED, Status.IN_FORCE)


def _grams(text: str):
    from jianfu.textkit.shingles import fingerprint_set

    return fingerprint_set(text)


def jaccard(a, b) -> float:
    from jianfu.textkit.shingles import jaccard as exact

    return exact(a, b)


def similar_documents(*, text: str, exclude_id: int | None, limit: int = 5) -> list[SimilarDocument]:
    """Registered documents whose text overlaps the draft (3-gram Jaccard ≥ 0.3), most similar first."""
    from .document_index import document_index_query

    return document_index_query(text=text, exclude_id=exclude_id, limit=limit)


def related_meetings(*, demand: Demand, revision: Revision, rules: RuleSet) -> list[RelatedMeeting]:
    """Meetings in the same window of days with similar titles/agendas or overlapping attendees."""
    if not demand.occurs_on:
        return []
    window = int(rules.value("meeting.related_window_days", 7))
    threshold = float(rules.value("meeting.related_similarity", 0.3))
    mine = _grams(f"{revision.title}\n{revision.body}")
    my_units = set(demand.targets.values_list("unit_id", flat=True)) if demand.pk else set()
    candidates = (Demand.objects.filter(kind=Kind.MEETING, status__in=OPEN_MEETINGS, merged_into__isnull=True,
                                        occurs_on__range=(demand.occurs_on - dt.timedelta(days=window),
                                                          demand.occurs_on + dt.timedelta(days=window)))
                  .exclude(pk=demand.pk).select_related("current_revision").prefetch_related("targets"))
    found = []
    for other in candidates:
        rev = other.current_revision
        sim = jaccard(mine, _grams(f"{other.title}\n{rev.body if rev else ''}"))
        shared = len(my_units & {t.unit_id for t in other.targets.all()})
        if sim >= threshold or (shared and sim >= threshold / 2):
            found.append(RelatedMeeting(demand_id=other.pk, title=other.title, date=other.occurs_on.isoformat(),
                                        similarity=sim, shared_units=shared))
    found.sort(key=lambda m: (-m.similarity, -m.shared_units))
    return found[:5]
