"""Panels other apps add to a filing's page (e.g. its burden estimate), in order.

A panel is a template and a function giving its context for a demand and the person reading it; the
function returns None when the panel has nothing to show that person. Apps register panels in
AppConfig.ready(); the filing page renders them below the registry's own sections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class DetailPanel:
    name: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


_PANELS: dict[str, DetailPanel] = {}


def detail_panel_register(name: str, *, template: str, context: Callable[[Any, Any], dict[str, Any] | None],
                          order: int = 100) -> None:
    _PANELS[name] = DetailPanel(name=name, order=order, template=template, context=context)


def detail_panels_render(request, demand) -> list[SafeString]:
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.name)):
        extra = panel.context(demand, request.user)
        if extra is None:
            continue
        out.append(render_to_string(panel.template, {"demand": demand, **extra}, request=request))
    return out
