"""Shared helpers of the translation scripts: reading and writing .po files with babel, placeholders."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "jianfu" / "locale"
DOMAIN = "django"
CHINESE_PLURAL_FORMS = "nplurals=1; plural=0;"

# %(name)s, %(count)d, %(total).1f … and the positional %s / %d; "%%" is a literal percent sign.
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<conv>[diouxXeEfFgGcrsa%])")
# {name}, {0}, {name!r:>10} — only checked for python-brace-format messages.
_BRACE = re.compile(r"(?<!\{)\{(?P<field>[^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def po_path(locale: str, domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def load(path: Path, locale: str) -> Catalog:
    """Read a .po file; babel's warnings about surplus plural slots (gettext templates carry two
    msgstr[] even where the language has one form) are expected and kept quiet."""
    with path.open("rb") as f, contextlib.redirect_stdout(io.StringIO()):
        return read_po(f, locale=locale)


def render(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=76, omit_header=False, ignore_obsolete=True, include_previous=False)
    return buf.getvalue()


def save(catalog: Catalog, path: Path) -> bool:
    """Write the catalogue only when its text changed (buildmessages compares mtimes)."""
    data = render(catalog)
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def set_header(catalog: Catalog, *, language: str, team: str, plural_forms: str | None,
               comment: str = "") -> None:
    lines = [f"{team} translations of Jianfu (减负).", *comment.splitlines()]
    catalog.header_comment = "\n".join("# " + line if line else "#" for line in lines)
    catalog.project = "Jianfu"
    catalog.version = "0.1"
    catalog.language_team = team
    headers = [("Language", language)]
    if plural_forms:
        headers.append(("Plural-Forms", plural_forms))
    catalog.mime_headers = headers
    catalog.fuzzy = False


def key(message: Message) -> tuple[str | tuple[str, ...], str | None]:
    return message.id, message.context


def label(message: Message) -> str:
    text = message.id if isinstance(message.id, str) else " | ".join(message.id)
    return f"[{message.context}] {text}" if message.context else text


def forms(message: Message) -> list[str]:
    """The msgstr forms of a message as a list (one element for a singular message)."""
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string or ""]


def is_translated(message: Message) -> bool:
    return not message.fuzzy and all(forms(message)) and bool(forms(message))


def placeholders(text: str, *, brace: bool = False) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(sorted named %-placeholders with their conversion, positional conversions in order)."""
    named: list[str] = []
    positional: list[str] = []
    for m in _PERCENT.finditer(text):
        if m["conv"] == "%" and m["name"] is None:
            continue
        if m["name"] is not None:
            named.append(f"{m['name']}:{m['conv']}")
        else:
            positional.append(m["conv"])
    if brace:
        named += sorted(f"{{{m['field']}}}" for m in _BRACE.finditer(text))
    return tuple(sorted(named)), tuple(positional)


def placeholder_problems(message: Message) -> list[str]:
    """Every msgstr form must carry the placeholders of its msgid (singular or plural)."""
    brace = "python-brace-format" in message.flags
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = forms(message)
    if len(ids) > 1 and len(strings) == 1:
        # One form (Chinese) serves every count, so it must carry what msgid_plural carries.
        allowed = {placeholders(ids[-1], brace=brace)}
    else:
        allowed = {placeholders(i, brace=brace) for i in ids}
    problems = []
    for index, text in enumerate(strings):
        if not text:
            continue
        got = placeholders(text, brace=brace)
        if got not in allowed:
            problems.append(f"{label(message)!r}: msgstr[{index}] has {got}, "
                            f"expected one of {sorted(allowed)}")
    return problems
