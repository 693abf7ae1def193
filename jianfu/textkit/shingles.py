"""Character 3-gram shingles of normalised text, as numpy arrays, and exact Jaccard similarity.

A 3-gram's *key* is its three code points packed into 63 bits (``c0 << 42 | c1 << 21 | c2``), so keys
are exact: two texts share a key only when they share the 3-gram. A text shorter than three
characters (after ``normalise``) is one shingle of the whole text, padded with a value that is no
code point; an empty text has no shingles.

A *fingerprint* is a key mixed down to 32 bits (MurmurHash3's 64-bit finaliser, top half). The
MinHash index works on fingerprints, which halves its memory; two different 3-grams share a
fingerprint with probability 2⁻³², so a Jaccard computed on fingerprints equals the exact one unless
two texts of ``m`` and ``n`` shingles meet such a collision (expected ``m·n/2³²`` times, 1.5·10⁻⁵ for
two 250-character texts), and each collision adds at most ``1/|A∪B|``.

Pure Python + numpy: no Django here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from .normalise import normalise, to_codepoints

__all__ = [
    "SHINGLE_SIZE",
    "fingerprint_set",
    "fingerprint_sets",
    "fingerprints",
    "iter_fingerprint_sets",
    "jaccard",
    "shingles",
]

SHINGLE_SIZE = 3
_PAD = np.uint64(0x1FFFFF)  # above U+10FFFF: pads texts shorter than a shingle
_EMPTY_FINGERPRINT = np.uint32(0xFFFFFFFF)  # never a fingerprint: marks padding in batch sorts
_U64 = np.uint64


def _keys(codepoints: np.ndarray) -> np.ndarray:
    """Keys of the 3-grams of one normalised text (not unique, in text order)."""
    n = len(codepoints)
    if n == 0:
        return np.empty(0, dtype=np.uint64)
    cp = codepoints.astype(np.uint64)
    if n < SHINGLE_SIZE:
        cp = np.concatenate([cp, np.full(SHINGLE_SIZE - n, _PAD, dtype=np.uint64)])
    return (cp[:-2] << _U64(42)) | (cp[1:-1] << _U64(21)) | cp[2:]


def shingles(text: str) -> np.ndarray:
    """Sorted unique uint64 keys of the character 3-grams of ``normalise(text)``."""
    codepoints = np.frombuffer(normalise(text).encode("utf-32-le"), dtype=np.uint32)
    return np.unique(_keys(codepoints))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity |a∩b| / |a∪b| of two shingle arrays (0.0 when both are empty)."""
    a = np.unique(a)
    b = np.unique(b)
    if len(a) == 0 and len(b) == 0:
        return 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def fingerprints(keys: np.ndarray) -> np.ndarray:
    """uint32 fingerprints of uint64 shingle keys (elementwise; never 0xFFFFFFFF)."""
    x = np.array(keys, dtype=np.uint64)  # a copy, mixed in place
    shifted = np.empty_like(x)
    for multiplier in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
        np.right_shift(x, _U64(33), out=shifted)
        x ^= shifted
        x *= _U64(multiplier)
    np.right_shift(x, _U64(33), out=shifted)
    x ^= shifted
    fp = (x >> _U64(32)).astype(np.uint32)
    np.minimum(fp, np.uint32(0xFFFFFFFE), out=fp)
    return fp


def fingerprint_set(text: str) -> np.ndarray:
    """Sorted unique uint32 fingerprints of the 3-grams of ``normalise(text)``."""
    return np.unique(fingerprints(shingles(text)))


def _segments(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Indices ``starts[i] + 0 … starts[i] + lengths[i] - 1`` for every i, concatenated."""
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    out_starts = np.cumsum(lengths) - lengths
    return np.repeat(starts - out_starts, lengths) + np.arange(total, dtype=np.int64)


_GROUP_CHARS = 1 << 17  # characters per batch group: the group's arrays stay in the CPU's caches
_LONG = 1 << 13  # texts with more shingles than this are deduplicated on their own


def _group_sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Fingerprint sets of a group of texts (see ``fingerprint_sets``)."""
    n = len(texts)
    codepoints, cp_offsets = to_codepoints(texts)
    lengths = np.diff(cp_offsets)
    counts = np.where(lengths >= SHINGLE_SIZE, lengths - (SHINGLE_SIZE - 1), (lengths > 0).astype(np.int64))
    cp = codepoints.astype(np.uint64)
    windows = fingerprints((cp[:-2] << _U64(42)) | (cp[1:-1] << _U64(21)) | cp[2:]) if len(cp) > 2 else cp[:0]
    # window j starts at character j; a text shorter than a shingle is one padded shingle instead
    short = np.flatnonzero((lengths > 0) & (lengths < SHINGLE_SIZE))
    short_fps = np.empty(0, dtype=np.uint32)
    if len(short):
        first = cp[cp_offsets[short]]
        second = np.where(lengths[short] == 2, cp[np.minimum(cp_offsets[short] + 1, len(cp) - 1)], _PAD)
        short_fps = fingerprints((first << _U64(42)) | (second << _U64(21)) | _PAD)

    unique_counts = np.zeros(n, dtype=np.int64)
    long_rows = np.flatnonzero(counts > _LONG)
    rows = np.flatnonzero((counts > 0) & (counts <= _LONG))
    long_values = []
    for r in long_rows.tolist():
        values = np.unique(windows[cp_offsets[r] : cp_offsets[r] + counts[r]])
        unique_counts[r] = len(values)
        long_values.append(values)
    block_values = np.empty(0, dtype=np.uint32)
    if len(rows):
        # one padded row per text, sorted along the rows; padding sorts last and is no fingerprint
        width = int(-(-counts[rows].max() // 16) * 16)
        block = np.full((len(rows), width), _EMPTY_FINGERPRINT, dtype=np.uint32)
        window_rows = rows if not len(short) else rows[lengths[rows] >= SHINGLE_SIZE]
        place = np.searchsorted(rows, window_rows)
        row_counts = counts[window_rows]
        block.ravel()[_segments(place * width, row_counts)] = windows[
            _segments(cp_offsets[window_rows], row_counts)
        ]
        if len(short):
            block[np.searchsorted(rows, short), 0] = short_fps
        block.sort(axis=1)
        keep = block != _EMPTY_FINGERPRINT
        keep[:, 1:] &= block[:, 1:] != block[:, :-1]
        unique_counts[rows] = keep.sum(axis=1)
        block_values = block[keep]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(unique_counts, out=offsets[1:])
    if not len(long_rows):
        return block_values, offsets
    fps = np.empty(int(offsets[-1]), dtype=np.uint32)
    fps[_segments(offsets[rows], unique_counts[rows])] = block_values
    for r, values in zip(long_rows.tolist(), long_values, strict=True):
        fps[offsets[r] : offsets[r + 1]] = values
    return fps, offsets


def iter_fingerprint_sets(texts: Sequence[str]) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
    """``fingerprint_sets`` in groups of consecutive texts of about 64K characters each:
    yields ``(first, stop, fps, offsets)`` for ``texts[first:stop]``."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    cuts = np.searchsorted(ends, np.arange(_GROUP_CHARS, int(ends[-1]) if len(ends) else 0, _GROUP_CHARS))
    bounds = np.unique(np.concatenate([[0], cuts + 1, [len(texts)]]).clip(0, len(texts)))
    for first, stop in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        fps, offsets = _group_sets(texts[first:stop])
        yield first, stop, fps, offsets


def fingerprint_sets(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """``fingerprint_set`` of every text at once.

    Returns ``(fps, offsets)``: the sorted unique uint32 fingerprints of text ``i`` are
    ``fps[offsets[i]:offsets[i+1]]``. Vectorised, in groups of texts that stay in the CPU's caches:
    normalisation is one table lookup over a group's code points, the 3-gram fingerprints one pass
    over them, and the per-text sort a row-wise sort of the group as a padded 2-D block.
    """
    texts = texts if isinstance(texts, list) else list(texts)
    parts = [(fps, offsets) for _, _, fps, offsets in iter_fingerprint_sets(texts)]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if not parts:
        return np.empty(0, dtype=np.uint32), offsets
    counts = np.concatenate([np.diff(o) for _, o in parts])
    np.cumsum(counts, out=offsets[1:])
    return np.concatenate([f for f, _ in parts]), offsets
