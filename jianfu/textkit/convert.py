"""Simplified ↔ traditional conversion, with the converters built once."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=2)
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)
