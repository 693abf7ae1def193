"""Keep the simplified-Chinese catalogue complete; the .po file is the one source of translations.

    .venv/bin/python scripts/po_zh_hans.py                  # check: list what is untranslated, exit 1 if any
    .venv/bin/python scripts/po_zh_hans.py --missing F.json  # write the untranslated msgids to fill in
    .venv/bin/python scripts/po_zh_hans.py --apply F.json    # set the msgstrs from a filled-in file

Translate in jianfu/locale/zh_Hans/LC_MESSAGES/django.po directly, or through the JSON round trip above
for many new strings at once. JSON keys: the msgid; "context\\u0004msgid" for a message with a context;
"msgid\\u0000msgid_plural" for a plural one (the value is its one Chinese form). Keep every placeholder as
in the msgid: %(name)s, %(count)d, and the %(var)s that a {% blocktrans %} {{ var }} becomes.

A fuzzy entry (msgmerge's guess after a msgid changed) counts as untranslated and its guess is dropped.
Run scripts/fill_hant.py afterwards: it derives the traditional-Chinese catalogue from this one.
Vocabulary: docs/glossary.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

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

LOCALE = "zh_Hans"


def json_key(message) -> str:
    msgid = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    return f"{message.context}\x04{msgid}" if message.context else msgid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--missing", type=Path, help="write the untranslated msgids to this JSON file")
    group.add_argument("--apply", type=Path, help="set msgstrs from this JSON file")
    args = parser.parse_args(argv)

    path = po_path(LOCALE)
    if not path.exists():
        print(f"{path} does not exist: run `make messages`", file=sys.stderr)
        return 1
    catalog = load(path, LOCALE)
    set_header(catalog, language=LOCALE, team="Chinese (Simplified)", plural_forms=CHINESE_PLURAL_FORMS,
               comment="The one source of the Chinese translations; scripts/po_zh_hans.py checks it.")
    for message in catalog:
        if message.id and message.fuzzy:
            message.string = "" if isinstance(message.id, str) else [""] * len(forms(message))
            message.flags.discard("fuzzy")

    if args.apply:
        values = json.loads(args.apply.read_text(encoding="utf-8"))
        applied = 0
        for message in catalog:
            value = values.get(json_key(message)) if message.id else None
            if not value:
                continue
            message.string = value if isinstance(message.id, str) else [value] * max(1, len(forms(message)))
            applied += 1
        print(f"applied {applied} of {len(values)} translations")

    missing = [m for m in catalog if m.id and not is_translated(m)]
    problems = [p for m in catalog if m.id for p in placeholder_problems(m)]
    save(catalog, path)
    if args.missing:
        args.missing.write_text(json.dumps({json_key(m): "" for m in missing}, ensure_ascii=False, indent=1),
                                encoding="utf-8")
        print(f"{len(missing)} untranslated msgids written to {args.missing}")
        return 0
    total = sum(1 for m in catalog if m.id)
    print(f"{path.relative_to(ROOT)}: {total} msgids, {len(missing)} untranslated")
    for p in problems:
        print(f"placeholders differ: {p}")
    for m in missing:
        print(f"untranslated: {label(m)!r}")
    return 1 if missing or problems else 0


if __name__ == "__main__":
    sys.exit(main())
