"""Control numbers: unique, readable, kind-coded, with a check character against typing errors."""

from __future__ import annotations

import re

from django.db import transaction

from .models import KIND_CODES, ControlNumberCounter

ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O, which read as 1 and 0
PATTERN = re.compile(r"^(?P<kind>[A-Z]{2})-?(?P<year>\d{4})-?(?P<seq>\d{5})-?(?P<check>[0-9A-Z])$")


def check_char(body: str) -> str:
    total = 0
    for i, ch in enumerate(body):
        total += (i + 1) * (ALPHABET.index(ch) if ch in ALPHABET else ord(ch) % 34)
    return ALPHABET[total % len(ALPHABET)]


def format_number(kind_code: str, year: int, seq: int) -> str:
    body = f"{kind_code}{year}{seq:05d}"
    return f"{kind_code}-{year}-{seq:05d}-{check_char(body)}"


def normalise_number(raw: str) -> str | None:
    """Accept what a person types (spaces, lower case, no dashes); None if it cannot be a number."""
    cleaned = re.sub(r"[\s\u3000－—]", "", (raw or "").upper()).replace("_", "-")
    m = PATTERN.match(cleaned)
    if not m:
        return None
    body = f"{m['kind']}{m['year']}{m['seq']}"
    if check_char(body) != m["check"]:
        return None
    return f"{m['kind']}-{m['year']}-{m['seq']}-{m['check']}"


@transaction.atomic
def control_number_next(*, kind: str, year: int) -> str:
    code = KIND_CODES[kind]
    ControlNumberCounter.objects.get_or_create(kind_code=code, year=year)
    counter = ControlNumberCounter.objects.select_for_update().get(kind_code=code, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_number(code, year, counter.last)
