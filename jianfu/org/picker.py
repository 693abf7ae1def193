"""Reads behind the unit picker: which units a field may name for a person, searched a page at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .models import Person, Unit, UnitType
from .scoping import units_targetable, units_visible, units_writable

# How many matches one keystroke brings back; more means "type more".
PICK_LIMIT = 20

# The person-dependent sets a picker may search. Each is what the matching form validates against, or wider
# only where the form narrows it further (then the form refuses the rest with a clear message).
PICKER_SCOPES = {
    "targetable": lambda person: units_targetable(person),
    "writable": lambda person: units_writable(person).filter(active=True),
    "visible": lambda person: units_visible(person).filter(active=True),
}

TYPES = frozenset(UnitType.values)


@dataclass(frozen=True)
class PickedLabel:
    """What a person reads about one unit in the picker: its name, type and the units above it."""

    pk: int
    name: str
    code: str
    type_label: str
    parents: str


def picker_units(*, actor: Person | None, scope: str, types: Iterable[str] = (),
                 exclude_types: Iterable[str] = ()) -> QuerySet[Unit]:
    """The units a picker of this scope offers to the person, before any search."""
    if scope not in PICKER_SCOPES:
        return Unit.objects.none()
    qs = PICKER_SCOPES[scope](actor)
    types = [t for t in types if t in TYPES]
    if types:
        qs = qs.filter(type__in=types)
    exclude_types = [t for t in exclude_types if t in TYPES]
    if exclude_types:
        qs = qs.exclude(type__in=exclude_types)
    return qs


def unit_pick_search(*, actor: Person | None, scope: str, q: str = "", types: Iterable[str] = (),
                     exclude_types: Iterable[str] = (), limit: int = PICK_LIMIT) -> tuple[list[Unit], bool]:
    """Up to `limit` units of the scope whose name or code contains `q`, in tree order, and whether there are
    more. The database stops at limit + 1 rows: the unit table is never read into Python."""
    qs = picker_units(actor=actor, scope=scope, types=types, exclude_types=exclude_types)
    q = " ".join((q or "").split())[:60]
    for word in q.split(" ") if q else ():
        qs = qs.filter(Q(name__icontains=word) | Q(code__icontains=word))
    rows = list(qs.order_by("path").only("pk", "name", "code", "type", "path")[: limit + 1])
    return rows[:limit], len(rows) > limit


def unit_labels(units: Iterable[Unit], *, allowed: QuerySet[Unit] | None = None,
                actor: Person | None = None) -> list[PickedLabel]:
    """Labels for the units, with the names of the units above each. An upper unit is named only if it is in
    `allowed` or visible to the person, so the path tells no more than the person may know."""
    units = list(units)
    above: set[int] = set()
    for u in units:
        above.update(u.ancestor_ids)
    names: dict[int, str] = {}
    if above:
        known = Q(pk__in=[])
        if allowed is not None:
            known |= Q(pk__in=allowed.values("pk"))
        if actor is not None:
            known |= Q(pk__in=units_visible(actor).values("pk"))
        names = dict(Unit.objects.filter(known, pk__in=above).values_list("pk", "name"))
    labels = dict(UnitType.choices)
    return [PickedLabel(pk=u.pk, name=u.name, code=u.code, type_label=str(labels.get(u.type, u.type)),
                        parents=" › ".join(names[i] for i in u.ancestor_ids if i in names)) for u in units]
