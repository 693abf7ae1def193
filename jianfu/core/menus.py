"""The top bar's menus: apps register their entries in AppConfig.ready(); the site shows each person theirs.

An entry says who it is for with a predicate on the person, so that each role gets the menu of its own
jobs (a village cadre does not see the one-in-one-out ledger or the roles page). Access itself is decided
by the scope gate, never by the menu.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: Any
    order: int


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: Any  # text, or a function of the person ("Demands on our village")
    url_name: str
    group: str | None | Callable[[Any], str | None]  # None: a link of its own in the top bar
    order: int
    visible: Callable[[Any], bool]

    def label_for(self, person) -> Any:
        return self.label(person) if callable(self.label) else self.label

    def group_for(self, person) -> str | None:
        return self.group(person) if callable(self.group) else self.group


_GROUPS: dict[str, MenuGroup] = {}
_ENTRIES: dict[str, MenuEntry] = {}


def menu_group_register(*groups: MenuGroup) -> None:
    for group in groups:
        _GROUPS[group.key] = group


def menu_register(*entries: MenuEntry) -> None:
    for entry in entries:
        _ENTRIES[entry.key] = entry


def menu_entries(person) -> list[MenuEntry]:
    """The entries this person's jobs call for, in order."""
    return sorted((e for e in _ENTRIES.values() if e.visible(person)), key=lambda e: (e.order, e.key))


def menu_for(person, path: str) -> list[dict]:
    """The top bar: single links and groups of links, the group holding the current page marked."""
    def current(url: str) -> bool:
        return path == url or (url != "/" and path.startswith(url))

    items = [{"key": e.key, "label": e.label_for(person), "url": reverse(e.url_name), "group": e.group_for(person),
              "order": e.order} for e in menu_entries(person)]
    slots: list[tuple[int, dict]] = []
    grouped: dict[str, list[dict]] = {}
    for item in items:
        if item["group"] is None or item["group"] not in _GROUPS:
            slots.append((item["order"], {"label": item["label"], "items": [item], "single": True,
                                          "current": item["url"] == path}))
        else:
            grouped.setdefault(item["group"], []).append(item)
    for key, members in grouped.items():
        group = _GROUPS[key]
        if len(members) == 1:  # a menu of one entry is a plain link
            slots.append((group.order, {"label": members[0]["label"], "items": members, "single": True,
                                        "current": current(members[0]["url"])}))
        else:
            slots.append((group.order, {"label": group.label, "items": members, "single": False,
                                        "current": any(current(m["url"]) for m in members)}))
    return [slot for _order, slot in sorted(slots, key=lambda s: s[0])]
