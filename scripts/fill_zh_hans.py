"""Fill jianfu/locale/zh_Hans/LC_MESSAGES/django.po from scripts/translations_zh_hans.py.

Run after `jianfu makemessages` (the Makefile's `messages` target does):

    .venv/bin/python scripts/fill_zh_hans.py           # merge: keep msgstrs already set, fill the rest
    .venv/bin/python scripts/fill_zh_hans.py --force   # let the dict overwrite msgstrs that differ

A fuzzy entry (msgmerge's guess after a msgid changed) counts as untranslated: its guess is
replaced from the dict, or dropped. Exits 1 and lists every msgid still untranslated, and every
msgstr whose placeholders differ from its msgid's, so `make messages` stops until the dict has them.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from _pocatalog import (
    CHINESE_PLURAL_FORMS,
    ROOT,
    forms,
    is_translated,
    label,
    load,
    placeholder_problems,
    po_path,
    save,
    set_header,
)
from translations_zh_hans import TRANSLATIONS

# Each module may keep its strings in scripts/translations_zh_hans_<module>.py; all are merged.
for _extra in sorted(ROOT.joinpath("scripts").glob("translations_zh_hans_*.py")):
    TRANSLATIONS = {**TRANSLATIONS, **importlib.import_module(_extra.stem).TRANSLATIONS}

LOCALE = "zh_Hans"


def dict_key(message):
    msgid = message.id if isinstance(message.id, str) else tuple(message.id)
    if message.context:
        return f"{message.context}\x04{msgid}" if isinstance(msgid, str) else (
            f"{message.context}\x04{msgid[0]}", msgid[1])
    return msgid


def wanted(message, value) -> str | list[str]:
    """The dict's value shaped as the message needs it: one string, or one per plural form."""
    if isinstance(message.id, str):
        if not isinstance(value, str):
            raise SystemExit(f"{label(message)!r}: a singular message needs a str in the dict")
        return value
    n = max(1, len(forms(message)))
    values = [value] if isinstance(value, str) else list(value)
    values += [values[-1]] * (n - len(values))
    return values[:n]


def forms_of(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="the dict overwrites msgstrs that differ")
    args = parser.parse_args(argv)

    path = po_path(LOCALE)
    if not path.exists():
        print(f"{path} does not exist: run `jianfu makemessages -l zh_Hans ...` first", file=sys.stderr)
        return 1
    catalog = load(path, LOCALE)
    set_header(catalog, language=LOCALE, team="Chinese (Simplified)", plural_forms=CHINESE_PLURAL_FORMS,
               comment="Filled by scripts/fill_zh_hans.py from scripts/translations_zh_hans.py.\n"
                       "Regenerate with `make messages`.")

    filled = kept = 0
    missing: list[str] = []
    differ: list[str] = []
    used: set = set()
    for message in catalog:
        if not message.id:
            continue
        k = dict_key(message)
        value = TRANSLATIONS.get(k)
        if value is not None:
            used.add(k)
        if is_translated(message):
            same = value is None or forms_of(wanted(message, value)) == forms(message)
            if same or not args.force:
                kept += 1
                if not same:
                    differ.append(label(message))
                continue
        if value is None:
            if message.fuzzy:  # msgmerge's guess for a changed msgid is not a translation
                message.string = "" if isinstance(message.id, str) else [""] * len(forms(message))
                message.flags.discard("fuzzy")
            missing.append(label(message))
            continue
        new = wanted(message, value)
        filled += 1
        message.string = new
        message.flags.discard("fuzzy")

    problems = [p for m in catalog if m.id for p in placeholder_problems(m)]
    changed = save(catalog, path)
    total = sum(1 for m in catalog if m.id)
    unused = [k for k in TRANSLATIONS if k not in used]
    print(f"{path.relative_to(ROOT)}: {total} msgids, {kept} kept, {filled} filled from the dict, "
          f"{len(missing)} missing{'' if changed else ' (file unchanged)'}")
    if unused:
        print(f"note: {len(unused)} dict entries match no msgid (old strings?):")
        for k in unused:
            print(f"  {k!r}")
    if differ:
        print(f"note: {len(differ)} msgstrs in the .po differ from the dict; "
              "kept (--force applies the dict):")
        for m in differ:
            print(f"  {m!r}")
    if problems:
        print("placeholders differ:")
        for p in problems:
            print(f"  {p}")
    if missing:
        print("untranslated (add them to scripts/translations_zh_hans.py):")
        for m in missing:
            print(f"  {m!r}")
    return 1 if missing or problems else 0


if __name__ == "__main__":
    sys.exit(main())
