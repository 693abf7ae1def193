"""The registry's hooks: what other apps do when a demand is filed, revised or changes status.

Hooks are explicit and ordered, and run inside the service's transaction (not Django signals), so that a
failing hook rolls the whole change back and the order of work is the same every time. An app registers
its hooks in AppConfig.ready(); the registry's services are the only callers of `hooks_run`.

- FILED: a new demand entered the registry (filed as a draft, recorded from the old ledger, or registered
  from an approved plan).
- REVISED: a demand's facts changed (a new version, or receiving units joined by a merge).
- STATUS_CHANGED: a demand moved in its lifecycle (submitted, approved, returned, rejected, withdrawn, merged).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jianfu.org.models import Person

    from .models import Demand

FILED = "filed"
REVISED = "revised"
STATUS_CHANGED = "status_changed"
EVENTS = (FILED, REVISED, STATUS_CHANGED)

HookFn = Callable[["Demand", "Person | None"], None]


@dataclass(frozen=True)
class Hook:
    event: str
    name: str
    order: int
    run: HookFn


_HOOKS: dict[str, dict[str, Hook]] = {event: {} for event in EVENTS}


def hook_register(event: str, name: str, run: HookFn, *, order: int = 100) -> None:
    if event not in _HOOKS:
        raise ValueError(f"unknown registry event {event!r}")
    _HOOKS[event][name] = Hook(event=event, name=name, order=order, run=run)


def hooks_for(event: str) -> list[Hook]:
    return sorted(_HOOKS[event].values(), key=lambda h: (h.order, h.name))


def hooks_run(event: str, *, demand: Demand, by: Person | None) -> None:
    for hook in hooks_for(event):
        hook.run(demand, by)
