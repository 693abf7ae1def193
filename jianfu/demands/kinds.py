"""Every kind of demand plugs in here, the registry's own (document, meeting, trace: builtin_kinds.py) like
the other apps' (inspection, report form).

The registry keeps one lifecycle for every kind; the kind's handler says how its details are cleaned, what
its checks find, what it sets on the demand, which of the 5 lists it is checked against, what must hold
before the task force approves it, how it is filed and what the filing page shows about it. Apps register
in their AppConfig.ready(). The other extension points are hooks.py (filed, revised, status changed) and
panels.py (sections of the filing page).
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
    # copies facts of the cleaned details onto the demand (kept denormalised for the figures).
    apply: Callable[[Demand, dict[str, Any]], None] | None = None
    # the message when a version has no text although the kind needs one ("" = text is optional).
    body_required: Any = ""
    # which of the 5 lists a version is checked against (a ListKind), or None.
    list_kind: Callable[[Revision], str | None] | None = None
    # extra keyword arguments of the filing form for the issuing unit (e.g. the no-issuance categories).
    form_kwargs: Callable[[Any], dict[str, Any]] | None = None
    # minutes one receiving unit spends on the demand a year, stated on the filing form itself (a report
    # form's responses × minutes), for the burden preview; None when the estimate comes from activities.
    stated_unit_minutes: Callable[[Any], int | None] | None = None


_HANDLERS: dict[str, KindHandler] = {}


def kind_register(handler: KindHandler) -> None:
    _HANDLERS[handler.kind] = handler


def kind_handler(kind: str) -> KindHandler | None:
    return _HANDLERS.get(kind)


def kind_handlers() -> list[KindHandler]:
    return list(_HANDLERS.values())


# Panels a filing form loads beside itself as the clerk types (htmx POST of the form), e.g. what the demand
# will cost the grassroots; an app registers the URL name of its panel in AppConfig.ready().
_FORM_PANELS: list[str] = []


def form_panel_register(url_name: str) -> None:
    if url_name not in _FORM_PANELS:
        _FORM_PANELS.append(url_name)


def form_panels() -> list[str]:
    return list(_FORM_PANELS)
