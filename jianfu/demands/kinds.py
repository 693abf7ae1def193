"""Kinds of demand that other apps file through the gate plug in here.

The registry keeps one lifecycle for every kind; an app that owns a kind (inspections, report forms)
registers how its details are cleaned, what its checks find, what must hold before the task force
approves it, and what the filing page shows about it. Apps register in their AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jianfu.org.models import Person
    from jianfu.rules.engine import Finding as FoundFinding
    from jianfu.rules.engine import RuleSet

    from .models import Demand, Revision


@dataclass(frozen=True)
class KindHandler:
    kind: str
    # data from a form or the API → the cleaned details kept on the version; raises ApplicationError.
    clean: Callable[[dict[str, Any]], dict[str, Any]]
    # the findings of the kind's own rules; may set demand.burden_minutes (saved by the caller).
    check: Callable[[Demand, Revision, RuleSet, dt.date], list[FoundFinding]]
    # raises ApplicationError when the task force may not approve yet (e.g. an off-plan inspection).
    before_approve: Callable[[Demand, Person | None], None] | None = None
    # the template included on the filing page and the context it needs.
    detail_template: str = ""
    detail_context: Callable[[Demand, Revision | None, Person], dict[str, Any]] | None = None
    # where a clerk files a new one / a new version, when the app has its own pages for it (the edit URL
    # takes the demand's pk).
    new_url_name: str = ""
    edit_url_name: str = ""
    # when filed through the registry's own filing page: the form, what it files, and how a version
    # fills the form again; file_label names the page ("File an inspection outside the plan").
    form_class: type | None = None
    form_data: Callable[[Any], tuple[str, dict[str, Any]]] | None = None
    initial: Callable[[Revision], dict[str, Any]] | None = None
    file_label: Any = ""


_HANDLERS: dict[str, KindHandler] = {}


def kind_register(handler: KindHandler) -> None:
    _HANDLERS[handler.kind] = handler


def kind_handler(kind: str) -> KindHandler | None:
    return _HANDLERS.get(kind)


# Panels a filing form loads beside itself as the clerk types (htmx POST of the form), e.g. what the demand
# will cost the grassroots; an app registers the URL name of its panel in AppConfig.ready().
_FORM_PANELS: list[str] = []


def form_panel_register(url_name: str) -> None:
    if url_name not in _FORM_PANELS:
        _FORM_PANELS.append(url_name)


def form_panels() -> list[str]:
    return list(_FORM_PANELS)
