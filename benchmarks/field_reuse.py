"""Field reuse (一表通): which of a new 200-field form's fields a 100,000-field dictionary already holds.

Run: .venv/bin/python benchmarks/field_reuse.py [--n 100000] [--form 200] [--repeat 5]

Data: ``--n`` synthetic dictionary fields, each a name (a scope, a subject and a measure: "农村建档立卡
贫困户人口数") and a definition ("本期内…的…数，按…统计"), composed from vocabularies cut out of
benchmarks/corpus.py and a list of statistical subjects, every name unique. The new form has ``--form``
fields: a quarter copied from the dictionary by name, a quarter near-copies (one to three characters of
the name or definition inserted, deleted or replaced), a quarter the name only of a dictionary field,
and a quarter fresh fields. Everything is seeded.

Printed, in the same run on the same data:
  * build: ``DictionaryIndex.build`` (name and other-name maps, normalise + shingle + MinHash + LSH of
    one name entry and one name-and-definition entry per field), once per process in the product.
  * lookup: ``DictionaryIndex.lookup`` for every field of the form (exact name, other name, then the LSH
    query of the name and of the name with its definition), the whole form; median of ``--repeat``.
    Target: under 1 s.
  * brute force: the exact character-3-gram Jaccard of every form field against every dictionary entry
    (vectorised numpy, given the shingle sets, which are not timed), thresholded at 0.6 like the
    rule ``report_forms.field_reuse``; the ratio of its time to the lookup's.
  * recall: of the (form field, dictionary field) pairs brute force finds at ≥ 0.6, the fraction the
    lookup returns; and how many the lookup returns that brute force does not (there should be none
    besides exact name and other-name matches, which brute force also finds).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianfu.settings")

import django  # noqa: E402

django.setup()

from corpus import CORPUS  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

from jianfu.reportforms.reuse import AskedField, DictionaryIndex  # noqa: E402
from jianfu.textkit.shingles import fingerprint_set  # noqa: E402

THRESHOLD = 0.6
SCOPES = ["", "农村", "城镇", "全市", "本乡镇", "本村", "辖区", "县级", "重点", "新增", "累计", "年末", "季度", "当月"]
SUBJECTS = [
    "户籍人口", "常住人口", "建档立卡贫困户", "低保户", "特困供养人员", "危房", "耕地", "粮食播种", "村集体经济",
    "外出务工人员", "安全生产检查", "安全隐患", "生产安全事故", "应急演练", "地质灾害隐患点", "森林火灾", "河长巡河",
    "黑臭水体", "学校", "在校学生", "专任教师", "控辍保学", "村卫生室", "家庭医生签约", "医保参保", "养老保险参保",
    "新增就业", "市场主体", "食品安全抽检", "政务服务事项", "党员", "基层党组织", "主题党日", "信访", "矛盾纠纷",
    "问题线索", "立案", "党纪政务处分", "谈话函询", "追责问责", "文件", "会议", "督查检查考核", "留痕台账",
]
MEASURES = ["数", "人数", "户数", "次数", "面积", "金额", "占比", "增长率", "完成率", "件数", "个数", "人次"]


def vocabulary(rng: random.Random) -> list[str]:
    text = "".join(ch for ch in CORPUS if "\u4e00" <= ch <= "\u9fff")
    return sorted({text[i:i + rng.choice((2, 3, 4))] for i in range(0, len(text) - 4, 2)})


def dictionary(n: int, rng: random.Random) -> list[tuple[int, str, str, str]]:
    words = vocabulary(rng)
    rows, names = [], set()
    while len(rows) < n:
        subject = rng.choice(SUBJECTS)
        qualifier = "".join(rng.sample(words, rng.choice((0, 1, 1, 2))))
        name = f"{rng.choice(SCOPES)}{qualifier}{subject}{rng.choice(MEASURES)}"
        if name in names or len(name) > 60:
            continue
        names.add(name)
        what = "".join(rng.sample(words, 3))
        definition = f"本期内{what}的{subject}{rng.choice(MEASURES)}，按{rng.choice(words)}统计"
        rows.append((len(rows) + 1, name, definition, ""))
    return rows


def edit(text: str, rng: random.Random, k: int) -> str:
    chars = list(text)
    for _ in range(k):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.34 and len(chars) > 4:
            del chars[i]
        elif op < 0.67:
            chars.insert(i, rng.choice("的数量统计人户"))
        else:
            chars[i] = rng.choice("的数量统计人户")
    return "".join(chars)


def new_form(rows, size: int, rng: random.Random) -> list[AskedField]:
    quarter = size // 4
    picks = rng.sample(rows, 3 * quarter)
    asked = [AskedField(name=r[1], definition=r[2]) for r in picks[:quarter]]
    asked += [AskedField(name=edit(r[1], rng, rng.randint(1, 2)), definition=edit(r[2], rng, rng.randint(1, 3)))
              for r in picks[quarter:2 * quarter]]
    asked += [AskedField(name=r[1]) for r in picks[2 * quarter:3 * quarter]]
    fresh = [AskedField(name=f"新表{i}号{rng.choice(SUBJECTS)}补充{rng.choice(MEASURES)}", definition="本表新增")
             for i in range(size - len(asked))]
    return asked + fresh


def brute_force(rows, asked: list[AskedField]):
    """(form index, dictionary id) pairs with exact Jaccard ≥ THRESHOLD, name to name and text to text."""
    def flat(texts):
        sets = [fingerprint_set(t) for t in texts]
        sizes = np.array([len(s) for s in sets], dtype=np.int64)
        owner = np.repeat(np.arange(len(sets)), sizes)
        return np.concatenate(sets), owner, sizes

    names = flat([r[1] for r in rows])
    texts = flat([f"{r[1]} {r[2]}" for r in rows])
    queries = [(i, fingerprint_set(a.name), names) for i, a in enumerate(asked)]
    queries += [(i, fingerprint_set(f"{a.name} {a.definition}"), texts) for i, a in enumerate(asked) if a.definition]
    start = time.perf_counter()
    found = set()
    for i, q, (fps, owner, sizes) in queries:
        hits = np.isin(fps, q, assume_unique=False)
        inter = np.bincount(owner, weights=hits, minlength=len(sizes))
        jaccard = inter / (len(q) + sizes - inter)
        for row in np.flatnonzero(jaccard >= THRESHOLD).tolist():
            found.add((i, rows[row][0]))
    return found, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--form", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2019)
    t = time.perf_counter()
    rows = dictionary(args.n, rng)
    asked = new_form(rows, args.form, rng)
    print(f"data: {len(rows):,} dictionary fields, a {len(asked)}-field form ({time.perf_counter() - t:.1f} s)")

    index = DictionaryIndex()
    t = time.perf_counter()
    index.build(rows, THRESHOLD)
    print(f"build: {time.perf_counter() - t:.2f} s ({len(index.index):,} index entries)")

    times, found = [], {}
    for _ in range(args.repeat):
        t = time.perf_counter()
        found = {i: index.lookup(a) for i, a in enumerate(asked)}
        times.append(time.perf_counter() - t)
    ours = statistics.median(times)
    print(f"lookup of the whole form: {ours * 1000:.0f} ms median (min {min(times) * 1000:.0f}, "
          f"max {max(times) * 1000:.0f}) over {args.repeat} runs; target < 1 s: {'met' if ours < 1 else 'MISSED'}")

    truth, brute = brute_force(rows, asked)
    print(f"brute force (exact Jaccard against every entry): {brute:.2f} s; ratio {brute / ours:.0f}×")
    pairs = {(i, pk) for i, matches in found.items() for pk, _how, _score in matches}
    recall = len(truth & pairs) / len(truth) if truth else 1.0
    print(f"recall: {recall:.3f} of {len(truth):,} pairs ≥ {THRESHOLD}; found beyond brute force: "
          f"{len(pairs - truth)} (exact name or other-name matches below the threshold)")
    collected = sum(1 for matches in found.values() if matches)
    print(f"form fields with a match in the dictionary: {collected} of {len(asked)}")


if __name__ == "__main__":
    main()
