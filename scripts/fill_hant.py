"""Derive the traditional-Chinese catalogue from the simplified one with OpenCC, and keep `en` in step.

    .venv/bin/python scripts/fill_hant.py

Reads jianfu/locale/zh_Hans/LC_MESSAGES/django.po and writes jianfu/locale/zh_Hant/LC_MESSAGES/django.po:
every msgstr (each plural form too) is the zh_Hans msgstr converted with OpenCC's "s2t" configuration
(standard traditional characters, no Taiwan-specific vocabulary such as 登入/匯出, so terms of the
mainland administrative system read as the source has them). A zh_Hant msgstr that a translator set by
hand survives when it is non-empty and its entry carries a translator comment starting with "manual":

    # manual: 臺灣用語
    msgid "Log in"
    msgstr "登入"

It also makes sure jianfu/locale/en/LC_MESSAGES/django.po exists with every msgid (English is the
msgid, so its msgstrs may stay empty). Exits 1 when a zh_Hant msgstr is left empty (its zh_Hans msgstr
was empty: run scripts/po_zh_hans.py first) or a placeholder does not survive.
"""

from __future__ import annotations

import copy
import re
import sys

from _pocatalog import (
    CHINESE_PLURAL_FORMS,
    ROOT,
    forms,
    is_translated,
    key,
    label,
    load,
    placeholder_problems,
    po_path,
    save,
    set_header,
)
from babel.messages.catalog import Catalog, Message
from opencc import OpenCC

SOURCE, TARGET, ENGLISH = "zh_Hans", "zh_Hant", "en"
CONFIG = "s2t"

# Corrections applied after OpenCC, in order. s2t writes OpenCC's reference glyphs 爲, 啓 and 覈 (審覈,
# 覈驗); Taiwan's and Hong Kong's standards, and so most readers of 繁體中文, write 為, 啟 and 核.
# Its phrase segmentation also reads 负责人参会 as 人参 "ginseng" (人蔘) and 并发放 as 并发 "concurrent"
# (併發). Add any other phrase that s2t gets wrong here; the place names of the demo city (郴州市,
# 汝城县 → 汝城縣 …) convert correctly.
FIXES: dict[str, str] = {"爲": "為", "啓": "啟", "覈": "核", "蔘": "參", "併發": "並發"}

# Placeholders (%(name)s, {{ var }}, {name}) pass through OpenCC untouched: they are ASCII, but
# guard them anyway so a future dictionary entry can never rewrite one.
_GUARD = re.compile(r"%\([^)]*\)[#0\- +]*\d*(?:\.\d+)?[a-zA-Z%]|%[a-zA-Z%]"
                    r"|\{\{[ A-Za-z0-9_.|:]*\}\}|\{[A-Za-z0-9_.!:<>^ ]*\}")

_converter = OpenCC(CONFIG)


def to_traditional(text: str) -> str:
    if not text:
        return text
    parts = _GUARD.split(text)
    guards = _GUARD.findall(text)
    out = [_converter.convert(p) if p else p for p in parts]
    result = "".join(a + b for a, b in zip(out, [*guards, ""], strict=True))
    for wrong, right in FIXES.items():
        result = result.replace(wrong, right)
    return result


def is_manual(message: Message | None) -> bool:
    return bool(
        message is not None
        and any(c.strip().lower().startswith("manual") for c in message.user_comments)
        and all(forms(message))
        and not message.fuzzy
    )


def fill_hant(source: Catalog) -> tuple[Catalog, int, int, list[str]]:
    path = po_path(TARGET)
    old = load(path, TARGET) if path.exists() else None
    target = copy.deepcopy(old) if old is not None else Catalog(locale=TARGET)
    set_header(target, language=TARGET, team="Chinese (Traditional)", plural_forms=CHINESE_PLURAL_FORMS,
               comment=f"Converted from zh_Hans by scripts/fill_hant.py (OpenCC {CONFIG}).\n"
                       "Entries with a translator comment \"manual\" keep their msgstr.\n"
                       "Regenerate with `make messages`.")
    wanted = {key(m) for m in source if m.id}
    for m in list(target):
        if m.id and key(m) not in wanted:
            target.delete(m.id, context=m.context)
    converted = manual = 0
    empty: list[str] = []
    for src in source:
        if not src.id:
            continue
        existing = old.get(src.id, context=src.context) if old is not None else None
        if is_manual(existing):
            manual += 1
            continue
        strings = [to_traditional(s) for s in forms(src)]
        msg = target.get(src.id, context=src.context)
        if msg is None:
            msg = target.add(src.id, context=src.context, locations=src.locations, flags=src.flags,
                             auto_comments=src.auto_comments)
        msg.string = strings[0] if isinstance(src.id, str) else strings
        msg.flags = {f for f in src.flags if f != "fuzzy"}
        msg.locations = list(src.locations)
        msg.auto_comments = list(src.auto_comments)
        converted += 1
        if not is_translated(msg):
            empty.append(label(src))
    return target, converted, manual, empty


def ensure_english(source: Catalog) -> tuple[bool, int]:
    """Keep en/…/django.po holding exactly the msgids of zh_Hans; existing msgstrs stay."""
    path = po_path(ENGLISH)
    catalog = load(path, ENGLISH) if path.exists() else Catalog(locale=ENGLISH)
    set_header(catalog, language=ENGLISH, team="English", plural_forms="nplurals=2; plural=(n != 1);",
               comment="English is the msgid: msgstrs may stay empty.\nRegenerate with `make messages`.")
    wanted = {key(m) for m in source if m.id}
    for m in list(catalog):
        if m.id and key(m) not in wanted:
            catalog.delete(m.id, context=m.context)
    for src in source:
        if not src.id:
            continue
        msg = catalog.get(src.id, context=src.context)
        if msg is None:
            catalog.add(src.id, string="" if isinstance(src.id, str) else ["", ""], context=src.context,
                        locations=src.locations, flags={f for f in src.flags if f != "fuzzy"},
                        auto_comments=src.auto_comments)
        elif msg.fuzzy:  # a fuzzy English guess would be wrong; the msgid itself is right
            msg.string = "" if isinstance(src.id, str) else [""] * len(forms(msg))
            msg.flags.discard("fuzzy")
    return save(catalog, path), sum(1 for m in catalog if m.id)


def main() -> int:
    source_path = po_path(SOURCE)
    if not source_path.exists():
        print(f"{source_path} does not exist: run `jianfu makemessages -l zh_Hans ...` first",
              file=sys.stderr)
        return 1
    source = load(source_path, SOURCE)
    target, converted, manual, empty = fill_hant(source)
    problems = [p for m in target if m.id for p in placeholder_problems(m)]
    changed = save(target, po_path(TARGET))
    en_changed, en_total = ensure_english(source)
    print(f"{po_path(TARGET).relative_to(ROOT)}: {converted} converted with OpenCC {CONFIG}, {manual} kept "
          f"as manual{'' if changed else ' (file unchanged)'}")
    print(f"{po_path(ENGLISH).relative_to(ROOT)}: {en_total} msgids"
          f"{'' if en_changed else ' (file unchanged)'}")
    if problems:
        print("placeholders differ:")
        for p in problems:
            print(f"  {p}")
    if empty:
        print("left empty in zh_Hant because zh_Hans has no msgstr (run scripts/po_zh_hans.py):")
        for e in empty:
            print(f"  {e!r}")
    return 1 if empty or problems else 0


if __name__ == "__main__":
    sys.exit(main())
