"""The rules for what people type, applied by the services so that pages, the API and commands agree.

Text: no control characters (long text keeps tab, line and page breaks), no lone surrogates, no invisible
formatting characters in one-line fields (a soft hyphen, a zero-width space, a direction mark), nothing
but whitespace where a value is required, and no more characters than the column holds. PostgreSQL
refuses a NUL in text and JSON outright; the rest would be stored and shown as if it were a name.
Numbers: an id is a positive number a database key (bigint) can hold.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ApplicationError

MAX_ID = 2**63 - 1  # the largest bigint, the type of every primary key
LINE_BREAKS = frozenset("\n\r\u0085\u2028\u2029")
# Tab, line feed, carriage return, and the line and page breaks that pasted and plain-text drafts carry.
LONG_TEXT_CONTROLS = frozenset("\t\n\r\v\f")
_LOGIN_NAME = re.compile(r"[\w.@+-]+")


class TextError(ApplicationError):
    """Text that breaks one of the rules above; `code` and `extra["field"]` name the field at fault."""

    def __init__(self, message: Any, *, field: str):
        super().__init__(message, code=field, extra={"field": field})
        self.field = field


def _label(field: str, label: Any) -> str:
    return capfirst(str(label)) if label else field


def _code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _refused(ch: str, *, multiline: bool) -> str | None:
    """Why the character may not stand in the text, or None when it may."""
    category = unicodedata.category(ch)
    if ch in LINE_BREAKS:
        return None if multiline else "line"
    if category == "Cc":
        return None if multiline and ch in LONG_TEXT_CONTROLS else "control"
    if category == "Cs":
        return "control"
    if category == "Cf" and not multiline:
        return "invisible"
    return None


def refused_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `clean_text` would refuse in `text`, as U+XXXX, or None: for checks that report
    every problem of a file at once instead of raising at the first (the spreadsheet imports)."""
    for ch in text or "":
        if _refused(ch, multiline=multiline):
            return _code_point(ch)
    return None


def is_login_name(text: str) -> bool:
    return bool(_LOGIN_NAME.fullmatch(text or ""))


def is_visible(text: str) -> bool:
    """Whether the text shows anything: a character that is neither whitespace nor an invisible format mark."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Cs") for ch in text)


def clean_text(value: Any, *, field: str, label: Any = None, multiline: bool = False, required: bool = False,
               max_length: int | None = None, strip: bool = True) -> str:
    """Return the text without surrounding whitespace (unless `strip` is false: a document's text keeps the
    indent of its first paragraph), or raise TextError saying what is wrong with it.

    One-line text (names, titles, codes) refuses every control and format character and line breaks;
    long text (`multiline`) keeps tab, line and page breaks and format characters, which pasted documents carry.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextError(_("%(field)s must be text.") % {"field": _label(field, label)}, field=field)
    text = value.strip() if strip else value
    for ch in text:
        why = _refused(ch, multiline=multiline)
        if why == "line":
            raise TextError(_("%(field)s must be a single line.") % {"field": _label(field, label)}, field=field)
        if why == "control":
            raise TextError(_("%(field)s contains a control character (%(char)s) that cannot be stored; "
                              "remove it.") % {"field": _label(field, label), "char": _code_point(ch)},
                            field=field)
        if why == "invisible":
            raise TextError(_("%(field)s contains an invisible character (%(char)s); remove it.")
                            % {"field": _label(field, label), "char": _code_point(ch)}, field=field)
    if text and not is_visible(text):
        text = ""
    if required and not text:
        raise TextError(_("%(field)s is required.") % {"field": _label(field, label)}, field=field)
    if max_length is not None and len(text) > max_length:
        raise TextError(_("%(field)s may have at most %(max)d characters (it has %(count)d).")
                        % {"field": _label(field, label), "max": max_length, "count": len(text)}, field=field)
    return text


def clean_code(value: Any, *, field: str = "code", label: Any = None, max_length: int = 32,
               required: bool = True) -> str:
    """A code (a unit's, a dictionary's): one visible word, no spaces or invisible characters inside."""
    label = label or gettext_lazy("Code")
    code = clean_text(value, field=field, label=label, required=required, max_length=max_length)
    if any(ch.isspace() for ch in code):
        raise TextError(_("%(field)s cannot contain spaces.") % {"field": _label(field, label)}, field=field)
    return code


def clean_login_name(value: Any, *, field: str = "username", max_length: int = 64) -> str:
    """A login name: letters, digits and . @ + - _ only, so it is typed, shown and logged as it is."""
    name = clean_text(value, field=field, label=gettext_lazy("Login name"), required=True, max_length=max_length)
    if not _LOGIN_NAME.fullmatch(name):
        raise TextError(_("A login name may contain only letters, digits and . @ + - _ (no spaces)."), field=field)
    return name


def clean_json_texts(value: Any, *, field: str) -> Any:
    """Check every string (keys too) inside JSON-like data as long text; PostgreSQL's jsonb refuses a NUL."""
    if isinstance(value, str):
        return clean_text(value, field=field, multiline=True)
    if isinstance(value, dict):
        # A value is named by its key, so the message says which detail is at fault.
        return {clean_json_texts(k, field=field) if isinstance(k, str) else k:
                clean_json_texts(v, field=k if isinstance(k, str) and k.isidentifier() else field)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_json_texts(v, field=field) for v in value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ID:
        raise TextError(_("%(field)s holds a number too large to store.") % {"field": field}, field=field)
    return value


def clean_id(value: Any, *, field: str) -> int | None:
    """An optional id: None, or a whole number from 1 to the largest key the database holds."""
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise TextError(_("%(field)s must be a whole number.") % {"field": field}, field=field) from exc
    if not 1 <= number <= MAX_ID:
        raise ApplicationError(_("Not found."), code="not_found")
    return number


class DatabaseIdConverter:
    """A URL part that is an id the database can hold; anything else (letters, 0, twenty digits) matches no
    URL, so it is a 404 rather than a failed query."""

    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
