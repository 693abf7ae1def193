"""Normalisation gives one spelling for the same words: simplified, half-width, lower case, no punctuation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from opencc import OpenCC

from jianfu.textkit.normalise import char_table, normalise, normalise_many, to_codepoints

NOTICE = (
    "为深入贯彻落实中央八项规定精神，切实减轻基层负担，现就进一步精简文件和会议、规范督查检查考核有关事项通知如下："
    "一、严格控制发文数量，凡是法律法规已有明确规定的，一律不再制定文件。二、提倡开短会、讲短话，能合并召开的会议合并召开。"
    "三、不得要求基层填报重复报表、提供大量台账资料，严禁随意要求基层拍照摄像打卡。了解情况要轻车简从，借此机会复制推广经验，"
    "干部干事创业，头发发展，只有一只，后来著作着力。"
)


def test_traditional_and_simplified_text_normalise_the_same():
    traditional = OpenCC("s2t").convert(NOTICE)
    assert traditional != NOTICE
    assert normalise(traditional) == normalise(NOTICE)


def test_a_traditional_title_becomes_simplified():
    assert normalise("關於進一步精簡會議的通知") == "关于进一步精简会议的通知"


def test_each_character_opencc_simplifies_is_simplified_the_same_way():
    table = char_table()
    t2s = OpenCC("t2s")
    traditional = [chr(c) for c in range(0x4E00, 0xA000) if table[c] not in (0, c)]
    assert len(traditional) > 2000
    converted = t2s.convert("\n".join(traditional)).split("\n")
    differ = [(t, s) for t, s in zip(traditional, converted, strict=True) if normalise(t) != normalise(s)]
    assert differ == []


def test_full_width_letters_and_digits_become_ascii_and_lower_case():
    assert normalise("ＡＢＣ１２３ Jianfu") == "abc123jianfu"


def test_whitespace_and_punctuation_of_both_kinds_are_dropped():
    assert normalise("减 负，\n减负！（一）“形式主义”——《通知》… ,.;:!? \u3000\t") == "减负减负一形式主义通知"


def test_enclosed_numbers_become_digits():
    assert normalise("①②⑩") == "1210"


def test_many_texts_normalise_like_one_at_a_time():
    texts = ["關於⑩項措施", "", "，。", "ａ", NOTICE, "㎡面积"]
    assert normalise_many(texts) == [normalise(t) for t in texts]
    codepoints, offsets = to_codepoints(texts)
    assert offsets[0] == 0 and offsets[-1] == len(codepoints) and len(offsets) == len(texts) + 1


@given(st.text(), st.text())
def test_normalising_maps_each_character_on_its_own(a, b):
    assert normalise(a + b) == normalise(a) + normalise(b)


@given(st.text())
def test_normalising_twice_changes_nothing_more(text):
    once = normalise(text)
    assert normalise(once) == once
    assert all(ch.isalnum() for ch in once)
