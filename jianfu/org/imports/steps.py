"""What the batched writes of every kind of import share: a step, what it wrote and how to undo it, and the
conflict that stops it (decision 0013).

A step is written in its own transaction; before it writes, it checks that what it relies on is still what
the check of the file saw, and raises `PlanConflict` (having written nothing) if not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector

CREATE, UPDATE = "create", "update"


class PlanConflict(Exception):
    """Something a step depends on changed since the plan was checked; the step wrote nothing."""


@dataclass
class Step:
    kind: str
    rows: list


@dataclass
class StepResult:
    created: int = 0
    updated: int = 0
    undo: dict[str, Any] = field(default_factory=dict)
    pks: dict[str, int] = field(default_factory=dict)  # of the rows created, by code or login name


def nothing_refers_to(objects: list[models.Model]) -> bool:
    """Whether deleting these rows (all of one model) would delete or be refused by nothing else."""
    if not objects:
        return True
    model = type(objects[0])
    collector = Collector(using=objects[0]._state.db, origin=objects[0])
    try:
        collector.collect(objects)
    except (ProtectedError, RestrictedError):
        return False
    if any(m is not model and objs for m, objs in collector.data.items()):
        return False
    # A reference that would only be cleared (a unit's liaison) is a use too.
    for updates in collector.field_updates.values():
        for objs in updates:
            if objs.exists() if isinstance(objs, models.QuerySet) else objs:
                return False
    return not any(qs.exists() for qs in collector.fast_deletes)
