"""Checking a units sheet: every row is checked before anything is written (writing it: `unit_writes`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.translation import gettext_noop

from jianfu.core.validation import refused_character

from ..models import ALLOWED_PARENTS, Person, Unit, UnitType
from ..scoping import scope_for
from .columns import UNIT_COLUMNS, HeaderMap, find_header, parse_active, parse_unit_type
from .problems import ERROR, Problem, msgid_of
from .reading import Sheet

Progress = Callable[[float], None]

MAX_DEPTH = 30
LOOKUP_CHUNK = 500
RAW_CHUNK = 2000
_WHITESPACE = re.compile(r"\s")  # what str.isspace() is true for


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
    # What else the check read from the database, so that the apply can tell whether it still holds.
    scope: tuple[bool, tuple[str, ...]] | None = None
    active_children: list[tuple[str, int]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)

    @property
    def total_rows(self) -> int:
        return len(self.rows)


def _select_in(sql: str, values: list) -> list[tuple]:
    """Run `sql`, whose one %s stands for an IN list, over the values in chunks; return all the rows.

    Raw SQL because Django's IN lookup prepares every value in Python, which cost three times the
    query itself for the tens of thousands of codes in a large sheet.
    """
    size = min(connection.features.max_query_params or RAW_CHUNK, RAW_CHUNK)
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for part in chunks(values, size):
            cursor.execute(sql % ", ".join(["%s"] * len(part)), part)
            rows.extend(cursor.fetchall())
    return rows


def _unit_sql(select: str, *, parent: bool = False) -> str:
    """SELECT `select` FROM the units (as u; with their parents as p) WHERE u.code IN (%s)."""
    q = connection.ops.quote_name
    table = q(Unit._meta.db_table)
    join = f" LEFT OUTER JOIN {table} p ON p.{q('id')} = u.{q('parent_id')}" if parent else ""
    return f"SELECT {select} FROM {table} u{join} WHERE u.{q('code')} IN (%s)"  # noqa: S608 - names only


def _existing_units(codes: Iterable[str]) -> dict[str, ExistingUnit]:
    q = connection.ops.quote_name
    columns = ", ".join(f"u.{q(c)}" for c in ("id", "code", "name", "type", "parent_id"))
    columns += f", p.{q('code')}, " + ", ".join(f"u.{q(c)}" for c in ("active", "path", "level", "liaison_id"))
    found: dict[str, ExistingUnit] = {}
    for pk, code, name, type_, parent_id, parent_code, active, path, level, liaison_id in _select_in(
            _unit_sql(columns, parent=True), sorted(codes)):
        # SQLite gives booleans back as 0 and 1.
        found[code] = ExistingUnit(pk=pk, code=code, name=name, type=type_, parent_id=parent_id,
                                   parent_code=parent_code, active=bool(active), path=path, level=level,
                                   liaison_id=liaison_id)
    return found


def _write_scope(actor: Person | None) -> tuple[bool, tuple[str, ...]]:
    """(writes everything, the path prefixes written) of the person an import acts for."""
    if actor is None:
        return True, ()
    scope = scope_for(actor)
    return scope.write_everything, scope.write_paths


def _writes(actor: Person | None) -> Callable[[str], bool]:
    everything, prefixes = _write_scope(actor)
    if everything:
        return lambda path: True
    return lambda path: any(path.startswith(p) for p in prefixes)


def _lookup_codes(rows: list[UnitRow]) -> tuple[dict[str, UnitRow], set[str]]:
    """The rows that count (first of each code) and every code the check looks up in the database."""
    in_file: dict[str, UnitRow] = {r.code: r for r in rows if r.code and not r.duplicate}
    parent_codes = {r.parent_code for r in rows if r.parent_code} - in_file.keys()
    return in_file, in_file.keys() | parent_codes


def _active_children(in_file: dict[str, UnitRow], existing: dict[str, ExistingUnit]) -> list[tuple[str, int]]:
    """(code, parent id) of the active sub-units, not in the sheet, of units the sheet deactivates."""
    deactivated = [existing[c].pk for c, r in in_file.items()
                   if c in existing and existing[c].active and r.active is False]
    found: list[tuple[str, int]] = []
    for part in chunks(deactivated, LOOKUP_CHUNK):
        for code, parent_id in Unit.objects.filter(parent_id__in=part, active=True).values_list("code", "parent_id"):
            if code not in in_file:  # the sheet decides that child's state and parent itself
                found.append((code, parent_id))
    return found


def unit_import_recheck(*, plan: UnitPlan, actor: Person | None) -> bool:
    """Whether a plan checked earlier still holds: the check would find the same again.

    Besides the file, the check reads only the units the sheet names, the actor's scope and the active
    sub-units of units it deactivates; if those are unchanged, so is every finding, and the apply need
    not read and check the whole file again.
    """
    if plan.scope is None or not plan.ok:
        return False
    in_file, codes = _lookup_codes(plan.rows)
    if _write_scope(actor) != plan.scope:
        return False
    existing = _existing_units(codes)
    return existing == plan.existing and _active_children(in_file, existing) == plan.active_children


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
        for key, value in (("code", code), ("name", name), ("parent_code", parent_code)):
            bad = refused_character(value)
            if bad:
                # The same rule as the forms and the API (core.validation), reported per cell.
                problem(number, key, gettext_noop("This cell holds a character that cannot be stored (%(char)s); "
                                                  "remove it."), char=bad)
        if code and _WHITESPACE.search(code):
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
    in_file, codes = _lookup_codes(plan.rows)
    existing = _existing_units(codes)
    plan.existing = existing
    plan.scope = _write_scope(actor)
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
    plan.active_children = _active_children(in_file, existing)
    code_of = {unit.pk: c for c, unit in existing.items()}
    for child, parent_id in plan.active_children:
        code = code_of[parent_id]
        problem(in_file[code].row, "active", gettext_noop(
            "Unit %(code)s still has the active sub-unit %(child)s; deactivate that first."),
            code=code, child=child)

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
