"""Writing a checked units plan in batches, each one transaction short enough for other writers to go between.

A plan is cut into steps (new units layer by layer from the top, then changes, moves in the order of their
final depth). Before a step writes, it checks under its transaction that what it depends on is still what
the plan was checked against (the units it names and their parents, the actor's scope, the sub-units of
units it deactivates); if not, it raises `PlanConflict` and writes nothing. Each step writes its units,
their paths and their audit records, and returns what undoes it (decision 0013).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from jianfu.audit.services import Change, audit_record_many_plain

from ..models import Person, Unit
from .steps import CREATE, UPDATE, PlanConflict, Step, StepResult, nothing_refers_to
from .units import (
    LOOKUP_CHUNK,
    MAX_DEPTH,
    ExistingUnit,
    UnitPlan,
    UnitRow,
    _depths,
    _existing_units,
    _select_in,
    _unit_sql,
    _write_scope,
    _writes,
    chunks,
)

Progress = Callable[[float], None]

# What the check relied on about a unit: it exists with this id, type, parent and state (None: it does not).
Signature = tuple[int, str, str | None, bool] | None


@dataclass
class WriteState:
    """What the units the plan names should look like before the next step: as checked, then as written."""

    in_file: set[str]
    expected: dict[str, Signature]
    created: set[str] = field(default_factory=set)


def _signature(unit: ExistingUnit | None) -> Signature:
    return None if unit is None else (unit.pk, unit.type, unit.parent_code, unit.active)


def unit_write_state(plan: UnitPlan) -> WriteState:
    expected: dict[str, Signature] = {code: _signature(unit) for code, unit in plan.existing.items()}
    for row in plan.creates:
        expected[row.code] = None
    return WriteState(in_file={r.code for r in plan.rows if r.code and not r.duplicate}, expected=expected)


def unit_import_steps(plan: UnitPlan, *, size: int | None = None) -> list[Step]:
    """The plan's writes in an order in which each step's parents already stand where the step needs them.

    A step has at most JIANFU_WRITE_BATCH_ROWS rows (2,000: at about 10,000 rows/s, a fifth of a second of
    SQLite's write lock).
    """
    size = size or settings.JIANFU_WRITE_BATCH_ROWS
    in_file = {r.code: r for r in plan.creates + plan.updates}
    layer_of: dict[str, int] = {}
    layers: dict[int, list[UnitRow]] = defaultdict(list)
    for row in plan.creates:
        chain, node = [], row
        while node.code not in layer_of:
            chain.append(node)
            parent = in_file.get(node.parent_code) if node.parent_code else None
            if parent is None or parent.code in plan.existing:
                layer_of[node.code] = 0
                chain.pop()
                break
            node = parent
        base = layer_of[node.code]
        for r in reversed(chain):
            base += 1
            layer_of[r.code] = base
        layers[layer_of[row.code]].append(row)
    steps = [Step(CREATE, part) for depth in sorted(layers) for part in chunks(layers[depth], size)]
    # A unit moves after every unit above its new place has moved, so no move passes through its own subtree.
    file_rows = {r.code: r for r in plan.rows if r.code and not r.duplicate}
    depth = _depths(file_rows, plan.existing, set())
    updates = sorted(plan.updates, key=lambda r: (depth.get(r.code, 0), r.row))
    steps += [Step(UPDATE, part) for part in chunks(updates, size)]
    return steps


def unit_import_step_apply(*, plan: UnitPlan, step: Step, actor: Person | None, state: WriteState,
                           ) -> StepResult:
    """Check that the step still holds and write it: units, paths and audit records; the caller holds the
    transaction (one per step for a batched import, one for all steps otherwise)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import step must be written inside a transaction")
    if _write_scope(actor) != plan.scope:
        raise PlanConflict("the actor's scope changed")
    writes = _writes(actor)
    codes = {r.code for r in step.rows} | {r.parent_code for r in step.rows if r.parent_code}
    current = _existing_units(codes)
    for code in codes:
        if _signature(current.get(code)) != state.expected.get(code):
            raise PlanConflict(f"unit {code} changed")
        unit = current.get(code)
        if unit is not None and code not in state.created and not writes(unit.path):
            raise PlanConflict(f"unit {code} is no longer writable")
    now = timezone.now()
    if step.kind == CREATE:
        result = _create(step.rows, current, now)
    else:
        result = _update(step.rows, current, state, now)
    changes: list[Change] = []
    for r in sorted(step.rows, key=lambda r: r.row):
        after = {"code": r.code, "name": r.name, "type": r.type, "parent": r.parent_code or None}
        if step.kind == CREATE:
            after["active"] = r.active is not False
            after["liaison"] = None
            changes.append(Change("unit.create", "org.unit", str(result.pks[r.code]), r.name, None, after))
        else:
            before = current[r.code].snapshot()
            after["active"] = before["active"] if r.active is None else r.active
            after["liaison"] = before["liaison"]
            changes.append(Change("unit.update", "org.unit", str(current[r.code].pk), r.name, before, after))
    audit_record_many_plain(actor=actor, changes=changes)
    for r in step.rows:
        pk = result.pks[r.code] if step.kind == CREATE else current[r.code].pk
        active = (r.active is not False) if step.kind == CREATE else (
            current[r.code].active if r.active is None else r.active)
        state.expected[r.code] = (pk, r.type, r.parent_code or None, active)
        if step.kind == CREATE:
            state.created.add(r.code)
    return result


def _create(rows: list[UnitRow], current: dict[str, ExistingUnit], now: datetime) -> StepResult:
    part = [(r.code, r.name, r.type, current[r.parent_code].pk if r.parent_code else None, r.active is not False)
            for r in rows]
    new_pks = _insert_units(part, now)
    _write_paths({new_pks[code]: parent_id for code, _n, _t, parent_id, _a in part})
    if Unit.objects.filter(pk__in=list(new_pks.values()), level__gt=MAX_DEPTH).exists():
        raise PlanConflict("the tree grew too deep")
    return StepResult(created=len(rows), undo={"created": [new_pks[r.code] for r in rows]}, pks=new_pks)


def _update(rows: list[UnitRow], current: dict[str, ExistingUnit], state: WriteState, now: datetime,
            ) -> StepResult:
    # Deactivating a unit: every active sub-unit must be one the sheet decides about.
    deactivated = [current[r.code].pk for r in rows if r.active is False and current[r.code].active]
    for part in chunks(deactivated, LOOKUP_CHUNK):
        for code in Unit.objects.filter(parent_id__in=part, active=True).values_list("code", flat=True):
            if code not in state.in_file:
                raise PlanConflict(f"unit {code} is an active sub-unit")
    changed, moved, undo = [], [], []
    for r in rows:
        unit = current[r.code]
        parent_id = current[r.parent_code].pk if r.parent_code else None
        active = unit.active if r.active is None else bool(r.active)
        if parent_id != unit.parent_id:
            moved.append((unit.pk, parent_id))
        changed.append(Unit(pk=unit.pk, name=r.name, type=r.type, parent_id=parent_id, active=active,
                            version=F("version") + 1, updated_at=now))
        undo.append([unit.pk, unit.name, unit.type, unit.parent_id, unit.active, r.name, r.type, parent_id, active])
    Unit.objects.bulk_update(changed, ["name", "type", "parent", "active", "version", "updated_at"], batch_size=200)
    for pk, parent_id in moved:
        _move(pk, parent_id)
    return StepResult(updated=len(rows), undo={"updated": undo})


def _move(pk: int, parent_id: int | None) -> None:
    """Give a unit that changed parent, and its whole subtree, their new paths and levels, from the paths the
    database holds now (an earlier move in the same import may have moved the new parent)."""
    old_path, old_level = Unit.objects.filter(pk=pk).values_list("path", "level").get()
    if parent_id is None:
        new_path, new_level = f"/{pk}/", 0
    else:
        parent_path, parent_level = Unit.objects.filter(pk=parent_id).values_list("path", "level").get()
        if parent_path.startswith(old_path):
            raise PlanConflict("a unit would move under its own sub-unit")
        new_path, new_level = f"{parent_path}{pk}/", parent_level + 1
    if new_path == old_path:
        return
    subtree = Unit.objects.filter(path__startswith=old_path)
    subtree.update(path=Concat(Value(new_path), Substr("path", len(old_path) + 1), output_field=CharField()),
                   level=F("level") + (new_level - old_level))
    deepest = Unit.objects.filter(path__startswith=new_path).aggregate(deepest=Max("level"))["deepest"]
    if deepest is not None and deepest > MAX_DEPTH:
        raise PlanConflict("the tree grew too deep")


def unit_import_apply(*, plan: UnitPlan, actor: Person | None, progress: Progress | None = None,
                      ) -> tuple[int, int]:
    """Write a checked plan in the caller's one transaction: create, update, re-path and audit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import must be applied inside one transaction")
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    state = unit_write_state(plan)
    total = max(1, len(plan.creates) + len(plan.updates))
    done = created = updated = 0
    for step in unit_import_steps(plan):
        result = unit_import_step_apply(plan=plan, step=step, actor=actor, state=state)
        created, updated = created + result.created, updated + result.updated
        done += len(step.rows)
        if progress:
            progress(done / total)
    return created, updated


# --- undoing committed steps ----------------------------------------------------------------------------------

def unit_import_step_undo(*, undo: dict[str, Any], actor: Person | None) -> list[str]:
    """Undo one committed step inside the caller's transaction; return the codes of units left as they are.

    A created unit is deleted, unless something now refers to it (someone gave it a person or a filing while
    the import ran); a changed unit gets its earlier values back, unless someone changed it since.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import step must be undone inside a transaction")
    kept: list[str] = []
    changes: list[Change] = []
    if undo.get("created"):
        units = list(Unit.objects.filter(pk__in=undo["created"]).select_related("parent").order_by("pk"))
        # Usually nothing refers to the new units yet and they go in one statement; else one by one.
        whole = nothing_refers_to(units)
        for group in [units] if whole else [[u] for u in units]:
            if not whole and not nothing_refers_to(group):
                kept.append(group[0].code)
                continue
            changes += [Change("unit.delete", "org.unit", str(u.pk), u.name, _snapshot(u), None) for u in group]
            Unit.objects.filter(pk__in=[u.pk for u in group]).delete()
    for pk, name, type_, parent_id, active, new_name, new_type, new_parent_id, new_active in undo.get("updated", []):
        unit = Unit.objects.filter(pk=pk).select_related("parent").first()
        if unit is None:
            continue
        if (unit.name, unit.type, unit.parent_id, unit.active) != (new_name, new_type, new_parent_id, new_active):
            kept.append(unit.code)
            continue
        before = _snapshot(unit)
        Unit.objects.filter(pk=pk).update(name=name, type=type_, parent_id=parent_id, active=active,
                                          version=F("version") + 1, updated_at=timezone.now())
        if parent_id != new_parent_id:
            _move(pk, parent_id)
        unit.refresh_from_db()
        changes.append(Change("unit.update", "org.unit", str(pk), unit.name, before, _snapshot(unit)))
    audit_record_many_plain(actor=actor, changes=changes)
    return kept


def _snapshot(unit: Unit) -> dict[str, Any]:
    return {"code": unit.code, "name": unit.name, "type": unit.type,
            "parent": unit.parent.code if unit.parent_id else None, "active": unit.active,
            "liaison": unit.liaison_id}


# --- writing many rows at once ----------------------------------------------------------------------------------

def _insert_units(rows: list[tuple[str, str, str, int | None, bool]], now: datetime) -> dict[str, int]:
    """Insert new units given as (code, name, type, parent_id, active); return their primary keys by code.

    One executemany instead of bulk_create: building and compiling a model instance per row cost more
    than the rest of an import. Every other column gets its field's default (path and level are written
    by _write_paths afterwards).
    """
    given = [Unit._meta.get_field(name) for name in ("code", "name", "type", "parent", "active")]
    rest = [f for f in Unit._meta.concrete_fields if not f.primary_key and f not in given]
    constant = tuple(
        f.get_db_prep_save(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                           else f.get_default(), connection)
        for f in rest)
    q = connection.ops.quote_name
    sql = (f"INSERT INTO {q(Unit._meta.db_table)} ({', '.join(q(f.column) for f in given + rest)}) "  # noqa: S608 - names only
           f"VALUES ({', '.join(['%s'] * (len(given) + len(rest)))})")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [row + constant for row in rows])
    return dict(_select_in(_unit_sql(f"u.{q('code')}, u.{q('id')}"), [row[0] for row in rows]))


def _write_paths(parent_of: dict[int, int | None]) -> None:
    """Compute "/pk/pk/…/" and the level for every unit whose place changed, and write them in one batch."""
    outside = {p for p in parent_of.values() if p is not None and p not in parent_of}
    known: dict[int, str] = {}
    for part in chunks(sorted(outside), LOOKUP_CHUNK):
        known.update(Unit.objects.filter(pk__in=part).values_list("pk", "path"))
    paths: dict[int, str] = {}
    for start in parent_of:
        chain: list[int] = []
        node: int | None = start
        prefix = "/"
        while node is not None:
            if node in paths:
                prefix = paths[node]
                break
            if node not in parent_of:
                prefix = known[node]
                break
            chain.append(node)
            node = parent_of[node]
        for pk in reversed(chain):
            prefix = f"{prefix}{pk}/"
            paths[pk] = prefix
    table = connection.ops.quote_name(Unit._meta.db_table)
    path_col, level_col, id_col = (connection.ops.quote_name(c) for c in ("path", "level", "id"))
    sql = f"UPDATE {table} SET {path_col} = %s, {level_col} = %s WHERE {id_col} = %s"  # noqa: S608 - names only
    rows = [(path, path.count("/") - 2, pk) for pk, path in paths.items()]
    with connection.cursor() as cursor:
        for part in chunks(rows, 5000):
            cursor.executemany(sql, part)
