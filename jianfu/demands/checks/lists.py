"""Checks against the 5 lists (5张清单): a filing of a listed kind must be an item of that year's approved list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from jianfu.rules.engine import Finding, RuleSet
from jianfu.textkit.shingles import fingerprint_set, jaccard

# A title this similar to an item's is that item; one at least PROPOSE similar is offered as the likely item.
MATCH = 0.8
PROPOSE = 0.3


@dataclass(frozen=True)
class Item:
    pk: int
    title: str


def check_list(*, data: dict[str, Any], title: str, rules: RuleSet, list_name: dict[str, str], year: int,
               items: Sequence[Item]) -> tuple[list[Finding], int | None]:
    """Return the findings and the matched item's id; `items` are the active items of the approved list."""
    rule = rules.get("lists.off_list")
    named = data.get("list_item_id")
    by_pk = {i.pk: i for i in items}
    if named is not None and named in by_pk:
        return [], named
    mine = fingerprint_set(title)
    scored = sorted(((jaccard(mine, fingerprint_set(i.title)), i) for i in items), key=lambda s: -s[0])
    if scored and scored[0][0] >= MATCH:
        return [], scored[0][1].pk
    if rule is None or not rule.value:
        return [], None
    detail: dict[str, Any] = {"year": year}
    fix, fix_params = gettext_noop("Choose the list item, or ask the task force to add it to the list."), {}
    if scored and scored[0][0] >= PROPOSE:
        similarity, closest = scored[0]
        detail |= {"proposed_item_id": closest.pk, "proposed_title": closest.title,
                   "similarity": round(similarity, 2)}
        fix = gettext_noop("Choose the list item (the closest is “%(title)s”), or ask the task force to add it "
                           "to the list.")
        fix_params = {"title": closest.title}
    return [Finding.of(rule, gettext_noop("Not on the %(list)s list for %(year)s."),
                       {"list": list_name, "year": str(year)}, fix=fix, fix_params=fix_params, **detail)], None
