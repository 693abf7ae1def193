"""An in-process near-duplicate index over registered documents, rebuilt when the registry changes."""

from __future__ import annotations

import threading

from django.db.models import Count, Max

from .checks.documents import SimilarDocument
from .models import Demand, Kind, Status

INDEXED = (Status.CHECKED, Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)


class DocumentIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._index = None
        self._meta: dict[int, tuple[str, str]] = {}

    def _current_signature(self) -> tuple:
        agg = Demand.objects.filter(kind=Kind.DOCUMENT, status__in=INDEXED).aggregate(
            n=Count("pk"), last=Max("updated_at"))
        return (agg["n"], agg["last"])

    def _rebuild(self) -> None:
        from jianfu.textkit.minhash import LSHIndex

        rows = list(Demand.objects.filter(kind=Kind.DOCUMENT, status__in=INDEXED, current_revision__isnull=False)
                    .values_list("pk", "title", "control_number", "current_revision__body"))
        index = LSHIndex(threshold=0.3)
        index.add_many([r[0] for r in rows], [r[3] or "" for r in rows])
        self._index = index
        self._meta = {r[0]: (r[1], r[2] or "") for r in rows}

    def query(self, *, text: str, exclude_id: int | None, limit: int = 5) -> list[SimilarDocument]:
        with self._lock:
            signature = self._current_signature()
            if signature != self._signature or self._index is None:
                self._rebuild()
                self._signature = signature
            index, meta = self._index, self._meta
        matches = [m for m in index.query(text) if m.id != exclude_id and m.id in meta]
        return [SimilarDocument(demand_id=m.id, title=meta[m.id][0], control_number=meta[m.id][1],
                                jaccard=m.score) for m in matches[:limit]]


_INDEX = DocumentIndex()


def document_index() -> DocumentIndex:
    return _INDEX
