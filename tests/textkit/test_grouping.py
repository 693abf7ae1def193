"""Grouping overlapping items by text, target units and quarter of the year, with explanations."""

from __future__ import annotations

import pytest

from jianfu.textkit.convert import to_traditional
from jianfu.textkit.grouping import GroupItem, overlap_groups, quarters
from jianfu.textkit.shingles import jaccard, shingles

PLAN = "2019年度安全生产大检查：对各乡镇危化品企业、道路交通和消防安全开展现场检查，基层准备台账和自查报告"
NEAR = "2019年度安全生产大检查：对各乡镇危化品企业、道路交通和消防安全开展现场督查，基层准备台账和自查报告"
UNRELATED = "关于精简会议的通知：严格控制发文数量，推行无文件会议室制度，提倡开短会、讲短话，能合并召开的合并召开"

# six phrases with no 3-gram in common, for texts that overlap by a known share
SEGMENTS = (
    "食品安全专项督查学校食堂",
    "生态环境保护巡查工业园区",
    "乡村振兴实地核查脱贫户",
    "防汛抗旱暗访抽查水库山塘",
    "森林防火督导检查重点林区",
    "河长制工作评估入河排污口",
)


def item(item_id, text, units=(), months=()) -> GroupItem:
    return GroupItem(id=item_id, text=text, units=frozenset(units), months=frozenset(months))


def linked(groups) -> set[frozenset]:
    return {frozenset((link.a, link.b)) for group in groups for link in group.links}


@pytest.fixture(scope="module")
def chain() -> tuple[str, str, str]:
    """a ~ b ~ c with Jaccard ≥ 0.5 between neighbours and below 0.5 between a and c."""
    a, b, c = ("".join(SEGMENTS[i : i + 4]) for i in range(3))
    sa, sb, sc = shingles(a), shingles(b), shingles(c)
    assert 0.55 <= jaccard(sa, sb) <= 0.65 and 0.55 <= jaccard(sb, sc) <= 0.65
    assert jaccard(sa, sc) < 0.4
    return a, b, c


def test_near_identical_items_with_a_shared_unit_in_the_same_quarter_are_grouped():
    items = [
        item(1, PLAN, units={10, 11}, months={3}),
        item(2, UNRELATED, units={10, 11}, months={3}),
        item(3, NEAR, units={11, 12}, months={2}),
    ]
    groups = overlap_groups(items, threshold=0.5)
    assert [g.ids for g in groups] == [[1, 3]]
    (link,) = groups[0].links
    assert {link.a, link.b} == {1, 3}
    assert 0.8 < link.similarity < 1.0
    assert link.shared_units == {11}
    assert link.shared_quarters == {1}


def test_the_same_text_for_disjoint_units_is_not_grouped_unless_units_are_not_required():
    items = [item("a", PLAN, units={10}, months={3}), item("b", PLAN, units={20}, months={3})]
    assert overlap_groups(items) == []
    groups = overlap_groups(items, require_units=False)
    assert [g.ids for g in groups] == [["a", "b"]]
    assert groups[0].links[0].shared_units == frozenset()
    assert groups[0].links[0].similarity == 1.0


def test_items_in_different_quarters_are_not_grouped_unless_the_season_is_not_required():
    items = [item(1, PLAN, units={10}, months={3}), item(2, NEAR, units={10}, months={4})]
    assert overlap_groups(items) == []
    assert [g.ids for g in overlap_groups(items, require_season=False)] == [[1, 2]]


def test_months_in_different_quarters_overlap_by_the_quarter_they_share():
    items = [item(1, PLAN, units={10}, months={3, 4}), item(2, NEAR, units={10}, months={5})]
    (group,) = overlap_groups(items)
    assert group.links[0].shared_quarters == {2}


def test_items_that_do_not_say_their_units_or_months_overlap_anything():
    items = [
        item(1, PLAN, units={10}, months={3}),
        item(2, NEAR),
        item(3, PLAN, units=(), months={3}),
        item(4, NEAR, units={10}, months=()),
    ]
    (group,) = overlap_groups(items)
    assert group.ids == [1, 2, 3, 4]
    assert len(group.links) == 6
    pair_1_2 = next(link for link in group.links if {link.a, link.b} == {1, 2})
    assert pair_1_2.shared_units == frozenset() and pair_1_2.shared_quarters == frozenset()
    pair_1_4 = next(link for link in group.links if {link.a, link.b} == {1, 4})
    assert pair_1_4.shared_units == {10} and pair_1_4.shared_quarters == frozenset()


def test_a_traditional_character_copy_groups_with_its_simplified_original():
    traditional = to_traditional(PLAN)
    assert traditional != PLAN
    items = [item(1, PLAN, units={10}, months={3}), item(2, UNRELATED), item(3, traditional, units={10}, months={1})]
    (group,) = overlap_groups(items)
    assert group.ids == [1, 3]
    assert group.links[0].similarity == 1.0


def test_the_explanation_names_the_shared_terms_units_and_quarters():
    items = [item(1, PLAN, units={10, 11, 12}, months={7}), item(2, NEAR, units={11, 12, 13}, months={8, 9})]
    (group,) = overlap_groups(items)
    (link,) = group.links
    assert link.shared_terms  # longest first, normalised: no punctuation
    assert any("危化品企业道路交通和消防安全开展现场" in term for term in link.shared_terms)
    assert any("基层准备台账和自查报告" in term for term in link.shared_terms)
    assert all("，" not in term and "、" not in term for term in link.shared_terms)
    assert [len(t) for t in link.shared_terms] == sorted((len(t) for t in link.shared_terms), reverse=True)
    assert link.shared_units == {11, 12}
    assert link.shared_quarters == {3}
    assert group.shared_units == {11, 12}


def test_without_explain_terms_the_groups_are_the_same_but_name_no_terms():
    items = [item(1, PLAN, units={10}, months={3}), item(2, NEAR, units={10}, months={3})]
    groups = overlap_groups(items, explain_terms=False)
    assert [g.ids for g in groups] == [g.ids for g in overlap_groups(items)]
    assert groups[0].links[0].shared_terms == ()
    assert groups[0].links[0].shared_units == {10}


def test_groups_are_ordered_largest_first_each_in_the_order_of_the_items(chain):
    a, b, c = chain
    items = [item(1, PLAN), item(2, UNRELATED), item(3, NEAR), item(4, c), item(5, a), item(6, b)]
    groups = overlap_groups(items)
    assert [g.ids for g in groups] == [[4, 5, 6], [1, 3]]


def test_groups_of_the_same_size_are_ordered_by_their_first_item():
    items = [item(1, UNRELATED), item(2, PLAN), item(3, NEAR), item(4, UNRELATED + "。")]
    assert [g.ids for g in overlap_groups(items)] == [[1, 4], [2, 3]]


@pytest.mark.parametrize("items", [[], [GroupItem(id=1, text=PLAN)]])
def test_fewer_than_two_items_give_no_groups(items):
    assert overlap_groups(items) == []


def test_a_chain_of_similar_items_forms_one_group_with_two_links(chain):
    a, b, c = chain
    items = [item("a", a, units={1}, months={1}), item("b", b), item("c", c, units={1}, months={2})]
    (group,) = overlap_groups(items, threshold=0.5)
    assert group.ids == ["a", "b", "c"]
    assert len(group.links) == 2
    assert linked([group]) == {frozenset("ab"), frozenset("bc")}


def test_the_threshold_is_respected(chain):
    a, b, _ = chain
    similarity = jaccard(shingles(a), shingles(b))
    items = [item(1, a), item(2, b)]
    (group,) = overlap_groups(items, threshold=0.5)
    assert group.links[0].similarity == pytest.approx(similarity)
    assert group.links[0].similarity >= 0.5
    assert overlap_groups(items, threshold=0.7) == []
    assert len(overlap_groups([item(1, PLAN), item(2, NEAR)], threshold=0.7)) == 1


def test_quarters_of_months():
    assert quarters(frozenset({1, 3, 4, 12})) == {1, 2, 4}
    assert quarters(frozenset()) == frozenset()
