"""The near-duplicate index over registered documents, kept in the database and changed one document at a time.

A document in an indexed status has one `IndexedDocument` row (the MinHash signature of its current version)
and one `DocumentBand` row per LSH band. `document_index_sync` writes, replaces or deletes them when a document
enters or leaves the indexed statuses; the registry's services call it in their transaction. A look-up hashes
the draft, reads the documents that share a band with it in one indexed query, and scores them as
`textkit.minhash.LSHIndex` does: the signature estimate within four standard deviations of the threshold, then
the exact Jaccard of the character 3-grams against the document's current text. Nothing is built in a request.

The look-up reads a bounded amount whatever the number of documents: at most `PER_KEY` documents of each band
key (the newest), then the `CANDIDATES` that share most bands with the draft, then the exact text of the
`VERIFY` best estimates. A band key shared by thousands of documents (boilerplate) says little; a real
near-duplicate shares several bands with the draft (at Jaccard 0.5, eight of the 32 on average).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
from django.db import connection, transaction

from jianfu.textkit.minhash import LSHIndex
from jianfu.textkit.shingles import fingerprint_set, fingerprint_sets

from .checks.documents import SimilarDocument
from .models import Demand, DocumentBand, IndexedDocument, Kind, Status

INDEXED = (Status.CHECKED, Status.APPROVED, Status.IN_FORCE, Status.EXPIRED)
THRESHOLD = 0.3
PER_KEY = 500  # documents read per band key, the newest first
CANDIDATES = 200  # candidates (most bands shared first) whose signatures are compared
VERIFY = 50  # candidates (best estimate first) whose text is compared exactly
_BATCH = 2000


@functools.cache
def lsh(threshold: float = THRESHOLD) -> LSHIndex:
    """The hash functions and bands (an empty LSHIndex): the same for every process, so stored keys stay valid."""
    return LSHIndex(threshold=threshold)


def stored_band_keys(index: LSHIndex, signatures: np.ndarray, *, entry: int = 0) -> np.ndarray:
    """(n, bands) int64 keys to store: entry · 2⁴⁰ + band · 2³² + the band's 32-bit key."""
    keys = index._keys_of(np.asarray(signatures, dtype=np.uint32)).astype(np.int64)
    return keys | (np.arange(index.bands, dtype=np.int64) << 32)[None, :] | np.int64(entry << 40)


def margin(index: LSHIndex, threshold: float) -> float:
    """Four standard deviations of the signature estimate at the threshold, as LSHIndex filters with."""
    return 4.0 * math.sqrt(threshold * (1.0 - threshold) / index.hasher.num_perm)


def _entries(rows: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, bytes, list[int]]]:
    """(demand id, revision id, signature, band keys) of each (demand id, revision id, text) with any 3-gram."""
    if not rows:
        return []
    index = lsh()
    fps, offsets = fingerprint_sets([text or "" for _, _, text in rows])
    sigs = index.hasher.signatures_of(fps, offsets).astype("<u4")
    keys = stored_band_keys(index, sigs)
    live = np.flatnonzero(np.diff(offsets) > 0).tolist()
    return [(rows[i][0], rows[i][1], sigs[i].tobytes(), keys[i].tolist()) for i in live]


def _write(entries, indexed_model=IndexedDocument, band_model=DocumentBand) -> None:
    indexed_model.objects.bulk_create(
        [indexed_model(demand_id=d, revision_id=r, signature=s) for d, r, s, _k in entries], batch_size=_BATCH)
    band_model.objects.bulk_create(
        [band_model(demand_id=d, key=k) for d, _r, _s, keys in entries for k in keys], batch_size=10 * _BATCH)


def _forget(demand_id: int) -> None:
    DocumentBand.objects.filter(demand_id=demand_id).delete()
    IndexedDocument.objects.filter(demand_id=demand_id).delete()


def document_index_sync(demand: Demand) -> None:
    """Write, replace or delete one demand's entry in the near-duplicate index after its status or version changed.

    A document is indexed while its status is one of INDEXED and it has a current version; anything else has no
    entry. Safe to call for any demand and any change (other kinds return at once; an unchanged entry is kept).
    """
    if demand.kind != Kind.DOCUMENT:
        return
    current = (Demand.objects.filter(pk=demand.pk, status__in=INDEXED, current_revision__isnull=False)
               .values_list("current_revision_id", "current_revision__body").first())
    if current is None:
        _forget(demand.pk)
        return
    revision_id, body = current
    if IndexedDocument.objects.filter(demand_id=demand.pk, revision_id=revision_id).exists():
        return  # versions never change, so the entry is still right (e.g. approved after it was checked)
    _forget(demand.pk)
    _write(_entries([(demand.pk, revision_id, body or "")]))


def document_index_fill(*, demand_model=Demand, indexed_model=IndexedDocument, band_model=DocumentBand,
                        batch_size: int = _BATCH) -> int:
    """Index every document in an indexed status that has no entry yet, in batches; returns how many.

    The models are parameters so that the data migration can pass its historical ones.
    """
    documents = (demand_model.objects.filter(kind=Kind.DOCUMENT, status__in=[str(s) for s in INDEXED],
                                             current_revision__isnull=False)
                 .exclude(pk__in=indexed_model.objects.values("demand_id")).order_by("pk"))
    done, last = 0, 0
    while True:
        rows = list(documents.filter(pk__gt=last).values_list("pk", "current_revision_id",
                                                              "current_revision__body")[:batch_size])
        if not rows:
            return done
        last = rows[-1][0]
        entries = _entries(rows)
        _write(entries, indexed_model, band_model)
        done += len(entries)


@transaction.atomic
def document_index_rebuild() -> int:
    """Empty the near-duplicate index and index every registered document again; returns how many.

    For existing data and repairs (`jianfu document_index_rebuild`); requests never rebuild.
    """
    DocumentBand.objects.all().delete()
    IndexedDocument.objects.all().delete()
    return document_index_fill()


def _candidates(keys: list[int], exclude_id: int | None) -> list[tuple[int, bytes]]:
    """(demand id, signature) of the documents sharing most band keys with the draft, in one query."""
    # Only quoted names and constants are formatted in; the keys and the id are parameters.
    qn = connection.ops.quote_name
    bands, indexed = qn(DocumentBand._meta.db_table), qn(IndexedDocument._meta.db_table)
    key, demand = qn("key"), qn("demand_id")
    per_key = " UNION ALL ".join(
        f"SELECT {demand} FROM (SELECT {demand} FROM {bands} WHERE {key} = %s "  # noqa: S608
        f"ORDER BY {demand} DESC LIMIT {PER_KEY}) AS k{i}" for i in range(len(keys)))
    sql = (f"SELECT c.{demand}, d.{qn('signature')} FROM ("  # noqa: S608
           f"SELECT {demand}, COUNT(*) AS hits FROM ({per_key}) AS u WHERE {demand} <> %s "
           f"GROUP BY {demand} ORDER BY hits DESC, {demand} DESC LIMIT {CANDIDATES}"
           f") AS c JOIN {indexed} AS d ON d.{demand} = c.{demand}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, -1 if exclude_id is None else exclude_id])
        return [(pk, bytes(signature)) for pk, signature in cursor.fetchall()]


def document_index_query(*, text: str, exclude_id: int | None, limit: int = 5) -> list[SimilarDocument]:
    """Registered documents whose 3-gram Jaccard with `text` is at least THRESHOLD, most similar first."""
    fps = fingerprint_set(text or "")
    if len(fps) == 0:
        return []
    index = lsh()
    sig = index.hasher.signature_of(fps)
    found = _candidates(stored_band_keys(index, sig[None, :])[0].tolist(), exclude_id)
    if not found:
        return []
    ids = np.array([pk for pk, _s in found], dtype=np.int64)
    sigs = np.frombuffer(b"".join(s for _pk, s in found), dtype="<u4").reshape(len(found), -1)
    estimates = (sigs == sig[None, :]).mean(axis=1)
    close = np.flatnonzero(estimates >= THRESHOLD - margin(index, THRESHOLD))
    close = close[np.argsort(-estimates[close], kind="stable")][:VERIFY]
    if not len(close):
        return []
    rows = (Demand.objects.filter(pk__in=ids[close].tolist(), kind=Kind.DOCUMENT, status__in=INDEXED)
            .values_list("pk", "title", "control_number", "current_revision__body"))
    scored = []
    for pk, title, number, body in rows:
        other = fingerprint_set(body or "")
        shared = len(np.intersect1d(fps, other, assume_unique=True))
        jaccard = shared / (len(fps) + len(other) - shared) if len(other) else 0.0
        if jaccard >= THRESHOLD:
            scored.append(SimilarDocument(demand_id=pk, title=title, control_number=number or "", jaccard=jaccard))
    scored.sort(key=lambda m: (-m.jaccard, -m.demand_id))
    return scored[:limit]
