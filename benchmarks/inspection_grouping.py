"""Grouping proposed inspection items: ``overlap_groups`` against brute force on the same items.

Run: .venv/bin/python benchmarks/inspection_grouping.py [--n 10000] [--seed 2019] [--threshold 0.5]

Target (the issue): grouping 10,000 proposed inspection items (the scale of a province's plans)
in under 5 s, with recall ≥ 0.9 of the pairs that exact Jaccard ≥ 0.5 finds, printed beside brute
force's time on the same data.

Data: ``--n`` seeded synthetic inspection items (督查检查考核事项) of a province's annual plans, each
a title and a description of 30–200 characters in the language of such plans ("2019年度安全生产大
检查：对各乡镇危化品企业、道路交通和消防安全开展现场检查，基层准备台账和自查报告"), with clauses of
``benchmarks/corpus.py`` as further requirements. Each item targets units of a province-like tree
(14 cities × 8–12 counties): a few counties of one city, counties of two cities, "everything under a
city" (the city and all its counties, as the gate expands it) or nothing said (10%), and happens in
one or two planted months (or at any time, 10%). 15% of the items are planted overlapping
proposals of another item: near-copies with 5% or 10% of the characters edited, copies with two
phrases reworded (scope, method or requirement), the same description under a renamed title, or a
traditional-character copy with 5% edited (``jianfu.textkit.convert``, OpenCC). Most
share a unit and a quarter with their original; one in five targets another city, one in six
another quarter, so that they must *not* be linked.

Printed, all in the same run on the same items:
  * ours: ``overlap_groups(items, threshold=…)``, the whole call with the explanations of every
    link (shared terms), and again with ``explain_terms=False``;
  * brute force: the fingerprint sets of all texts (``shingles.fingerprint_sets``), then the
    Jaccard of every pair, one row against all later rows at a time (vectorised numpy), then the
    same unit and quarter conditions on the pairs ≥ threshold; the time and the ratio;
  * pairs: recall = brute force's pairs that ``overlap_groups`` links / brute force's pairs,
    precision = linked pairs brute force also finds / links; groups on both sides; how many of the
    planted pairs were linked, and how many planted pairs that must not be linked were.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus import CORPUS  # noqa: E402  (benchmarks/ is on sys.path when a script runs)

from jianfu.textkit.convert import to_traditional  # noqa: E402
from jianfu.textkit.grouping import GroupItem, _overlaps, overlap_groups, quarters  # noqa: E402
from jianfu.textkit.normalise import char_table  # noqa: E402
from jianfu.textkit.shingles import fingerprint_sets  # noqa: E402

# ------------------------------------------------------------------------------------- vocabulary
CITIES = (
    "长沙",
    "株洲",
    "湘潭",
    "衡阳",
    "邵阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "湘西",
)
TOPICS: dict[str, tuple[str, ...]] = {
    "安全生产": (
        "危化品企业",
        "道路交通",
        "消防安全",
        "建筑施工工地",
        "非煤矿山",
        "烟花爆竹经营点",
        "人员密集场所",
        "特种设备",
        "燃气管网",
    ),
    "食品安全": ("学校食堂", "农贸市场", "餐饮服务单位", "食品生产小作坊", "网络订餐平台", "冷链食品", "农村集体聚餐"),
    "生态环境保护": ("工业园区", "畜禽养殖场", "饮用水水源地", "污水处理设施", "秸秆焚烧", "建筑扬尘", "固体废物堆场"),
    "乡村振兴": (
        "脱贫户",
        "易地搬迁安置点",
        "产业帮扶项目",
        "农村人居环境整治",
        "高标准农田",
        "村集体经济",
        "驻村工作队",
    ),
    "防汛抗旱": ("水库山塘", "堤防险工险段", "地质灾害隐患点", "山洪灾害预警设施", "防汛物资储备", "城市内涝点"),
    "森林防火": ("重点林区", "进山路口卡点", "野外用火", "护林员队伍", "扑火物资储备", "林区墓地"),
    "疫情防控": ("医疗机构", "学校托幼机构", "养老机构", "交通场站", "冷链物流", "隔离场所"),
    "河长制工作": ("河道", "入河排污口", "河道采砂", "河长公示牌", "黑臭水体", "岸线乱占乱建"),
    "耕地保护": ("耕地非农化", "永久基本农田", "违法占地", "设施农业用地", "撂荒耕地", "土地整治项目"),
    "党风廉政建设": ("领导班子", "中央八项规定精神落实", "公务用车", "公务接待", "惠民惠农资金", "工程招投标"),
    "意识形态工作": ("宣传阵地", "网络舆情", "新闻发布", "理论学习中心组", "报告会研讨会"),
    "信访维稳": ("信访积案", "矛盾纠纷排查", "重点人员稳控", "网格化管理", "群体性事件预案"),
    "优化营商环境": ("政务服务大厅", "涉企收费", "工程建设项目审批", "惠企政策落实", "拖欠民营企业账款"),
    "民生实事": ("城乡低保", "特困供养", "养老服务设施", "义务教育学校", "城乡居民医保", "农村公路"),
    "校园安全": ("中小学校", "幼儿园", "校车运营", "校园周边", "学生防溺水"),
    "农村饮水安全": ("集中供水工程", "水质检测", "分散供水点", "供水管网", "水费收缴"),
    "统计数据质量": ("统计台账", "原始记录", "联网直报", "统计执法", "调查样本单位"),
    "城市管理": ("占道经营", "户外广告", "渣土运输", "背街小巷", "老旧小区"),
    "禁毒工作": ("娱乐场所", "易制毒化学品企业", "社区戒毒康复", "禁种铲毒", "物流寄递"),
    "社会保障基金": ("养老保险基金", "医保基金", "就业补助资金", "工伤保险待遇", "社保卡发放"),
}
KINDS = (
    "大检查",
    "专项督查",
    "专项检查",
    "督导检查",
    "年度考核",
    "综合考评",
    "暗访抽查",
    "第三方评估",
    "巡查",
    "实地核查",
    "绩效评价",
    "交叉检查",
)
SCOPES = ("各县市区", "各乡镇街道", "各地", "重点乡镇", "各有关部门", "辖区内", "各村社区", "市直有关单位")
METHODS = (
    "现场检查",
    "查阅台账资料",
    "座谈了解",
    "随机抽查",
    "明察暗访",
    "听取汇报",
    "入户走访",
    "实地查看",
    "调阅档案",
    "问卷调查",
    "视频连线抽查",
)
BURDENS = (
    "基层准备台账和自查报告",
    "各地提前报送工作总结",
    "填报专项统计报表",
    "提供影像资料和佐证材料",
    "每月底前报送进展情况",
    "检查结果纳入年度绩效考核",
    "对发现的问题限期整改",
    "形成督查报告报市委市政府",
    "不打招呼不听汇报直奔基层",
    "不要求基层提供汇报材料",
    "各单位明确一名联络员",
    "问题清单反馈属地整改",
)
TITLES = (
    "{year}年度{topic}{kind}",
    "{year}年{topic}工作{kind}",
    "关于开展{topic}{kind}",
    "{city}{topic}{kind}",
    "{topic}{kind}（{year}年）",
    "{year}年全省{topic}{kind}",
)
CLAUSES = [c for c in "".join(CORPUS.split()).replace("。", "，").replace("；", "，").split("，") if 6 <= len(c) <= 40]
LOW, HIGH = 30, 200


# ------------------------------------------------------------------------------------------ items
def unit_tree(rng: random.Random) -> dict[int, list[int]]:
    """City id → its county ids: city c is c·100, its counties c·100 + 1 … c·100 + k (k = 8–12)."""
    return {c * 100: [c * 100 + k for k in range(1, rng.randint(8, 12) + 1)] for c in range(1, len(CITIES) + 1)}


def draw_units(rng: random.Random, tree: dict[int, list[int]]) -> frozenset[int]:
    r = rng.random()
    cities = list(tree)
    if r < 0.45:  # a few counties of one city
        return frozenset(rng.sample(tree[rng.choice(cities)], rng.randint(1, 3)))
    if r < 0.65:  # counties of two cities
        a, b = rng.sample(cities, 2)
        return frozenset(rng.sample(tree[a], rng.randint(1, 3)) + rng.sample(tree[b], rng.randint(1, 2)))
    if r < 0.90:  # everything under a city
        city = rng.choice(cities)
        return frozenset([city, *tree[city]])
    return frozenset()  # not said (the whole province)


def draw_months(rng: random.Random) -> frozenset[int]:
    r = rng.random()
    if r < 0.10:
        return frozenset()  # any time
    month = rng.randint(1, 12)
    if r < 0.65:
        return frozenset([month])
    return frozenset([month, month % 12 + 1])  # two months running, sometimes across quarters


def compose(rng: random.Random, year: int, topic: str | None = None) -> tuple[str, str]:
    """(title, description) of one proposed item, the whole 30–200 characters."""
    topic = topic or rng.choice(list(TOPICS))
    kind = rng.choice(KINDS)
    title = rng.choice(TITLES).format(year=year, topic=topic, kind=kind, city=rng.choice(CITIES) + "市")
    objects = rng.sample(TOPICS[topic], rng.randint(1, 3))
    listed = objects[0] if len(objects) == 1 else "、".join(objects[:-1]) + "和" + objects[-1]
    methods = rng.sample(METHODS, rng.randint(1, 2))
    burdens = rng.sample(BURDENS, rng.randint(1, 2))
    description = f"对{rng.choice(SCOPES)}{listed}开展{'、'.join(methods)}，{'，'.join(burdens)}"
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):  # further requirements from the corpus
        if len(title) + len(description) + 30 > HIGH:
            break
        description += "，" + rng.choice(CLAUSES)
    return title, clip(title, description + "。")


def clip(title: str, description: str) -> str:
    if len(title) + 1 + len(description) > HIGH:
        description = description[: HIGH - len(title) - 2] + "。"
    while len(title) + 1 + len(description) < LOW:
        description = description[:-1] + "，" + CLAUSES[len(description) % len(CLAUSES)] + "。"
    return description


def edit(rng: random.Random, text: str, rate: float, characters: str) -> str:
    """Insert, delete or replace round(rate × len) characters at random places."""
    chars = list(text)
    for _ in range(round(rate * len(text))):
        op = rng.randrange(3)
        pos = rng.randrange(len(chars) + (op == 0))
        if op == 0:
            chars.insert(pos, rng.choice(characters))
        elif op == 1 and len(chars) > LOW:
            del chars[pos]
        else:
            chars[min(pos, len(chars) - 1)] = rng.choice(characters)
    return "".join(chars)


def reword(rng: random.Random, text: str) -> str:
    """Two phrases (scope, method or requirement) replaced by others of the same list."""
    lists = [SCOPES, METHODS, BURDENS]
    rng.shuffle(lists)
    done = 0
    for phrases in lists:
        present = [p for p in phrases if p in text]
        if present and done < 2:
            old = rng.choice(present)
            text = text.replace(old, rng.choice([p for p in phrases if p != old]), 1)
            done += 1
    return text


def same_quarter(rng: random.Random, months: frozenset[int]) -> frozenset[int]:
    if not months:
        return draw_months(rng)
    q = rng.choice(sorted(quarters(months)))
    return frozenset([rng.randint(3 * q - 2, 3 * q)])


def other_quarter(rng: random.Random, months: frozenset[int]) -> frozenset[int]:
    free = sorted({1, 2, 3, 4} - quarters(months))
    q = rng.choice(free)
    return frozenset([rng.randint(3 * q - 2, 3 * q)])


def overlapping_units(rng: random.Random, units: frozenset[int], tree: dict[int, list[int]]) -> frozenset[int]:
    if not units:
        return draw_units(rng, tree)
    counties = sorted(u for u in units if u % 100) or sorted(units)
    keep = rng.sample(counties, rng.randint(1, min(2, len(counties))))
    city = rng.choice(list(tree))
    return frozenset(keep + rng.sample(tree[city], rng.randint(0, 2)))


def disjoint_units(rng: random.Random, units: frozenset[int], tree: dict[int, list[int]]) -> frozenset[int]:
    taken = {u // 100 * 100 for u in units}
    city = rng.choice([c for c in tree if c not in taken])
    return frozenset(rng.sample(tree[city], rng.randint(1, 3)))


def generate(n: int, seed: int) -> tuple[list[GroupItem], list[tuple[int, int, str, bool]]]:
    """n items, shuffled, ids 0 … n-1; and the planted pairs (a, b, how, meant to be linked)."""
    rng = random.Random(seed)
    tree = unit_tree(rng)
    planted = int(n * 0.15)
    base = []
    for _ in range(n - planted):
        year = rng.choice((2019, 2019, 2020, 2021))
        base.append((*compose(rng, year), draw_units(rng, tree), draw_months(rng), year))
    characters = "".join(sorted({ch for title, description, *_ in base for ch in title + description if ch.isalnum()}))
    texts = [f"{title}：{description}" for title, description, *_ in base]
    units = [u for _, _, u, _, _ in base]
    months = [m for _, _, _, m, _ in base]
    pairs: list[tuple[int, int, str, bool]] = []
    for k in range(planted):
        source = rng.randrange(n - planted)
        title, description, src_units, src_months, year = base[source]
        how = ("edit 5%", "edit 10%", "reworded", "renamed title", "traditional")[k % 5]
        if how == "reworded":
            text = reword(rng, texts[source])
        elif how.startswith("edit"):
            text = edit(rng, texts[source], int(how[5:-1]) / 100, characters)
        elif how == "renamed title":
            topic = next(t for t in TOPICS if t in title)
            new_title, _ = compose(rng, year, topic)
            text = f"{new_title}：{description}"
        else:
            text = to_traditional(edit(rng, texts[source], 0.05, characters))
        r = rng.random()
        if r < 0.20:  # another city
            new_units, new_months = disjoint_units(rng, src_units, tree), same_quarter(rng, src_months)
        elif r < 0.20 + 1 / 6:  # another quarter
            new_units, new_months = overlapping_units(rng, src_units, tree), other_quarter(rng, src_months)
        else:
            new_units, new_months = overlapping_units(rng, src_units, tree), same_quarter(rng, src_months)
        # an original that does not say its units or months overlaps anything
        meant = _overlaps(src_units, new_units)[0] and _overlaps(quarters(src_months), quarters(new_months))[0]
        pairs.append((source, len(texts), how, meant))
        texts.append(text)
        units.append(new_units)
        months.append(new_months)
    order = list(range(len(texts)))
    rng.shuffle(order)
    position = {old: new for new, old in enumerate(order)}
    items = [GroupItem(id=new, text=texts[old], units=units[old], months=months[old]) for new, old in enumerate(order)]
    pairs = [(min(position[a], position[b]), max(position[a], position[b]), how, meant) for a, b, how, meant in pairs]
    return items, pairs


# ------------------------------------------------------------------------------------ brute force
def brute_force(items: list[GroupItem], threshold: float) -> tuple[dict[tuple[int, int], float], int]:
    """Pairs with Jaccard ≥ threshold that share a unit and a quarter (when both say), and the
    number of pairs ≥ threshold before those conditions. Ids must be 0 … n-1."""
    fps, offsets = fingerprint_sets([item.text for item in items])
    n = len(items)
    sizes = np.diff(offsets)
    _, dense = np.unique(fps, return_inverse=True)
    mark = np.zeros(int(dense.max()) + 1 if len(dense) else 1, dtype=bool)
    similar = []
    for i in range(n - 1):
        mine = dense[offsets[i] : offsets[i + 1]]
        mark[mine] = True
        rest = mark[dense[offsets[i + 1] :]]
        cum = np.concatenate([[0], np.cumsum(rest, dtype=np.int64)])
        inter = cum[offsets[i + 2 :] - offsets[i + 1]] - cum[offsets[i + 1 : -1] - offsets[i + 1]]
        with np.errstate(invalid="ignore", divide="ignore"):
            jac = inter / (sizes[i] + sizes[i + 1 :] - inter)
        for j in np.flatnonzero(jac >= threshold).tolist():
            similar.append((i, i + 1 + j, float(jac[j])))
        mark[mine] = False
    found = {}
    for i, j, jac in similar:
        a, b = items[i], items[j]
        if _overlaps(a.units, b.units)[0] and _overlaps(quarters(a.months), quarters(b.months))[0]:
            found[(i, j)] = jac
    return found, len(similar)


def components(pairs, n: int) -> list[int]:
    """Sizes of the connected components of two or more, largest first."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    sizes: dict[int, int] = {}
    for x in range(n):
        sizes[find(x)] = sizes.get(find(x), 0) + 1
    return sorted((s for s in sizes.values() if s > 1), reverse=True)


def timed(func, *args, **kwargs):
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="proposed items (default 10,000)")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--threshold", type=float, default=0.5, help="Jaccard of 3-grams (default 0.5)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}")

    t = time.perf_counter()
    items, planted = generate(args.n, args.seed)
    lengths = [len(item.text) for item in items]
    print(
        f"items: {len(items):,} ({min(lengths)}–{max(lengths)} characters, mean {statistics.mean(lengths):.0f}; "
        f"{len(planted):,} planted overlapping proposals), generated in {time.perf_counter() - t:.1f} s"
    )
    print(f"  e.g. {items[0].text}")
    t = time.perf_counter()
    char_table()
    overlap_groups(items[:50], threshold=args.threshold)  # warm-up: imports and tables, once per process
    print(f"normalisation table and warm-up on 50 items (in neither time): {time.perf_counter() - t:.2f} s")

    groups, ours, ours_cpu = timed(overlap_groups, items, threshold=args.threshold)
    bare, bare_time, bare_cpu = timed(overlap_groups, items, threshold=args.threshold, explain_terms=False)
    (truth, similar), brute, brute_cpu = timed(brute_force, items, args.threshold)

    links = {(min(link.a, link.b), max(link.a, link.b)) for group in groups for link in group.links}
    bare_links = {(min(link.a, link.b), max(link.a, link.b)) for group in bare for link in group.links}
    hit = len(links & truth.keys())
    print(
        f"overlap_groups(threshold={args.threshold}), the whole call with explanations: {ours:6.2f} s "
        f"(CPU {ours_cpu:.2f} s)"
    )
    print(f"overlap_groups(…, explain_terms=False):                {bare_time:6.2f} s (CPU {bare_cpu:.2f} s)")
    print(f"brute force (fingerprint sets + every pair's Jaccard + conditions): {brute:6.2f} s (CPU {brute_cpu:.2f} s)")
    print(f"ratio: brute force / ours = {brute / ours:.0f}× with explanations, {brute / bare_time:.0f}× without")
    print(
        f"pairs: {len(items) * (len(items) - 1) // 2:,} in all; Jaccard ≥ {args.threshold}: {similar:,}, "
        f"of which {len(truth):,} share a unit and a quarter (brute force); linked by ours: {len(links):,}"
    )
    print(
        f"  recall {hit / max(1, len(truth)):.3f}, precision {hit / max(1, len(links)):.3f}"
        f"{'' if bare_links == links else ' (the links differ without explanations!)'}"
    )
    missed = sorted(truth[p] for p in truth.keys() - links)
    if missed:
        print(
            f"  missed {len(missed)} pairs, Jaccard {missed[0]:.2f}–{missed[-1]:.2f} "
            f"(median {statistics.median(missed):.2f})"
        )
    truth_groups = components(truth, len(items))
    print(
        f"groups: ours {len(groups):,} (largest {len(groups[0].ids) if groups else 0}, "
        f"{sum(len(g.ids) for g in groups):,} items); brute force's components {len(truth_groups):,} "
        f"(largest {truth_groups[0] if truth_groups else 0}, {sum(truth_groups):,} items)"
    )
    meant = [(a, b, how) for a, b, how, m in planted if m]
    not_meant = [(a, b) for a, b, _, m in planted if not m]
    print(
        f"planted pairs meant to be linked: {len(meant):,}; Jaccard ≥ {args.threshold} (brute force) "
        f"{sum((a, b) in truth for a, b, _ in meant):,}; linked by ours {sum((a, b) in links for a, b, _ in meant):,}"
    )
    for how in sorted({h for _, _, h in meant}):
        of = [(a, b) for a, b, h in meant if h == how]
        print(
            f"  {how:14s} {len(of):5,}: brute force {sum(p in truth for p in of):5,}, "
            f"ours {sum(p in links for p in of):5,}"
        )
    print(
        f"planted pairs with disjoint units or another quarter: {len(not_meant):,}; "
        f"linked by ours {sum(p in links for p in not_meant)}"
    )
    example = next((g for g in groups if any(link.shared_units for link in g.links) and len(g.ids) <= 3), None)
    if example:
        print("example group:")
        for item_id in example.ids:
            item = items[item_id]
            print(f"  #{item_id} units {sorted(item.units)} months {sorted(item.months)}: {item.text}")
        for link in example.links:
            print(
                f"  #{link.a}–#{link.b}: Jaccard {link.similarity:.2f}, terms {'、'.join(link.shared_terms)}; "
                f"units {sorted(link.shared_units)}, quarters {sorted(link.shared_quarters)}"
            )


if __name__ == "__main__":
    main()
