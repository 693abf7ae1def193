"""Checking and applying a units sheet: every row is checked before anything is written."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from jianfu.audit.services import Change, audit_record_many

from ..models import ALLOWED_PARENTS, Person, Unit, UnitType
from ..scoping import scope_for
from .columns import UNIT_COLUMNS, HeaderMap, find_header, parse_active, parse_unit_type
from .problems import ERROR, Problem, msgid_of
from .reading import Sheet

Progress = Callable[[float], None]

MAX_DEPTH = 30
LOOKUP_CHUNK = 500


def chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    type: str | None
    parent_code: str
    active: bool | None  # None: the sheet does not say, keep the unit's current state
    duplicate: bool = False


@dataclass
class ExistingUnit:
    pk: int
    code: str
    name: str
    type: str
    parent_id: int | None
    parent_code: str | None
    active: bool
    path: str
    level: int
    liaison_id: int | None

    def snapshot(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "type": self.type, "parent": self.parent_code,
                "active": self.active, "liaison": self.liaison_id}


@dataclass
class UnitPlan:
    """What a units sheet would do: the rows, the units they touch, and every problem found."""

    header: HeaderMap | None
    rows: list[UnitRow] = field(default_factory=list)
    existing: dict[str, ExistingUnit] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    creates: list[UnitRow] = field(default_factory=list)
    updates: list[UnitRow] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)

    @property
    def total_rows(self) -> int:
        return len(self.rows)


def _existing_units(codes: Iterable[str]) -> dict[str, ExistingUnit]:
    found: dict[str, ExistingUnit] = {}
    for part in chunks(sorted(codes), LOOKUP_CHUNK):
        for v in Unit.objects.filter(code__in=part).values(
                "pk", "code", "name", "type", "parent_id", "parent__code", "active", "path", "level",
                "liaison_id"):
            found[v["code"]] = ExistingUnit(
                pk=v["pk"], code=v["code"], name=v["name"], type=v["type"], parent_id=v["parent_id"],
                parent_code=v["parent__code"], active=v["active"], path=v["path"], level=v["level"],
                liaison_id=v["liaison_id"])
    return found


def _writes(actor: Person | None) -> Callable[[str], bool]:
    if actor is None:
        return lambda path: True
    scope = scope_for(actor)
    if scope.write_everything:
        return lambda path: True
    prefixes = scope.write_paths
    return lambda path: any(path.startswith(p) for p in prefixes)


def unit_import_check(*, sheet: Sheet, actor: Person | None, progress: Progress | None = None) -> UnitPlan:
    """Check every row of a units sheet against the file and the database; write nothing."""
    header = find_header(sheet.rows, UNIT_COLUMNS)
    plan = UnitPlan(header=header, problems=list(header.problems))
    if not header.ok:
        return plan
    col = header.headers
    problems = plan.problems

    def problem(row: int, key: str, msgid: str, **params: Any) -> None:
        problems.append(Problem(msgid, params, row=row, column=col[key]))

    # 1. Each row on its own.
    data_rows = [(n, cells) for n, cells in sheet.rows if n > header.row]
    if not data_rows:
        problems.append(Problem(gettext_noop("The file has no data rows under the header.")))
        return plan
    first_row_of: dict[str, int] = {}
    has_active = "active" in header.index
    for i, (number, cells) in enumerate(data_rows):
        code = header.get(cells, "code")
        name = header.get(cells, "name")
        type_text = header.get(cells, "type")
        parent_code = header.get(cells, "parent_code")
        active_text = header.get(cells, "active") if has_active else ""
        for key, value in (("code", code), ("name", name), ("type", type_text)):
            if not value:
                problem(number, key, gettext_noop("This value is required."))
        for key, value, limit in (("code", code, 32), ("name", name, 120), ("parent_code", parent_code, 32)):
            if len(value) > limit:
                problem(number, key, gettext_noop("At most %(max)s characters (this has %(n)s)."),
                        max=limit, n=len(value))
        if code and any(ch.isspace() for ch in code):
            problem(number, "code", gettext_noop("A code cannot contain spaces."))
        unit_type = parse_unit_type(type_text) if type_text else None
        if type_text and unit_type is None:
            problem(number, "type", gettext_noop(
                "Unknown unit type “%(value)s”. Use one of: city, county, township, village, department, "
                "task force, other (市, 县, 乡镇, 村, 部门, 专班, 其他)."), value=type_text)
        active = None
        if active_text:
            try:
                active = parse_active(active_text)
            except ValueError:
                problem(number, "active", gettext_noop(
                    "Write “启用” (active) or “停用” (inactive), or leave it empty; found “%(value)s”."),
                    value=active_text)
        row = UnitRow(number, code, name, unit_type, parent_code, active)
        if code:
            if code in first_row_of:
                row.duplicate = True
                problem(number, "code", gettext_noop("The code %(code)s already appears in row %(first)s."),
                        code=code, first=first_row_of[code])
            else:
                first_row_of[code] = number
        plan.rows.append(row)
        if progress and i % 2000 == 1999:
            progress(0.5 * i / len(data_rows))

    # 2. Against the database and the rest of the file.
    in_file: dict[str, UnitRow] = {r.code: r for r in plan.rows if r.code and not r.duplicate}
    parent_codes = {r.parent_code for r in plan.rows if r.parent_code} - in_file.keys()
    existing = _existing_units(in_file.keys() | parent_codes)
    plan.existing = existing
    writes = _writes(actor)
    if progress:
        progress(0.6)

    for row in in_file.values():
        unit = existing.get(row.code)
        if unit is not None and not writes(unit.path):
            problem(row.row, "code", gettext_noop(
                "Unit %(code)s already exists outside the units you may change."), code=row.code)

    def final_type(code: str) -> str | None:
        if code in in_file:
            return in_file[code].type
        return existing[code].type

    def final_active(code: str) -> bool:
        if code in in_file and in_file[code].active is not None:
            return bool(in_file[code].active)
        unit = existing.get(code)
        return unit.active if unit is not None else True

    # The parent each row ends up with, following database ancestry where a parent is not in the file,
    # so that moving existing units cannot build a loop through units the sheet does not mention.
    pk_to_file_code = {existing[c].pk: c for c in in_file if c in existing}
    next_in_file: dict[str, str | None] = {}
    for row in plan.rows:
        if row.duplicate:
            continue
        if not row.parent_code:
            if row.type is not None and None not in ALLOWED_PARENTS[row.type]:
                problem(row.row, "parent_code", gettext_noop(
                    "A unit of type “%(type)s” needs a parent unit code."),
                    type=msgid_of(UnitType(row.type).label))
            if row.code:
                next_in_file[row.code] = None
            continue
        if row.parent_code == row.code:
            problem(row.row, "parent_code", gettext_noop("A unit cannot be its own parent."))
            continue
        if row.parent_code in in_file:
            parent_known = True
            if row.code:
                next_in_file[row.code] = row.parent_code
        elif row.parent_code in existing and writes(existing[row.parent_code].path):
            parent_known = True
            if row.code:
                parent = existing[row.parent_code]
                ancestors = [int(p) for p in parent.path.strip("/").split("/") if p][:-1]
                next_in_file[row.code] = next(
                    (pk_to_file_code[pk] for pk in reversed(ancestors) if pk in pk_to_file_code), None)
        else:
            parent_known = False
            problem(row.row, "parent_code", gettext_noop(
                "Unknown parent unit %(code)s: it is neither in this file nor among the units you may "
                "change."), code=row.parent_code)
        if not parent_known:
            continue
        parent_type = final_type(row.parent_code)
        if row.type is not None and parent_type is not None and parent_type not in ALLOWED_PARENTS[row.type]:
            problem(row.row, "parent_code", gettext_noop(
                "A unit of type “%(type)s” cannot sit under %(parent)s, which is of type “%(parent_type)s”."),
                type=msgid_of(UnitType(row.type).label), parent=row.parent_code,
                parent_type=msgid_of(UnitType(parent_type).label))
        if _row_active(row, existing) and not final_active(row.parent_code):
            problem(row.row, "parent_code", gettext_noop(
                "The parent unit %(code)s is inactive, so this unit cannot be active."),
                code=row.parent_code)

    # 3. Loops in the parent chain, and trees too deep for the materialised path.
    in_cycle = _find_cycles(next_in_file)
    for cycle in in_cycle:
        chain = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            problem(in_file[code].row, "parent_code", gettext_noop(
                "The parent chain goes round in a circle: %(chain)s."), chain=chain)
    looping = {c for cycle in in_cycle for c in cycle}
    depth = _depths(in_file, existing, looping)
    for code, d in depth.items():
        if d > MAX_DEPTH:
            problem(in_file[code].row, "parent_code", gettext_noop(
                "The unit would sit %(depth)s levels deep; at most %(max)s levels are allowed."),
                depth=d, max=MAX_DEPTH)

    # 4. Deactivating a unit whose sub-units stay active.
    deactivated = {existing[c].pk: c for c, r in in_file.items()
                   if c in existing and existing[c].active and r.active is False}
    if deactivated:
        for part in chunks(list(deactivated), LOOKUP_CHUNK):
            for child in Unit.objects.filter(parent_id__in=part, active=True).values("code", "parent_id"):
                if child["code"] in in_file:
                    continue  # the sheet decides that child's state and parent itself
                code = deactivated[child["parent_id"]]
                problem(in_file[code].row, "active", gettext_noop(
                    "Unit %(code)s still has the active sub-unit %(child)s; deactivate that first."),
                    code=code, child=child["code"])

    # 5. What would change.
    for code, row in in_file.items():
        unit = existing.get(code)
        if unit is None:
            plan.creates.append(row)
        elif _differs(row, unit):
            plan.updates.append(row)
        else:
            plan.unchanged += 1
    problems.sort(key=lambda p: (p.row or 0, p.level != ERROR))
    if progress:
        progress(1.0)
    return plan


def _differs(row: UnitRow, unit: ExistingUnit) -> bool:
    return (row.name != unit.name or row.type != unit.type or (row.parent_code or None) != unit.parent_code
            or (row.active is not None and row.active != unit.active))


def _find_cycles(next_of: dict[str, str | None]) -> list[list[str]]:
    """Return each loop in the parent graph once, walking iteratively so a long chain cannot overflow."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: finished
    cycles: list[list[str]] = []
    for start in next_of:
        if state.get(start):
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in next_of and not state.get(node):
            state[node] = 1
            walk.append(node)
            node = next_of[node]
        if node is not None and state.get(node) == 1:
            cycles.append(walk[walk.index(node):])
        for n in walk:
            state[n] = 2
    return cycles


def _row_active(row: UnitRow, existing: dict[str, ExistingUnit]) -> bool:
    if row.active is not None:
        return row.active
    unit = existing.get(row.code)
    return unit.active if unit is not None else True


def _depths(in_file: dict[str, UnitRow], existing: dict[str, ExistingUnit],
            looping: set[str]) -> dict[str, int]:
    """Level each row would have (city = 0); rows below a loop are left out, the loop is the problem."""
    depth: dict[str, int | None] = {}
    for start in in_file:
        if start in depth or start in looping:
            continue
        chain: list[str] = []
        seen: set[str] = set()
        node = start
        base: int | None
        while True:
            if node in depth:
                base = depth[node]
                break
            if node in looping or node in seen:
                base = None
                break
            if node not in in_file:
                unit = existing.get(node)
                base = unit.level if unit is not None else -1
                break
            chain.append(node)
            seen.add(node)
            parent = in_file[node].parent_code
            if not parent:
                base = -1
                break
            node = parent
        for code in reversed(chain):
            base = None if base is None else base + 1
            depth[code] = base
    return {c: d for c, d in depth.items() if d is not None}


def unit_import_apply(*, plan: UnitPlan, actor: Person | None, progress: Progress | None = None,
                      ) -> tuple[int, int]:
    """Write a checked plan: create, update, re-path and audit; the caller holds the transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import must be applied inside one transaction")
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    existing = plan.existing
    in_file = {r.code: r for r in plan.creates + plan.updates}
    pk_of: dict[str, int] = {code: unit.pk for code, unit in existing.items()}
    total = max(1, len(plan.creates) + len(plan.updates))
    done = 0

    # Create top-down: a layer's parents exist (and have primary keys) before the layer is inserted.
    layers: dict[int, list[UnitRow]] = defaultdict(list)
    layer_of: dict[str, int] = {}
    for row in plan.creates:
        chain = []
        node = row
        while node.code not in layer_of:
            chain.append(node)
            parent = in_file.get(node.parent_code) if node.parent_code else None
            if parent is None or parent.code in existing:
                layer_of[node.code] = 0
                chain.pop()
                break
            node = parent
        base = layer_of[node.code]
        for r in reversed(chain):
            base += 1
            layer_of[r.code] = base
        layers[layer_of[row.code]].append(row)
    created: list[Unit] = []
    for depth in sorted(layers):
        batch = [Unit(code=r.code, name=r.name, type=r.type, active=r.active is not False,
                      parent_id=pk_of[r.parent_code] if r.parent_code else None, path="", level=0)
                 for r in layers[depth]]
        for part in chunks(batch, 2000):
            Unit.objects.bulk_create(part)
            done += len(part)
            if progress:
                progress(0.6 * done / total)
        for r, unit in zip(layers[depth], batch, strict=True):
            pk_of[r.code] = unit.pk
        created.extend(batch)

    # Update existing units; note the ones that move, whose whole subtree needs a new path.
    now = timezone.now()
    changed: list[Unit] = []
    moved: list[ExistingUnit] = []
    for r in plan.updates:
        unit = existing[r.code]
        parent_id = pk_of[r.parent_code] if r.parent_code else None
        if parent_id != unit.parent_id:
            moved.append(unit)
        changed.append(Unit(pk=unit.pk, name=r.name, type=r.type, parent_id=parent_id,
                            active=unit.active if r.active is None else r.active,
                            version=F("version") + 1, updated_at=now))
    if changed:
        Unit.objects.bulk_update(changed, ["name", "type", "parent", "active", "version", "updated_at"],
                                 batch_size=200)
    done += len(changed)
    if progress:
        progress(0.65)

    parent_of: dict[int, int | None] = {u.pk: u.parent_id for u in created}
    for unit in moved:
        parent_of[unit.pk] = pk_of[in_file[unit.code].parent_code] if in_file[unit.code].parent_code else None
        subtree = Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)
        for pk, parent_id in subtree.values_list("pk", "parent_id"):
            parent_of.setdefault(pk, parent_id)
    _write_paths(parent_of)
    if progress:
        progress(0.8)

    # One audit record per created or changed row, in sheet order.
    by_pk = {u.pk: u for u in created}
    changes: list[Change] = []
    for r in sorted(plan.creates + plan.updates, key=lambda r: r.row):
        pk = pk_of[r.code]
        after = {"code": r.code, "name": r.name, "type": r.type, "parent": r.parent_code or None}
        if r.code in existing:
            before = existing[r.code].snapshot()
            after["active"] = before["active"] if r.active is None else r.active
            after["liaison"] = before["liaison"]
            changes.append(Change("unit.update", "org.unit", str(pk), r.name, before, after))
        else:
            after["active"] = by_pk[pk].active
            after["liaison"] = None
            changes.append(Change("unit.create", "org.unit", str(pk), r.name, None, after))
    audit_record_many(actor=actor, changes=changes)
    if progress:
        progress(1.0)
    return len(plan.creates), len(plan.updates)


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
