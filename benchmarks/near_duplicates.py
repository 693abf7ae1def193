"""Near-duplicate index: build time against datasketch's MinHash-LSH, query time, recall, grouping.

Run: .venv/bin/python benchmarks/near_duplicates.py [--n 100000] [--queries 500] [--group-n 10000]

Data: ``--n`` synthetic Chinese government texts of 80–400 characters, composed from a vocabulary
cut out of the paragraphs below, with planted near-duplicates (copies of 5% of the texts with 5%,
10%, 20% or 40% of their characters inserted, deleted or replaced, and traditional-character
copies made with OpenCC's s2t), shuffled. Everything is seeded, so every run sees the same texts.

Printed, all in the same run on the same texts:
  * build: datasketch (``MinHash.generator`` over each text's 3-grams as UTF-8 bytes, which shares
    the permutations, then ``MinHashLSH(threshold=0.5, num_perm=128)`` in an insertion session),
    timed from already normalised text, so its normalisation is *not* counted; ours
    (``LSHIndex.add_many``): normalise + shingle + signatures + band index, all counted. The ratio.
  * query: ``LSHIndex.query(text)`` per query, the whole call; median and p95 in ms.
  * recall: for ``--queries`` planted originals (which are in the index; each text itself is left
    out) and as many fresh drafts (10%-edited copies not in the index), the exact character-3-gram
    Jaccard against all ``--n`` texts (an inverted index over exact 3-gram keys) gives the true
    pairs ≥ 0.5; recall is the fraction of them the query returns. datasketch's recall (its raw LSH
    candidates, nothing verified) is printed beside it.
  * grouping: ``--group-n`` shorter texts (inspection items: 30–160 characters, 15% planted
    copies): ``add_many`` + ``candidate_pairs()`` (verified) against brute force (the exact Jaccard
    of every pair, vectorised numpy, one row at a time, given the shingle sets), with recall of the
    pairs ≥ 0.5 brute force finds.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CORPUS  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

from jianfu.textkit.minhash import LSHIndex  # noqa: E402
from jianfu.textkit.normalise import char_table, normalise_many  # noqa: E402
from jianfu.textkit.shingles import _keys  # noqa: E402

THRESHOLD = 0.5
NUM_PERM = 128



EDIT_RATES = (0.05, 0.10, 0.20, 0.40)


# ------------------------------------------------------------------------------------- the data
def vocabulary(rng: random.Random) -> tuple[list[str], list[float], str]:
    """Words cut from CORPUS (2 or 4 characters), with their corpus counts as weights."""
    counts: dict[str, int] = {}
    clauses = [
        c
        for c in "".join(CORPUS.split())
        .replace("。", "，")
        .replace("；", "，")
        .replace("、", "，")
        .split("，")
        if c
    ]
    for _ in range(3):  # three cuttings, so each clause yields different words
        for clause in clauses:
            i = 0
            while i < len(clause):
                size = rng.choice((2, 2, 2, 4))
                word = clause[i : i + size]
                counts[word] = counts.get(word, 0) + 1
                i += size
    words = sorted(counts)
    weights = [float(counts[w]) for w in words]
    # punctuation as words: a comma every ~6 words, a full stop every ~18
    total = sum(weights)
    words += ["，", "。"]
    weights += [total / 6, total / 18]
    characters = "".join(sorted({ch for w in words for ch in w if w not in "，。"}))
    return words, weights, characters


def compose(rng: random.Random, words: list[str], cum_weights: list[float], low: int, high: int) -> str:
    target = rng.randint(low, high)
    parts: list[str] = []
    length = 0
    while length < target:
        batch = rng.choices(words, cum_weights=cum_weights, k=32)
        for w in batch:
            parts.append(w)
            length += len(w)
            if length >= target:
                break
    return "".join(parts) + "。"


def edit(rng: random.Random, text: str, rate: float, characters: str) -> str:
    """Insert, delete or replace round(rate × len) characters at random places."""
    chars = list(text)
    for _ in range(round(rate * len(text))):
        op = rng.randrange(3)
        pos = rng.randrange(len(chars) + (op == 0)) if chars else 0
        if op == 0 or not chars:
            chars.insert(pos, rng.choice(characters))
        elif op == 1:
            del chars[pos]
        else:
            chars[pos] = rng.choice(characters)
    return "".join(chars)


def generate(n: int, low: int, high: int, planted_share: float, seed: int) -> tuple[list[str], list[int]]:
    """n texts with planted near-copies; returns (texts, indices of the planted originals)."""
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    rng = random.Random(seed)
    words, weights, characters = vocabulary(rng)
    cum = list(np.cumsum(weights))
    planted = int(n * planted_share)
    originals = [compose(rng, words, cum, low, high) for _ in range(n - planted)]
    copies = []
    for k in range(planted):
        source = originals[k % max(1, (n - planted))]
        if k % 5 == 4:  # every fifth copy traditional, with a light edit
            copies.append(s2t.convert(edit(rng, source, 0.05, characters)))
        else:
            copies.append(edit(rng, source, EDIT_RATES[k % len(EDIT_RATES)], characters))
    texts = originals + copies
    order = list(range(len(texts)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    shuffled = [texts[i] for i in order]
    planted_originals = sorted({position[k % max(1, (n - planted))] for k in range(planted)})
    return shuffled, planted_originals


def exact_key_sets(texts: list[str]) -> list[np.ndarray]:
    """Sorted unique exact 3-gram keys (uint64) of each normalised text."""
    return [
        np.unique(_keys(np.frombuffer(t.encode("utf-32-le"), dtype=np.uint32))) for t in normalise_many(texts)
    ]


class ExactJaccard:
    """Exact Jaccard of a key set against every text, through an inverted index of exact keys."""

    def __init__(self, key_sets: list[np.ndarray]):
        self.sizes = np.array([len(k) for k in key_sets], dtype=np.int64)
        owners = np.repeat(np.arange(len(key_sets), dtype=np.int64), self.sizes)
        keys = np.concatenate(key_sets)
        order = np.argsort(keys, kind="stable")
        self.keys, self.owners = keys[order], owners[order]

    def against_all(self, query_keys: np.ndarray) -> np.ndarray:
        lo = np.searchsorted(self.keys, query_keys, side="left")
        hi = np.searchsorted(self.keys, query_keys, side="right")
        lengths = hi - lo
        idx = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
        inter = np.bincount(self.owners[idx], minlength=len(self.sizes))
        return inter / (len(query_keys) + self.sizes - inter)


# ----------------------------------------------------------------------------------- measuring
def build_datasketch(normalised: list[str]):
    start, cpu = time.perf_counter(), time.process_time()
    shingle_lists = ([t[i : i + 3].encode("utf-8") for i in range(max(1, len(t) - 2))] for t in normalised)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    minhashes = []
    with lsh.insertion_session() as session:
        for i, m in enumerate(MinHash.generator(shingle_lists, num_perm=NUM_PERM)):
            session.insert(i, m)
            minhashes.append(m)
    return time.perf_counter() - start, time.process_time() - cpu, lsh, minhashes


def recall(found: list[set[int]], truth: list[set[int]]) -> tuple[float, int]:
    true_pairs = sum(len(t) for t in truth)
    hit = sum(len(f & t) for f, t in zip(found, truth, strict=True))
    return (hit / true_pairs if true_pairs else 1.0), true_pairs


def brute_force_pairs(key_sets: list[np.ndarray], threshold: float) -> set[tuple[int, int]]:
    """Exact Jaccard of every pair, one row against all later rows at a time (vectorised)."""
    n = len(key_sets)
    sizes = np.array([len(k) for k in key_sets], dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    _, dense = np.unique(np.concatenate(key_sets), return_inverse=True)
    mark = np.zeros(int(dense.max()) + 1 if len(dense) else 1, dtype=bool)
    pairs = set()
    for i in range(n - 1):
        mine = dense[offsets[i] : offsets[i + 1]]
        mark[mine] = True
        rest = mark[dense[offsets[i + 1] :]]
        cum = np.concatenate([[0], np.cumsum(rest, dtype=np.int64)])
        inter = cum[offsets[i + 2 :] - offsets[i + 1]] - cum[offsets[i + 1 : -1] - offsets[i + 1]]
        jac = inter / (sizes[i] + sizes[i + 1 :] - inter)
        for j in np.flatnonzero(jac >= threshold).tolist():
            pairs.add((i, i + 1 + j))
        mark[mine] = False
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="texts in the index (default 100,000)")
    parser.add_argument("--queries", type=int, default=500, help="planted originals queried for recall")
    parser.add_argument("--group-n", type=int, default=10_000, help="items grouped (default 10,000)")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"datasketch {version('datasketch')}"
    )

    t = time.perf_counter()
    texts, planted = generate(args.n, 80, 400, planted_share=0.05, seed=args.seed)
    print(
        f"texts: {len(texts):,} (80–400 characters, {len(planted):,} with planted near-copies), "
        f"generated in {time.perf_counter() - t:.1f} s"
    )
    print(f"mean length {statistics.mean(map(len, texts)):.0f} characters")

    # ---- build
    t = time.perf_counter()
    char_table()
    print(f"normalisation table, built once per process (in neither build): {time.perf_counter() - t:.2f} s")
    normalised = normalise_many(texts)
    ds_time, ds_cpu, ds_lsh, ds_minhashes = build_datasketch(normalised)
    print(f"datasketch build (MinHash + MinHashLSH b={ds_lsh.b} r={ds_lsh.r}): {ds_time:6.2f} s, ", end="")
    print(f"CPU {ds_cpu:6.2f} s")
    gc.collect()
    t, cpu = time.perf_counter(), time.process_time()
    index = LSHIndex(threshold=THRESHOLD, num_perm=NUM_PERM)
    index.add_many(range(len(texts)), texts)
    ours_time, ours_cpu = time.perf_counter() - t, time.process_time() - cpu
    print(
        f"ours build (normalise + shingle + MinHash + LSH b={index.bands} r={index.rows}): "
        f"{ours_time:6.2f} s, CPU {ours_cpu:6.2f} s"
    )
    print(f"build speed-up: {ds_time / ours_time:.1f}× datasketch (CPU time: {ds_cpu / ours_cpu:.1f}×)")
    print(f"index serialised: {len(index.to_bytes()) / 2**20:.0f} MB")

    # ---- queries and recall against exact Jaccard over all texts
    rng = random.Random(args.seed + 1)
    sample = rng.sample(planted, min(args.queries, len(planted)))
    _, _, characters = vocabulary(random.Random(args.seed))
    drafts = [edit(rng, texts[i], 0.10, characters) for i in rng.sample(planted, len(sample))]
    t = time.perf_counter()
    exact = ExactJaccard(exact_key_sets(texts))
    truth_time = time.perf_counter() - t
    for label, queries, own in (
        ("planted originals", [texts[i] for i in sample], sample),
        ("fresh drafts", drafts, [None] * len(drafts)),
    ):
        truth = [
            set(np.flatnonzero(exact.against_all(keys) >= THRESHOLD).tolist()) - {me}
            for keys, me in zip(exact_key_sets(queries), own, strict=True)
        ]
        found, times = [], []
        gc.collect()
        for text, me in zip(queries, own, strict=True):
            start = time.perf_counter()
            matches = index.query(text)
            times.append((time.perf_counter() - start) * 1000)
            found.append({m.id for m in matches} - {me})
        ds_found = []
        for text, me in zip(normalise_many(queries), own, strict=True):
            m = MinHash(num_perm=NUM_PERM)
            m.update_batch([text[i : i + 3].encode("utf-8") for i in range(max(1, len(text) - 2))])
            ds_found.append(set(ds_lsh.query(m)) - {me})
        ours_recall, true_pairs = recall(found, truth)
        ds_recall, _ = recall(ds_found, truth)
        returned = sum(len(f) for f in found)
        precise = sum(len(f & t) for f, t in zip(found, truth, strict=True))
        times.sort()
        print(f"queries ({label}): {len(queries)}, true pairs (exact Jaccard ≥ {THRESHOLD}): {true_pairs}")
        print(
            f"  ours: {statistics.median(times):.2f} ms/query median, "
            f"{times[int(0.95 * (len(times) - 1))]:.2f} ms p95, max {times[-1]:.2f} ms; "
            f"recall {ours_recall:.3f}, precision {precise / returned if returned else 1.0:.3f}"
        )
        print(f"  datasketch LSH candidates (unverified): recall {ds_recall:.3f}")
    print(f"(exact ground truth: inverted index over all {len(texts):,} texts built in {truth_time:.1f} s)")

    # ---- grouping
    items, _ = generate(args.group_n, 30, 160, planted_share=0.15, seed=args.seed + 2)
    t = time.perf_counter()
    group_index = LSHIndex(threshold=THRESHOLD, num_perm=NUM_PERM)
    group_index.add_many(range(len(items)), items)
    pairs = group_index.candidate_pairs()
    ours_group = time.perf_counter() - t
    t = time.perf_counter()
    groups = group_index.groups()
    groups_time = time.perf_counter() - t
    key_sets = exact_key_sets(items)
    t = time.perf_counter()
    true_pairs = brute_force_pairs(key_sets, THRESHOLD)
    brute = time.perf_counter() - t
    ours_pairs = {(min(p.a, p.b), max(p.a, p.b)) for p in pairs}
    print(
        f"grouping {len(items):,} items (30–160 characters): "
        f"ours (build + candidate_pairs, verified) {ours_group:.2f} s, "
        f"brute force (every pair's exact Jaccard) {brute:.2f} s, {brute / ours_group:.0f}× faster"
    )
    print(
        f"  pairs ≥ {THRESHOLD}: brute force {len(true_pairs)}, ours {len(ours_pairs)}, "
        f"recall {len(ours_pairs & true_pairs) / max(1, len(true_pairs)):.3f}, "
        f"precision {len(ours_pairs & true_pairs) / max(1, len(ours_pairs)):.3f}; "
        f"groups(): {len(groups)} groups in {groups_time:.2f} s more"
    )


if __name__ == "__main__":
    main()
