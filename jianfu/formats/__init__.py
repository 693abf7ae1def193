"""Input formats per language: the ISO format first, whatever the language.

`<input type="date">` only takes an ISO value (2019-05-06); Django renders a date input with the first
of the active language's DATE_INPUT_FORMATS, which is "2019/05/06" in Chinese, and the browser drops it,
so every edit form lost its dates. Each language module here starts from Django's own formats and puts
the ISO forms first; the other forms still parse what a person types.
"""

from __future__ import annotations

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%d %H:%M"
ISO_TIME = "%H:%M"


def iso_first(formats: list[str], iso: str) -> list[str]:
    return [iso, *[f for f in formats if f != iso]]
