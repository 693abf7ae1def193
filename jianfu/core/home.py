"""Home-page cards: apps register theirs in AppConfig.ready(), and may add tiles and actions to cards other
apps own; the home page shows a person the cards of their jobs, in order.

A card's numbers are tiles: each tile's count is computed by the selector of the page its link opens, with
the same parameters, so the number on the home page and the page behind it always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TILES_TEMPLATE = "home/_tiles.html"


def page_url(view: str, /, *args, **params) -> str:
    """A page's URL with its query parameters (empty ones left out): where a tile's number leads."""
    from urllib.parse import urlencode

    from django.urls import reverse

    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(view, args=args) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Tile:
    label: Any
    count: int | float
    url: str
    attention: bool = False  # highlighted while the count is above zero


@dataclass(frozen=True)
class Action:
    label: Any
    url: str
    primary: bool = False


@dataclass
class CardContent:
    title: Any
    tiles: list[Tile] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    note: Any = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HomeCard:
    key: str
    order: int
    # The card's content for this person, or None when the card is not for them.
    content: Callable[[Any], CardContent | None]
    template: str = TILES_TEMPLATE


@dataclass
class Part:
    tiles: list[Tile] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True)
class CardPart:
    """What an app adds to a card another app (or the site) owns, e.g. burden hours on the leader's figures."""

    card: str
    key: str
    order: int
    part: Callable[[Any], Part | None]


_CARDS: dict[str, HomeCard] = {}
_PARTS: dict[tuple[str, str], CardPart] = {}


def home_card_register(*cards: HomeCard) -> None:
    for card in cards:
        _CARDS[card.key] = card


def home_part_register(*parts: CardPart) -> None:
    for part in parts:
        _PARTS[(part.card, part.key)] = part


def home_cards(person) -> list[dict[str, Any]]:
    """The cards for this person, in order, each with the tiles other apps add to it; a card left without
    tiles, actions or anything else to show is dropped."""
    shown = []
    for card in sorted(_CARDS.values(), key=lambda c: (c.order, c.key)):
        content = card.content(person)
        if content is None:
            continue
        for registered in sorted((p for p in _PARTS.values() if p.card == card.key), key=lambda p: p.order):
            part = registered.part(person)
            if part is not None:
                content.tiles.extend(part.tiles)
                content.actions.extend(part.actions)
        if card.template == TILES_TEMPLATE and not (content.tiles or content.actions or content.extra):
            continue
        shown.append({"key": card.key, "template": card.template, "card": content})
    return shown
