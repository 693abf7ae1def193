"""Shingles, exact Jaccard, MinHash and the near-duplicate index."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from opencc import OpenCC

from jianfu.textkit.minhash import (
    Explanation,
    LSHIndex,
    MinHasher,
    _candidate_probability,
    explain,
    lsh_parameters,
)
from jianfu.textkit.shingles import fingerprint_set, fingerprint_sets, jaccard, shingles

CHARACTERS = (
    "为深入贯彻落实党中央关于整治形式主义基层减负的决策部署进一步精简文件会议规范督查检查考核切实减轻负担"
    "让干部有更多时间和精力抓现就事项通知如下各地部门要坚持以人民中心发展思想树立正确政绩观把作转变风重内容"
    "严格控制发文数量凡是法律法规已明确定一不再制没实质性可统筹年度计划审批报备制度未列入原则上得开展结果导向"
)


def compose(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(CHARACTERS) for _ in range(length))


def edit(rng: random.Random, text: str, rate: float) -> str:
    """Insert, delete or replace round(rate × len) characters."""
    chars = list(text)
    for _ in range(round(rate * len(text))):
        op, pos = rng.randrange(3), rng.randrange(len(chars))
        if op == 0:
            chars.insert(pos, rng.choice(CHARACTERS))
        elif op == 1:
            del chars[pos]
        else:
            chars[pos] = rng.choice(CHARACTERS)
    return "".join(chars)


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    rng = random.Random(2019)
    return [compose(rng, rng.randint(80, 300)) for _ in range(2000)]


# ------------------------------------------------------------------------------------ shingles
def test_whitespace_and_punctuation_edits_do_not_change_the_shingles():
    assert np.array_equal(shingles("减负：精简文件，精简会议。"), shingles("减负 精简文件\n精简会议"))


def test_traditional_and_simplified_text_have_the_same_shingles():
    text = "关于进一步精简会议的通知"
    assert np.array_equal(shingles(text), shingles(OpenCC("s2t").convert(text)))


def test_a_text_shorter_than_three_characters_is_one_shingle_and_an_empty_text_none():
    assert len(shingles("减负")) == 1
    assert len(shingles("减")) == 1
    assert len(shingles("，。 ")) == 0
    assert not np.array_equal(shingles("减负"), shingles("减"))


def test_jaccard_is_exact_on_the_three_gram_sets():
    # abcd → {abc, bcd}; abce → {abc, bce}: one shared of three
    assert jaccard(shingles("abcd"), shingles("abce")) == pytest.approx(1 / 3)
    assert jaccard(shingles("精简文件会议"), shingles("精简文件会议")) == 1.0
    assert jaccard(shingles("精简文件"), shingles("督查检查")) == 0.0
    assert jaccard(shingles(""), shingles("")) == 0.0


def test_fingerprint_sets_of_a_batch_equal_those_of_each_text(corpus):
    rng = random.Random(7)
    texts = [*corpus[:50], "", "减", "減負", "，。", "⑩项措施", compose(rng, 20_000), "长" * 9000]
    fps, offsets = fingerprint_sets(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(fps[offsets[i] : offsets[i + 1]], fingerprint_set(text))


@given(st.text(max_size=60), st.text(max_size=60))
def test_jaccard_is_symmetric_and_between_zero_and_one(a, b):
    sa, sb = shingles(a), shingles(b)
    j = jaccard(sa, sb)
    assert j == jaccard(sb, sa)
    assert 0.0 <= j <= 1.0


# ------------------------------------------------------------------------------------- MinHash
def test_the_minhash_estimate_is_within_0_15_of_the_exact_jaccard_with_256_permutations():
    rng = random.Random(11)
    hasher = MinHasher(num_perm=256, seed=3)
    for _ in range(200):
        a = compose(rng, rng.randint(30, 300))
        b = edit(rng, a, rng.choice((0.05, 0.1, 0.2, 0.4, 0.8)))
        exact = jaccard(shingles(a), shingles(b))
        estimate = MinHasher.estimate(hasher.signature(a), hasher.signature(b))
        assert abs(estimate - exact) <= 0.15, (exact, estimate)


def test_signatures_of_a_batch_equal_those_of_each_text(corpus):
    hasher = MinHasher(num_perm=64, seed=5)
    texts = [*corpus[:20], "", "减"]
    batch = hasher.signatures(texts)
    assert batch.shape == (len(texts), 64) and batch.dtype == np.uint32
    for i, text in enumerate(texts):
        assert np.array_equal(batch[i], hasher.signature(text))


def test_the_bands_find_a_pair_at_the_threshold_with_the_asked_probability():
    for threshold in (0.3, 0.5, 0.7, 0.9):
        bands, rows = lsh_parameters(threshold, 128, min_recall=0.95)
        assert bands * rows <= 128
        assert _candidate_probability(np.float64(threshold), bands, rows) >= 0.95


# --------------------------------------------------------------------------------------- index
def test_a_copy_with_ten_percent_edited_is_found_at_threshold_one_half(corpus):
    rng = random.Random(3)
    index = LSHIndex(threshold=0.5)
    index.add_many(range(len(corpus)), corpus)
    for target in (5, 500, 1500):
        draft = edit(rng, corpus[target], 0.10)
        exact = jaccard(shingles(draft), shingles(corpus[target]))
        assert exact >= 0.5
        matches = index.query(draft)
        assert [m.id for m in matches] == [target]
        assert matches[0].jaccard == pytest.approx(exact)


def test_a_traditional_copy_is_found(corpus):
    index = LSHIndex()
    index.add_many(range(len(corpus)), corpus)
    assert index.query(OpenCC("s2t").convert(corpus[42]))[0].id == 42


def test_unrelated_texts_are_not_returned(corpus):
    rng = random.Random(4)
    index = LSHIndex(threshold=0.5)
    index.add_many(range(len(corpus)), corpus)
    for _ in range(20):
        assert index.query(compose(rng, 200)) == []
    assert index.query("") == []


def test_query_returns_the_most_similar_first_and_at_most_k(corpus):
    rng = random.Random(5)
    base = corpus[0]
    copies = [edit(rng, base, rate) for rate in (0.2, 0.02, 0.1)]
    index = LSHIndex(threshold=0.3)
    index.add_many(["a", "b", "c"], copies)
    matches = index.query(base)
    assert [m.id for m in matches] == ["b", "c", "a"]
    assert [m.jaccard for m in matches] == sorted((m.jaccard for m in matches), reverse=True)
    assert [m.id for m in index.query(base, k=1)] == ["b"]
    assert [m.id for m in index.query(base, threshold=matches[0].jaccard)] == ["b"]


def test_an_index_that_does_not_verify_returns_estimates():
    index = LSHIndex(verify=False)
    index.add(1, "进一步精简文件会议规范督查检查考核切实减轻基层负担")
    [match] = index.query("进一步精简文件会议规范督查检查考核切实减轻基层负担。")
    assert match.jaccard is None and match.estimate == 1.0 and match.score == 1.0


def test_remove_forgets_a_text_and_add_replaces_one(corpus):
    index = LSHIndex()
    index.add_many(range(100), corpus[:100])
    index.remove(7)
    assert len(index) == 99 and 7 not in index
    assert index.query(corpus[7]) == []
    with pytest.raises(KeyError):
        index.remove(7)
    index.add(8, corpus[7])  # 8 now holds 7's text
    assert [m.id for m in index.query(corpus[7])] == [8]
    assert index.query(corpus[8]) == []
    assert len(index) == 99


def test_texts_added_one_by_one_are_found_like_texts_added_in_bulk(corpus):
    bulk, single = LSHIndex(), LSHIndex()
    bulk.add_many(range(300), corpus[:300])
    for i, text in enumerate(corpus[:300]):
        single.add(i, text)
    for text in corpus[:300:17]:
        assert bulk.query(text) == single.query(text)


def test_many_removals_compact_the_index(corpus):
    index = LSHIndex()
    index.add_many(range(len(corpus)), corpus)
    for i in range(0, 1800):
        index.remove(i)
    assert len(index) == 200
    assert index._n < len(corpus)  # compacted
    assert [m.id for m in index.query(corpus[1900])] == [1900]
    assert index.query(corpus[10]) == []


def test_candidate_pairs_and_groups_join_near_copies(corpus):
    rng = random.Random(6)
    items = corpus[:300] + [edit(rng, corpus[0], 0.05), edit(rng, corpus[0], 0.1), edit(rng, corpus[1], 0.05)]
    index = LSHIndex()
    index.add_many(range(len(items)), items)
    pairs = index.candidate_pairs()
    found = {(p.a, p.b) for p in pairs}
    assert found == {(0, 300), (0, 301), (300, 301), (1, 302)}
    for p in pairs:
        assert p.jaccard == pytest.approx(jaccard(shingles(items[p.a]), shingles(items[p.b])))
    assert index.groups() == [[0, 300, 301], [1, 302]]
    index.remove(0)
    assert index.groups() == [[1, 302], [300, 301]]  # equal sizes: in the order they were added


def test_explain_lists_the_longest_shared_terms():
    a = "关于进一步精简文件会议切实减轻基层负担的通知"
    b = "關於進一步規範督查檢查考核、切實減輕基層負擔的意見"
    explanation = explain(a, b)
    assert isinstance(explanation, Explanation)
    assert explanation.shared_terms[0] == "切实减轻基层负担的"
    assert "关于进一步" in explanation.shared_terms
    assert explanation.jaccard == pytest.approx(jaccard(shingles(a), shingles(b)))
    assert explanation.shared_shingles == len(np.intersect1d(shingles(a), shingles(b)))
    assert explain("督查检查", "精简会议").shared_terms == ()
    assert LSHIndex.explain(a, b) == explanation


def test_the_index_round_trips_through_bytes_and_pickle(corpus):
    rng = random.Random(8)
    index = LSHIndex(threshold=0.4, num_perm=64, seed=9)
    index.add_many([f"doc-{i}" for i in range(500)], corpus[:500])
    index.remove("doc-3")
    drafts = [edit(rng, corpus[i], 0.1) for i in (3, 4, 250)]
    for restored in (LSHIndex.from_bytes(index.to_bytes()), pickle.loads(pickle.dumps(index))):  # noqa: S301
        assert len(restored) == 499 and restored.ids == index.ids
        assert (restored.threshold, restored.bands, restored.rows) == (
            index.threshold,
            index.bands,
            index.rows,
        )
        for draft in drafts:
            assert restored.query(draft) == index.query(draft)
        restored.add("new", corpus[600])
        assert restored.query(corpus[600])[0].id == "new"


def test_ids_are_ints_or_strings():
    index = LSHIndex()
    index.add(np.int64(3), "精简文件会议")
    assert index.ids == [3] and type(index.ids[0]) is int
    with pytest.raises(TypeError):
        index.add(("a", 1), "精简文件会议")
    with pytest.raises(ValueError):
        index.add_many([1, 1], ["精简文件", "精简会议"])
