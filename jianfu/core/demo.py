"""The demo's loaders: each app registers how it adds its part of the demo city, and in which order.

The site's `jianfu demo` command runs them in order inside one transaction. A loader receives the shared
context (the personas and the units by their demo aliases, filled by the loaders before it) and may add
to it, so a later app can refer to what an earlier one created without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DemoLoader:
    name: str
    order: int
    load: Callable[[dict[str, Any]], Any]


_LOADERS: dict[str, DemoLoader] = {}


def demo_loader_register(name: str, *, order: int, load: Callable[[dict[str, Any]], Any]) -> None:
    _LOADERS[name] = DemoLoader(name=name, order=order, load=load)


def demo_loaders() -> list[DemoLoader]:
    return sorted(_LOADERS.values(), key=lambda loader: (loader.order, loader.name))
