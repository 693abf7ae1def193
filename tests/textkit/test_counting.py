"""Character counts match what office software shows as 字数."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jianfu.textkit.counting import char_count


def test_each_chinese_character_and_full_width_mark_counts_one():
    assert char_count("郴州市集中整治形式主义。") == 12


def test_a_run_of_latin_letters_or_digits_counts_one():
    assert char_count("2019年") == 2
    assert char_count("同比精简45.7%") == 5
    assert char_count("Jianfu platform") == 2


def test_whitespace_counts_nothing():
    assert char_count("  \n\t\u3000 ") == 0
    assert char_count("减 负") == 2


def test_traditional_and_simplified_text_count_the_same():
    assert char_count("郴州市集中整治形式主义官僚主义") == char_count("郴州市集中整治形式主義官僚主義")


def test_a_document_number_with_hexagonal_brackets_counts_each_bracket():
    assert char_count("郴发〔2019〕5号") == 7


def test_curly_quotes_and_ellipsis_count_as_full_width_marks():
    assert char_count("“一周一调度”……") == 9


@given(st.text(), st.text())
def test_joining_two_texts_never_counts_more_than_the_parts(a, b):
    assert char_count(a + b) <= char_count(a) + char_count(b)


@given(st.text())
def test_the_count_never_exceeds_the_number_of_non_space_characters(text):
    assert char_count(text) <= sum(1 for ch in text if not ch.isspace())


@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)))
def test_pure_chinese_text_counts_one_per_character(text):
    assert char_count(text) == len(text)
