"""Field reuse (一表通): which of a new 200-field form's fields a 100,000-field dictionary already holds, looked
up in the dictionary's index in PostgreSQL.

Run: .venv/bin/python benchmarks/field_reuse.py [--n 100000] [--form 200] [--repeat 5] [--keep] [--reuse] [--explain]
     (PostgreSQL at 127.0.0.1:5432, user postgres; override with --server postgres://user@host:port)

Data: ``--n`` synthetic dictionary fields, each a name (a scope, a subject and a measure: "农村建档立卡
贫困户人口数") and a definition ("本期内…的…数，按…统计"), composed from vocabularies cut out of
benchmarks/corpus.py and a list of statistical subjects, every name unique. The new form has ``--form``
fields: a quarter copied from the dictionary by name, a quarter near-copies (one to three characters of
the name or definition inserted, deleted or replaced), a quarter the name only of a dictionary field,
and a quarter fresh fields. Everything is seeded.

The script creates the database ``--db`` (default jianfu_bench_field_reuse; dropped at the end unless
``--keep``), migrates it and loads the dictionary with COPY: the FieldDefinition rows, their FieldKey rows
(normalised names) and FieldBand rows (the band keys of each name and of each name with its definition,
hashed with the functions ``reuse.field_index_sync`` uses), the band table's keys recreated after the load,
then VACUUM ANALYZE.

Printed, in the same run on the same data:
  * before: the in-memory MinHash-LSH index over the dictionary that each process built after any change
    of the dictionary (its build time), and its look-up of the whole form.
  * lookup: ``reuse.fields_matching`` for every field of the form (the exact names in one query, the band
    keys of every name and name-with-definition in a few, the candidates' texts, then the scores), through
    Django on PostgreSQL; median of ``--repeat``. Target: under 1 s. Beside it ``field_reuse`` (the same
    plus the forms that collect the fields; none are registered here).
  * baselines: a bare indexed SELECT of one band key's rows, and the bare SELECT of every row of all the
    form's band keys (the candidate rows, uncapped); the lookup's ratio to each. And brute force: the exact
    character-3-gram Jaccard of every form field against every dictionary entry (vectorised numpy, given
    the shingle sets, which are not timed), thresholded at 0.6 like the rule ``report_forms.field_reuse``.
  * recall: of the (form field, dictionary field) pairs brute force finds at ≥ 0.6, the fraction the
    lookup returns; and how many the lookup returns that brute force does not (there should be none
    besides exact name and other-name matches, which brute force also finds); and whether the lookup
    returns exactly what the in-memory index returned.
  * ``field_index_sync`` of one field at this size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CORPUS  # noqa: E402  (benchmarks/ is on sys.path when a script runs)
from pgharness import add_database_args, bench_database, explain, log  # noqa: E402
from pgload import binary_rows, copy_binary, copy_text, without_indexes  # noqa: E402

from jianfu.textkit.minhash import LSHIndex  # noqa: E402
from jianfu.textkit.shingles import fingerprint_set  # noqa: E402

if TYPE_CHECKING:
    from jianfu.reportforms.reuse import AskedField

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
    from jianfu.reportforms.reuse import AskedField

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


def in_memory(rows, asked: list[AskedField]):
    """What each process did before: one LSHIndex over the dictionary's names and names with definitions."""
    index = LSHIndex(threshold=THRESHOLD)
    ids, texts = [], []
    for pk, name, definition, _aliases in rows:
        ids.append(f"n{pk}")
        texts.append(name)
        if definition:
            ids.append(f"t{pk}")
            texts.append(f"{name} {definition}")
    t = time.perf_counter()
    index.add_many(ids, texts)
    built = time.perf_counter() - t

    def lookup():
        found = {}
        for i, a in enumerate(asked):
            matches = [m for m in index.query(a.name) if m.id.startswith("n")]
            if a.definition:
                matches += [m for m in index.query(f"{a.name} {a.definition}") if m.id.startswith("t")]
            for m in matches:
                pk = int(m.id[1:])
                found[(i, pk)] = max(found.get((i, pk), 0.0), m.score)
        return found

    return built, lookup


def load(rows, args, started: float) -> None:
    """The dictionary with its names and band keys, loaded with COPY."""
    import psycopg
    from django.utils import timezone

    from jianfu.reportforms.reuse import NAME, TEXT, _band_keys, _key, _lsh, _sets

    now = timezone.now().isoformat()
    with psycopg.connect(f"{args.server}/{args.db}") as conn:
        conn.execute("SET synchronous_commit TO off")
        copy_text(conn, "reportforms_fielddefinition",
                  ["id", "name", "definition", "unit_of_measure", "aliases", "notes", "active", "proposed",
                   "created_at", "updated_at"],
                  (f"{pk}\t{name}\t{definition}\t\t\t\ttrue\tfalse\t{now}\t{now}\n"
                   for pk, name, definition, _a in rows))
        conn.execute(f"SELECT setval(pg_get_serial_sequence('reportforms_fielddefinition', 'id'), {len(rows)})")
        copy_text(conn, "reportforms_fieldkey", ["field_id", "key", "alias"],
                  (f"{pk}\t{_key(name)}\tfalse\n" for pk, name, _d, _a in rows))
        conn.commit()
        log(f"fields and their names: {len(rows):,} rows each", started)
        bands = 0
        with without_indexes(conn, "reportforms_fieldband"):
            for entry, texts in ((NAME, [(pk, name) for pk, name, _d, _a in rows]),
                                 (TEXT, [(pk, f"{name} {d}") for pk, name, d, _a in rows if d])):
                _fps, offsets, sigs = _sets([t for _pk, t in texts])
                live = np.flatnonzero(np.diff(offsets) > 0)
                keys = _band_keys(sigs[live], entry)
                ids = np.repeat(np.array([texts[i][0] for i in live.tolist()], dtype=np.int64), keys.shape[1])
                copy_binary(conn, "reportforms_fieldband", ["key", "field_id"],
                            binary_rows([("key", keys.ravel()), ("field", ids)]))
                bands += keys.size
            conn.commit()
            log(f"band keys: {bands:,} rows ({_lsh().bands} bands of {_lsh().rows}); recreating the keys", started)
        conn.autocommit = True
        for table in ("reportforms_fielddefinition", "reportforms_fieldkey", "reportforms_fieldband"):
            conn.execute(f"VACUUM ANALYZE {table}")
        sizes = conn.execute("SELECT pg_size_pretty(pg_relation_size('reportforms_fieldband')), "
                             "pg_size_pretty(pg_indexes_size('reportforms_fieldband'))").fetchone()
    log(f"VACUUM ANALYZE done; band keys {sizes[0]} heap + {sizes[1]} indexes", started)


def run(args, started: float) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jianfu.reportforms.models import FieldDefinition
    from jianfu.reportforms.reuse import (
        NAME,
        TEXT,
        _band_keys,
        _sets,
        field_index_sync,
        field_reuse,
        fields_matching,
    )

    rng = random.Random(2019)
    t = time.perf_counter()
    rows = dictionary(args.n, rng)
    asked = new_form(rows, args.form, rng)
    log(f"data: {len(rows):,} dictionary fields, a {len(asked)}-field form ({time.perf_counter() - t:.1f} s)",
        started)
    built, before = in_memory(rows, asked)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        found_before = before()
        times.append(time.perf_counter() - t)
    print(f"before: in-memory index built in {built:.2f} s by each process after any change of the dictionary; "
          f"its look-up of the form {statistics.median(times) * 1000:.0f} ms median")
    if not args.reuse:
        load(rows, args, started)

    fields_matching(asked, THRESHOLD)  # warm-up
    times, found = [], {}
    for _ in range(args.repeat):
        t = time.perf_counter()
        found = fields_matching(asked, THRESHOLD)
        times.append(time.perf_counter() - t)
    ours = statistics.median(times)
    t = time.perf_counter()
    field_reuse(asked=asked, threshold=THRESHOLD)
    whole = time.perf_counter() - t
    print(f"lookup of the whole form in PostgreSQL: {ours * 1000:.0f} ms median (min {min(times) * 1000:.0f}, "
          f"max {max(times) * 1000:.0f}) over {args.repeat} runs, load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores; target < 1 s: {'met' if ours < 1 else 'MISSED'}; field_reuse {whole * 1000:.0f} ms")

    keys = []
    for entry, texts in ((NAME, [a.name for a in asked]), (TEXT, [f"{a.name} {a.definition}" for a in asked
                                                                    if a.definition])):
        keys += _band_keys(_sets(texts)[2], entry).ravel().tolist()

    def bare_one():
        with connection.cursor() as cur:
            cur.execute("SELECT field_id FROM reportforms_fieldband WHERE key = %s", [keys[0]])
            return cur.fetchall()

    def bare_all():
        with connection.cursor() as cur:
            cur.execute("SELECT key, field_id FROM reportforms_fieldband WHERE key = ANY(%s)", [keys])
            return cur.fetchall()

    one = statistics.median(_timed(bare_one) for _ in range(20))
    every = statistics.median(_timed(bare_all) for _ in range(args.repeat))
    print(f"baselines: one key's rows {one * 1000:.2f} ms; every row of the form's {len(keys):,} band keys "
          f"({len(bare_all()):,} rows) {every * 1000:.1f} ms → lookup {ours / one:.0f}× one key, "
          f"{ours / every:.1f}× all keys")

    truth, brute = brute_force(rows, asked)
    print(f"brute force (exact Jaccard against every entry): {brute:.2f} s; ratio {brute / ours:.0f}×")
    pairs = {(i, pk) for i, matches in found.items() for pk, _how, _score in matches}
    recall = len(truth & pairs) / len(truth) if truth else 1.0
    print(f"recall: {recall:.3f} of {len(truth):,} pairs ≥ {THRESHOLD}; found beyond brute force: "
          f"{len(pairs - truth)} (exact name or other-name matches below the threshold)")
    similar = {(i, pk): round(score, 9) for i, matches in found.items() for pk, how, score in matches
               if how == "similar"}
    same = {k: round(v, 9) for k, v in found_before.items() if k not in pairs or k in similar}
    print(f"against the in-memory index: {'the same' if similar == same else 'DIFFERENT'} similar matches "
          f"({len(similar)} here, {len(same)} there)")
    collected = sum(1 for matches in found.values() if matches)
    print(f"form fields with a match in the dictionary: {collected} of {len(asked)}")

    field = FieldDefinition.objects.get(pk=len(rows) // 2)
    field.definition += "（含跨年度）"
    FieldDefinition.objects.filter(pk=field.pk).update(definition=field.definition)
    print(f"field_index_sync of one field: {_timed(lambda: field_index_sync(field)) * 1000:.1f} ms")
    if args.explain:
        with CaptureQueriesContext(connection) as ctx:
            fields_matching(asked, THRESHOLD)
        explain(list(ctx.captured_queries))
    log("done", started)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--form", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    add_database_args(parser, db="jianfu_bench_field_reuse")
    args = parser.parse_args()
    started = time.perf_counter()
    with bench_database(args, prefix="jianfu-bench-field-reuse-", started=started):
        run(args, started)


if __name__ == "__main__":
    main()
