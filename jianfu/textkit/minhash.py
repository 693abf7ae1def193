"""Near-duplicate search over Chinese texts: a vectorised MinHash and an LSH index over it.

    index = LSHIndex(threshold=0.5)
    index.add_many(ids, texts)                 # bulk: a few seconds for 100,000 texts
    index.query(draft)                         # [Match(id, jaccard, estimate)], best first, ~1 ms
    index.groups()                             # [[id, id, …], …] connected by Jaccard ≥ threshold
    explain(text_a, text_b)                    # Explanation(jaccard, shared_terms, shared_shingles)

Texts are compared as sets of character 3-grams of ``normalise(text)`` (traditional → simplified,
full-width → half-width, lower case, no whitespace or punctuation), by Jaccard similarity.

*MinHash.* Each 3-gram's 32-bit fingerprint ``x`` goes through ``num_perm`` affine maps
``a·x + b mod 2³²`` (``a`` odd, so each is a permutation of the fingerprints); a text's signature is
the minimum of each map over its fingerprints, and the fraction of equal signature entries estimates
the Jaccard similarity of two texts. For a batch all fingerprints are concatenated and each map is one
numpy multiply, one add and one ``np.minimum.reduceat`` per chunk of ~64K fingerprints (so the working
set stays in the cache). Fingerprints are well-mixed hashes, so the estimator's error is what theory
says for true permutations: standard deviation ``√(J(1−J)/num_perm)``.

*LSH.* The signature is cut into ``bands`` bands of ``rows`` entries; two texts are candidates when
they agree on a whole band, which happens with probability ``1 − (1 − Jʳ)ᵇ``. ``lsh_parameters``
takes the (bands, rows) with the fewest false positives among those that make a pair *at* the
threshold a candidate with probability ≥ ``min_recall`` (datasketch weighs both errors equally and
at 0.5 finds only 55% of the pairs at the threshold). Candidates are then filtered by their signature
estimate (with a margin of four standard deviations) and, with ``verify=True`` (the default),
by the Jaccard of their stored fingerprint sets (see ``shingles``: exact but for 2⁻³² collisions).

*Storage.* Signatures, band keys and fingerprint sets are flat numpy arrays; each band's index is a
sorted array of ``band_key << 32 | row``, looked up with ``searchsorted``. Texts added after the last
sort are scanned linearly until there are enough of them to sort again; removed texts are masked and
dropped by ``compact()`` (automatic once half the rows are dead). ``to_bytes``/``from_bytes`` (and
pickle) keep ids, signatures and fingerprint sets; the band index is rebuilt on load.

Pure Python + numpy: no Django here.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .normalise import normalise
from .shingles import fingerprint_set, iter_fingerprint_sets, shingles

__all__ = [
    "Explanation",
    "LSHIndex",
    "Match",
    "MinHasher",
    "Pair",
    "explain",
    "lsh_parameters",
]

Id = int | str

_CHUNK = 1 << 16  # fingerprints per signature chunk: 256 KB of uint32, in L2
_FORMAT = "jianfu-lsh-1"


# --------------------------------------------------------------------------------------- MinHash
class MinHasher:
    """MinHash signatures of texts' 3-gram fingerprint sets; uint32, ``num_perm`` entries each.

    Two hashers with the same ``num_perm`` and ``seed`` give identical signatures.
    """

    def __init__(self, num_perm: int = 128, seed: int = 1):
        if num_perm < 1:
            raise ValueError("num_perm must be at least 1")
        self.num_perm = int(num_perm)
        self.seed = int(seed)
        rng = np.random.default_rng(self.seed)
        self._a = (rng.integers(0, 1 << 32, self.num_perm, dtype=np.uint64) | 1).astype(np.uint32)
        self._b = rng.integers(0, 1 << 32, self.num_perm, dtype=np.uint64).astype(np.uint32)

    def signature(self, text: str) -> np.ndarray:
        return self.signature_of(fingerprint_set(text))

    def signatures(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), num_perm) uint32."""
        return self._sets_and_signatures(texts)[2]

    def _sets_and_signatures(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Fingerprint sets (fps, offsets) and signatures of texts, a cache-sized group at a time."""
        texts = texts if isinstance(texts, list) else list(texts)
        fps_parts, count_parts, sig_parts = [], [], []
        for _, _, fps, offsets in iter_fingerprint_sets(texts):
            fps_parts.append(fps)
            count_parts.append(np.diff(offsets))
            sig_parts.append(self.signatures_of(fps, offsets))
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        if not fps_parts:
            return np.empty(0, np.uint32), offsets, np.empty((0, self.num_perm), np.uint32)
        np.cumsum(np.concatenate(count_parts), out=offsets[1:])
        return np.concatenate(fps_parts), offsets, np.concatenate(sig_parts)

    def signature_of(self, fps: np.ndarray) -> np.ndarray:
        """Signature of one fingerprint set (all 0xFFFFFFFF when it is empty)."""
        fps = np.asarray(fps, dtype=np.uint32)
        if len(fps) == 0:
            return np.full(self.num_perm, 0xFFFFFFFF, dtype=np.uint32)
        if len(fps) > 4096:  # a long document: in cache-sized chunks
            return self.signatures_of(fps, np.array([0, len(fps)]))[0]
        hashed = self._a[:, None] * fps[None, :]
        hashed += self._b[:, None]
        return hashed.min(axis=1)

    def signatures_of(self, fps: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Signatures of many fingerprint sets, set ``i`` being ``fps[offsets[i]:offsets[i+1]]``."""
        fps = np.asarray(fps, dtype=np.uint32)
        offsets = np.asarray(offsets, dtype=np.int64)
        n = len(offsets) - 1
        nonempty = np.flatnonzero(np.diff(offsets) > 0)
        filled = np.empty((self.num_perm, len(nonempty)), dtype=np.uint32)  # perm-major while filling
        if len(nonempty):
            starts = offsets[nonempty]
            ends = offsets[nonempty + 1]
            # chunks of whole texts with about _CHUNK fingerprints each
            cuts = np.searchsorted(ends, np.arange(_CHUNK, int(ends[-1]), _CHUNK), side="left")
            bounds = np.unique(np.concatenate([[0], cuts + 1, [len(nonempty)]]))
            bounds = bounds[bounds <= len(nonempty)]
            buf = np.empty(max(_CHUNK, int((ends - starts).max())) * 2, dtype=np.uint32)
            a, b = self._a.tolist(), self._b.tolist()
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
                first, last = int(starts[lo]), int(ends[hi - 1])
                x = fps[first:last]
                work = buf[: last - first]
                local = starts[lo:hi] - first
                for i in range(self.num_perm):
                    np.multiply(x, np.uint32(a[i]), out=work)
                    np.add(work, np.uint32(b[i]), out=work)
                    np.minimum.reduceat(work, local, out=filled[i, lo:hi])
        if len(nonempty) == n:
            return np.ascontiguousarray(filled.T)
        out = np.full((n, self.num_perm), 0xFFFFFFFF, dtype=np.uint32)  # empty sets: all maximal
        out[nonempty] = filled.T
        return out

    @staticmethod
    def estimate(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
        """Estimated Jaccard similarity: the fraction of equal signature entries."""
        return float(np.mean(np.asarray(sig_a) == np.asarray(sig_b)))


def _candidate_probability(j: np.ndarray, bands: int, rows: int) -> np.ndarray:
    return 1.0 - (1.0 - j**rows) ** bands


def lsh_parameters(threshold: float, num_perm: int, min_recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows) for ``threshold``: the fewest false positives (the area under the candidate
    probability below the threshold) among those that make a pair at the threshold a candidate
    with probability ≥ ``min_recall``; if none can, the one with the highest such probability."""
    if not 0.0 < threshold < 1.0:
        raise ValueError("threshold must be between 0 and 1")
    below = np.linspace(0.0, threshold, 256)
    best: tuple[float, int, int] | None = None
    fallback: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        for bands in range(1, num_perm // rows + 1):
            p = float(_candidate_probability(np.float64(threshold), bands, rows))
            if fallback is None or p > fallback[0]:
                fallback = (p, bands, rows)
            if p >= min_recall:
                area = float(np.trapezoid(_candidate_probability(below, bands, rows), below))
                if best is None or area < best[0]:
                    best = (area, bands, rows)
                break  # more bands of this width only add false positives
    chosen = best or fallback
    assert chosen is not None
    return chosen[1], chosen[2]


# ------------------------------------------------------------------------------------- results
@dataclass(frozen=True, slots=True)
class Match:
    id: Id
    jaccard: float | None  # Jaccard of the 3-gram sets (None when the index does not verify)
    estimate: float  # MinHash estimate

    @property
    def score(self) -> float:
        return self.estimate if self.jaccard is None else self.jaccard


@dataclass(frozen=True, slots=True)
class Pair:
    a: Id
    b: Id
    jaccard: float | None
    estimate: float


@dataclass(frozen=True, slots=True)
class Explanation:
    jaccard: float  # exact Jaccard of the 3-gram sets
    shared_terms: tuple[str, ...]  # longest shared runs of the normalised texts, longest first
    shared_shingles: int  # 3-grams the texts have in common


def _shared_runs(a: str, b: str, min_length: int) -> list[tuple[int, str]]:
    """Greedy left-to-right longest runs of ``a`` that occur in ``b``: (position in a, run)."""
    if len(a) < min_length or len(b) < min_length:
        return []
    grams = {b[i : i + min_length] for i in range(len(b) - min_length + 1)}
    runs = []
    i = 0
    while i <= len(a) - min_length:
        if a[i : i + min_length] not in grams:
            i += 1
            continue
        lo, hi = i + min_length, len(a)  # a[i:lo] occurs in b; find the longest such end
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if a[i:mid] in b:
                lo = mid
            else:
                hi = mid - 1
        runs.append((i, a[i:lo]))
        i = lo
    return runs


def explain(text_a: str, text_b: str, *, limit: int = 5, min_length: int = 2) -> Explanation:
    """Why two texts are alike: their Jaccard and the longest runs of characters they share.

    Terms are runs of ``normalise``d text (simplified, without punctuation) of at least
    ``min_length`` characters, longest first, at most ``limit``, none inside another.
    """
    a, b = normalise(text_a), normalise(text_b)
    keys_a, keys_b = shingles(a), shingles(b)  # normalise(a) == a
    shared = len(np.intersect1d(keys_a, keys_b, assume_unique=True))
    union = len(keys_a) + len(keys_b) - shared
    runs = sorted(_shared_runs(a, b, min_length), key=lambda r: (-len(r[1]), r[0]))
    terms: list[str] = []
    for _, run in runs:
        if len(terms) >= limit:
            break
        if not any(run in t for t in terms):
            terms.append(run)
    return Explanation(
        jaccard=shared / union if union else 0.0, shared_terms=tuple(terms), shared_shingles=shared
    )


# ------------------------------------------------------------------------------------ the index
def _segments(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    out_starts = np.cumsum(lengths) - lengths
    return np.repeat(starts - out_starts, lengths) + np.arange(total, dtype=np.int64)


def _check_id(item_id: object) -> Id:
    if type(item_id) is int or type(item_id) is str:
        return item_id  # type: ignore[return-value]
    if isinstance(item_id, str):
        return item_id
    if isinstance(item_id, Integral) and not isinstance(item_id, bool):
        return int(item_id)
    raise TypeError(f"ids must be int or str, not {type(item_id).__name__}")


class LSHIndex:
    """MinHash-LSH index of texts by id (int or str), for Jaccard ≥ ``threshold`` on 3-grams."""

    def __init__(
        self,
        threshold: float = 0.5,
        num_perm: int = 128,
        *,
        bands: int | None = None,
        rows: int | None = None,
        min_recall: float = 0.95,
        verify: bool = True,
        seed: int = 1,
    ):
        if (bands is None) != (rows is None):
            raise ValueError("give both bands and rows, or neither")
        if bands is None or rows is None:
            bands, rows = lsh_parameters(threshold, num_perm, min_recall)
        if bands * rows > num_perm:
            raise ValueError("bands × rows must not exceed num_perm")
        self.threshold = float(threshold)
        self.bands, self.rows = int(bands), int(rows)
        self.min_recall = float(min_recall)
        self.verify = bool(verify)
        self.hasher = MinHasher(num_perm, seed)
        # four standard deviations of the estimate at the threshold
        self.margin = 4.0 * math.sqrt(self.threshold * (1.0 - self.threshold) / num_perm)
        rng = np.random.default_rng([seed, 0x6A66])
        self._band_mult = (rng.integers(0, 1 << 63, (bands, rows), dtype=np.uint64) << np.uint64(1)) | 1
        self._clear()

    # -- storage -------------------------------------------------------------------------------
    def _clear(self) -> None:
        k = self.hasher.num_perm
        self._ids: list[Id | None] = []
        self._row_of: dict[Id, int] = {}
        self._n = 0
        self._sigs = np.empty((0, k), dtype=np.uint32)
        self._band_keys = np.empty((0, self.bands), dtype=np.uint32)
        self._live = np.empty(0, dtype=bool)  # present and with at least one shingle
        self._alive = np.empty(0, dtype=bool)
        self._fps = np.empty(0, dtype=np.uint32)
        self._fp_end = 0
        self._fp_offsets = np.zeros(1, dtype=np.int64)
        self._dead = 0
        self._sorted = np.empty((self.bands, 0), dtype=np.uint64)
        self._sorted_upto = 0  # rows below this are in self._sorted (if they were live then)

    def __len__(self) -> int:
        return self._n - self._dead

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row_of

    @property
    def ids(self) -> list[Id]:
        return [i for i in self._ids if i is not None]

    def _grow(self, extra_rows: int, extra_fps: int) -> None:
        need = self._n + extra_rows
        if need > len(self._sigs):
            cap = max(need, 2 * len(self._sigs), 64)
            for name in ("_sigs", "_band_keys"):
                old = getattr(self, name)
                new = np.empty((cap, old.shape[1]), dtype=old.dtype)
                new[: self._n] = old[: self._n]
                setattr(self, name, new)
            for name in ("_live", "_alive"):
                old = getattr(self, name)
                new = np.zeros(cap, dtype=bool)
                new[: self._n] = old[: self._n]
                setattr(self, name, new)
            offsets = np.empty(cap + 1, dtype=np.int64)
            offsets[: self._n + 1] = self._fp_offsets[: self._n + 1]
            self._fp_offsets = offsets
        need_fps = self._fp_end + extra_fps
        if need_fps > len(self._fps):
            fps = np.empty(max(need_fps, 2 * len(self._fps), 1024), dtype=np.uint32)
            fps[: self._fp_end] = self._fps[: self._fp_end]
            self._fps = fps

    def _keys_of(self, sigs: np.ndarray) -> np.ndarray:
        """(n, bands) uint32 band keys: each band's rows mixed into one 32-bit value."""
        n = len(sigs)
        bands = sigs[:, : self.bands * self.rows].reshape(n, self.bands, self.rows)
        mixed = np.zeros((n, self.bands), dtype=np.uint64)
        term = np.empty((n, self.bands), dtype=np.uint64)
        for j in range(self.rows):
            np.multiply(bands[:, :, j], self._band_mult[:, j], out=term, dtype=np.uint64)
            mixed += term
        return (mixed >> np.uint64(32)).astype(np.uint32)

    def _append(self, ids: list[Id], fps: np.ndarray, offsets: np.ndarray, sigs: np.ndarray) -> None:
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate ids in one batch")
        for item_id in ids:  # replacing: the old row goes
            if item_id in self._row_of:
                self._kill(self._row_of.pop(item_id))
        count = len(ids)
        lo, hi = self._n, self._n + count
        if lo == 0 and len(self._sigs) < count:  # a first bulk load: adopt the arrays, no copies
            self._sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
            self._band_keys = self._keys_of(self._sigs)
            self._alive = np.ones(count, dtype=bool)
            self._live = np.diff(offsets) > 0
            self._fps = np.ascontiguousarray(fps, dtype=np.uint32)
            self._fp_offsets = np.asarray(offsets, dtype=np.int64)
        else:
            self._grow(count, len(fps))
            self._sigs[lo:hi] = sigs
            self._band_keys[lo:hi] = self._keys_of(sigs)
            self._alive[lo:hi] = True
            self._live[lo:hi] = np.diff(offsets) > 0
            self._fps[self._fp_end : self._fp_end + len(fps)] = fps
            self._fp_offsets[lo + 1 : hi + 1] = self._fp_end + offsets[1:]
        self._fp_end += len(fps)
        self._row_of.update(zip(ids, range(lo, hi), strict=True))
        self._ids.extend(ids)
        self._n = hi
        if hi - self._sorted_upto > max(4096, self._sorted.shape[1] // 8):
            self._sort()

    def _kill(self, row: int) -> None:
        self._ids[row] = None
        self._alive[row] = False
        self._live[row] = False
        self._dead += 1

    def _sort(self) -> None:
        """Sort every band's keys of the live rows (the rows added since are scanned until then)."""
        rows = np.flatnonzero(self._live[: self._n]).astype(np.uint64)
        combined = (self._band_keys[rows.astype(np.int64)].T.astype(np.uint64) << np.uint64(32)) | rows
        combined.sort(axis=1)
        self._sorted = combined
        self._sorted_upto = self._n

    # -- writes --------------------------------------------------------------------------------
    def add(self, item_id: Id, text: str) -> None:
        """Index one text (replacing any text indexed under the same id)."""
        self.add_many([item_id], [text])

    def add_many(self, ids: Iterable[Id], texts: Sequence[str]) -> None:
        """Index many texts at once (vectorised; this is the fast way to build an index)."""
        ids = [_check_id(i) for i in (ids.tolist() if isinstance(ids, np.ndarray) else ids)]
        texts = list(texts)
        if len(ids) != len(texts):
            raise ValueError("ids and texts differ in length")
        if not ids:
            return
        fps, offsets, sigs = self.hasher._sets_and_signatures(texts)
        self._append(ids, fps, offsets, sigs)

    def remove(self, item_id: Id) -> None:
        """Forget a text; KeyError if the id is not indexed."""
        self._kill(self._row_of.pop(item_id))
        if self._dead > 1024 and self._dead * 2 > self._n:
            self.compact()

    def compact(self) -> None:
        """Drop removed rows from storage and sort the band index afresh."""
        keep = np.flatnonzero(self._alive[: self._n])
        lengths = self._fp_offsets[keep + 1] - self._fp_offsets[keep]
        fps = self._fps[_segments(self._fp_offsets[keep], lengths)]
        offsets = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        ids = [self._ids[r] for r in keep.tolist()]
        sigs = self._sigs[keep].copy()
        self._clear()
        self._append(ids, fps, offsets, sigs)  # type: ignore[arg-type]
        if self._sorted_upto < self._n:
            self._sort()

    # -- reads ---------------------------------------------------------------------------------
    def _candidates(self, sig: np.ndarray) -> np.ndarray:
        keys = self._keys_of(sig[None, :])[0].astype(np.uint64)
        found = []
        lows = keys << np.uint64(32)
        highs = lows | np.uint64(0xFFFFFFFF)
        for band in range(self.bands):
            column = self._sorted[band]
            lo, hi = np.searchsorted(column, (lows[band], highs[band]))  # no row is 0xFFFFFFFF
            if hi > lo:
                found.append(column[lo:hi] & np.uint64(0xFFFFFFFF))
        rows = np.unique(np.concatenate(found)).astype(np.int64) if found else np.empty(0, np.int64)
        if self._sorted_upto < self._n:
            recent = self._band_keys[self._sorted_upto : self._n]
            hits = np.flatnonzero((recent == keys.astype(np.uint32)[None, :]).any(axis=1))
            rows = np.union1d(rows, hits + self._sorted_upto)
        return rows[self._live[rows]]

    def _verify(self, query_fps: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Jaccard of ``query_fps`` (sorted unique) with the stored sets of ``rows``."""
        starts = self._fp_offsets[rows]
        lengths = self._fp_offsets[rows + 1] - starts
        values = self._fps[_segments(starts, lengths)]
        pos = np.minimum(np.searchsorted(query_fps, values), len(query_fps) - 1)
        hits = query_fps[pos] == values
        owner = np.repeat(np.arange(len(rows)), lengths)
        inter = np.bincount(owner, weights=hits, minlength=len(rows))
        return inter / (len(query_fps) + lengths - inter)

    def query(self, text: str, k: int | None = None, *, threshold: float | None = None) -> list[Match]:
        """Indexed texts whose 3-gram Jaccard with ``text`` is ≥ threshold, most similar first.

        ``threshold`` defaults to the index's; a lower one than the index was built for finds
        fewer of the pairs near it (the bands were chosen for the index's threshold).
        """
        return self.query_fingerprints(fingerprint_set(text), k, threshold=threshold)

    def query_fingerprints(
        self, fps: np.ndarray, k: int | None = None, *, threshold: float | None = None
    ) -> list[Match]:
        """``query`` for a text's fingerprint set (``shingles.fingerprint_set(text)``)."""
        fps = np.unique(np.asarray(fps, dtype=np.uint32))
        t = self.threshold if threshold is None else float(threshold)
        if len(fps) == 0 or len(self) == 0:
            return []
        sig = self.hasher.signature_of(fps)
        rows = self._candidates(sig)
        if len(rows) == 0:
            return []
        estimates = (self._sigs[rows] == sig[None, :]).mean(axis=1)
        if self.verify:
            close = estimates >= t - self.margin
            rows, estimates = rows[close], estimates[close]
            scores = self._verify(fps, rows)
        else:
            scores = estimates
        good = np.flatnonzero(scores >= t)
        order = good[np.argsort(-scores[good], kind="stable")]
        if k is not None:
            order = order[:k]
        return [
            Match(self._ids[r], float(scores[i]) if self.verify else None, float(estimates[i]))  # type: ignore[arg-type]
            for i, r in zip(order.tolist(), rows[order].tolist(), strict=True)
        ]

    def _pair_rows(self) -> np.ndarray:
        """Unique candidate (row, row) pairs, a < b, as an (m, 2) int64 array."""
        if self._sorted_upto < self._n:
            self._sort()
        codes = []
        mask32 = np.uint64(0xFFFFFFFF)
        for band in range(self.bands):
            column = self._sorted[band]
            if len(column) < 2:
                continue
            keys = column >> np.uint64(32)
            change = np.flatnonzero(keys[1:] != keys[:-1]) + 1
            starts = np.concatenate([[0], change])
            lengths = np.diff(np.concatenate([starts, [len(column)]]))
            multi = lengths > 1
            starts, lengths = starts[multi], lengths[multi]
            if not len(starts):
                continue
            members = _segments(starts, lengths)  # positions inside runs
            offset = members - np.repeat(starts, lengths)
            follow = np.repeat(lengths, lengths) - 1 - offset  # later members of the same run
            left = np.repeat(members, follow)
            right = left + 1 + _segments(np.zeros(len(members), np.int64), follow)
            rows = (column & mask32).astype(np.int64)
            a, b = rows[left], rows[right]
            codes.append(np.minimum(a, b) * self._n + np.maximum(a, b))
        if not codes:
            return np.empty((0, 2), dtype=np.int64)
        unique = np.unique(np.concatenate(codes))
        pairs = np.stack([unique // self._n, unique % self._n], axis=1)
        return pairs[self._live[pairs[:, 0]] & self._live[pairs[:, 1]]]  # removed since the sort

    def _verify_pairs(self, pairs: np.ndarray, chunk: int = 1 << 22) -> np.ndarray:
        """Jaccard of the stored sets of each (row, row) pair."""
        if not len(pairs):
            return np.empty(0, dtype=np.float64)
        offsets = self._fp_offsets
        owner = np.repeat(np.arange(self._n, dtype=np.uint64), np.diff(offsets[: self._n + 1]))
        everything = (owner << np.uint64(32)) | self._fps[: self._fp_end].astype(np.uint64)  # sorted
        sizes = np.diff(offsets[: self._n + 1])
        small = np.where(sizes[pairs[:, 0]] <= sizes[pairs[:, 1]], pairs[:, 0], pairs[:, 1])
        other = pairs[:, 0] + pairs[:, 1] - small
        out = np.empty(len(pairs), dtype=np.float64)
        work = np.cumsum(sizes[small])
        cuts = np.searchsorted(work, np.arange(chunk, int(work[-1]), chunk), side="right")
        bounds = np.unique(np.concatenate([[0], cuts, [len(pairs)]]))
        for done, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):  # ~chunk lookups
            s, o = small[done:stop], other[done:stop]
            lengths = sizes[s]
            values = self._fps[_segments(offsets[s], lengths)].astype(np.uint64)
            probes = (np.repeat(o.astype(np.uint64), lengths) << np.uint64(32)) | values
            pos = np.minimum(np.searchsorted(everything, probes), len(everything) - 1)
            hits = everything[pos] == probes
            inter = np.bincount(np.repeat(np.arange(len(s)), lengths), weights=hits, minlength=len(s))
            out[done:stop] = inter / (lengths + sizes[o] - inter)
        return out

    def candidate_pairs(self, *, threshold: float | None = None) -> list[Pair]:
        """All pairs of indexed texts with Jaccard ≥ threshold (verified, or estimated when the
        index does not verify), most similar first. Cost grows with the pairs the bands propose,
        not with the square of the number of texts."""
        t = self.threshold if threshold is None else float(threshold)
        pairs = self._pair_rows()
        if not len(pairs):
            return []
        estimates = np.empty(len(pairs), dtype=np.float64)
        step = 1 << 16
        for lo in range(0, len(pairs), step):
            p = pairs[lo : lo + step]
            estimates[lo : lo + step] = (self._sigs[p[:, 0]] == self._sigs[p[:, 1]]).mean(axis=1)
        if self.verify:
            close = estimates >= t - self.margin
            pairs, estimates = pairs[close], estimates[close]
            scores = self._verify_pairs(pairs)
        else:
            scores = estimates
        good = np.flatnonzero(scores >= t)
        order = good[np.argsort(-scores[good], kind="stable")]
        ids = self._ids
        return [
            Pair(ids[a], ids[b], float(scores[i]) if self.verify else None, float(estimates[i]))  # type: ignore[arg-type]
            for i, (a, b) in zip(order.tolist(), pairs[order].tolist(), strict=True)
        ]

    def groups(self, *, threshold: float | None = None) -> list[list[Id]]:
        """Texts joined by ``candidate_pairs`` (connected components of two or more), largest first
        (then by their first member); each group's ids in the order they were added."""
        pairs = self.candidate_pairs(threshold=threshold)
        parent: dict[Id, Id] = {}

        def find(x: Id) -> Id:
            root = x
            while parent.get(root, root) != root:
                root = parent[root]
            while x != root:
                parent[x], x = root, parent[x]
            return root

        for pair in pairs:
            parent.setdefault(pair.a, pair.a)
            parent.setdefault(pair.b, pair.b)
            ra, rb = find(pair.a), find(pair.b)
            if ra != rb:
                parent[ra] = rb
        members: dict[Id, list[Id]] = {}
        for item_id in sorted(parent, key=self._row_of.__getitem__):
            members.setdefault(find(item_id), []).append(item_id)
        row = self._row_of.__getitem__
        return sorted(members.values(), key=lambda group: (-len(group), row(group[0])))

    @staticmethod
    def explain(text_a: str, text_b: str, *, limit: int = 5, min_length: int = 2) -> Explanation:
        return explain(text_a, text_b, limit=limit, min_length=min_length)

    # -- persistence ---------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The index as bytes (numpy .npz, no pickle inside); ``from_bytes`` restores it."""
        keep = np.flatnonzero(self._alive[: self._n])
        lengths = self._fp_offsets[keep + 1] - self._fp_offsets[keep]
        params = {
            "format": _FORMAT,
            "threshold": self.threshold,
            "num_perm": self.hasher.num_perm,
            "seed": self.hasher.seed,
            "bands": self.bands,
            "rows": self.rows,
            "min_recall": self.min_recall,
            "verify": self.verify,
            "ids": [self._ids[r] for r in keep.tolist()],
        }
        buffer = io.BytesIO()
        np.savez(
            buffer,
            params=np.frombuffer(json.dumps(params, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            sigs=self._sigs[keep],
            fps=self._fps[_segments(self._fp_offsets[keep], lengths)],
            lengths=lengths,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LSHIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            params = json.loads(arrays["params"].tobytes().decode("utf-8"))
            if params.get("format") != _FORMAT:
                raise ValueError("not a Jianfu LSH index")
            index = cls(
                params["threshold"],
                params["num_perm"],
                bands=params["bands"],
                rows=params["rows"],
                min_recall=params["min_recall"],
                verify=params["verify"],
                seed=params["seed"],
            )
            lengths = arrays["lengths"]
            offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
            if params["ids"]:
                index._append(params["ids"], arrays["fps"], offsets, arrays["sigs"])
                if index._sorted_upto < index._n:
                    index._sort()
        return index

    def __reduce__(self):
        return (LSHIndex.from_bytes, (self.to_bytes(),))
