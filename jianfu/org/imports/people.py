"""Checking and applying a people sheet: one row is one person with one role in one unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_noop

from jianfu.audit.services import Change, audit_record_many_plain
from jianfu.core.validation import is_login_name, refused_character

from ..forms import clean_phone
from ..models import Membership, Person, Role, Unit
from .columns import PEOPLE_COLUMNS, HeaderMap, find_header, parse_role
from .problems import ERROR, Problem
from .reading import Sheet
from .steps import CREATE, UPDATE, PlanConflict, Step, StepResult, nothing_refers_to
from .units import LOOKUP_CHUNK, _write_scope, _writes, chunks

Progress = Callable[[float], None]


@dataclass
class PersonRow:
    row: int
    username: str
    name: str
    phone: str | None  # None: the sheet has no phone column, keep what is stored
    title: str | None
    unit_code: str
    role: str | None
    duplicate: bool = False


@dataclass
class ExistingPerson:
    pk: int
    username: str
    name: str
    phone: str
    title: str
    is_active: bool

    def snapshot(self) -> dict[str, Any]:
        return {"username": self.username, "name": self.name, "phone": self.phone, "title": self.title,
                "is_active": self.is_active}


@dataclass
class PeoplePlan:
    header: HeaderMap | None
    rows: list[PersonRow] = field(default_factory=list)
    people: dict[str, ExistingPerson] = field(default_factory=dict)
    units: dict[str, tuple[int, str, bool]] = field(default_factory=dict)  # code -> (pk, path, active)
    memberships: dict[tuple[int, int, str], tuple[int, bool]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    creates: list[PersonRow] = field(default_factory=list)
    updates: list[PersonRow] = field(default_factory=list)
    unchanged: int = 0
    scope: tuple[bool, tuple[str, ...]] | None = None  # the actor's, as the check saw it

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)

    @property
    def total_rows(self) -> int:
        return len(self.rows)


PHONE_MESSAGE = gettext_noop("Enter an 11-digit mobile number or a landline such as 0735-2222222.")


def person_import_check(*, sheet: Sheet, actor: Person | None,
                        progress: Progress | None = None) -> PeoplePlan:
    """Check every row of a people sheet against the file and the database; write nothing."""
    header = find_header(sheet.rows, PEOPLE_COLUMNS)
    plan = PeoplePlan(header=header, problems=list(header.problems))
    if not header.ok:
        return plan
    col = header.headers
    problems = plan.problems

    def problem(row: int, key: str, msgid: str, **params: Any) -> None:
        problems.append(Problem(msgid, params, row=row, column=col[key]))

    data_rows = [(n, cells) for n, cells in sheet.rows if n > header.row]
    if not data_rows:
        problems.append(Problem(gettext_noop("The file has no data rows under the header.")))
        return plan
    has_phone = "phone" in header.index
    has_title = "title" in header.index
    may_grant_admin = actor is None or actor.is_superuser or actor.has_role(Role.SYSTEM_ADMIN)
    first_row_of: dict[str, int] = {}
    for i, (number, cells) in enumerate(data_rows):
        username = header.get(cells, "username")
        name = header.get(cells, "name")
        phone = header.get(cells, "phone") if has_phone else None
        title = header.get(cells, "title") if has_title else None
        unit_code = header.get(cells, "unit_code")
        role_text = header.get(cells, "role")
        for key, value in (("username", username), ("name", name), ("unit_code", unit_code),
                           ("role", role_text)):
            if not value:
                problem(number, key, gettext_noop("This value is required."))
        for key, value, limit in (("username", username, 64), ("name", name, 60), ("title", title or "", 80)):
            if len(value) > limit:
                problem(number, key, gettext_noop("At most %(max)s characters (this has %(n)s)."),
                        max=limit, n=len(value))
        for key, value in (("username", username), ("name", name), ("title", title or ""),
                           ("unit_code", unit_code)):
            bad = refused_character(value)
            if bad:
                problem(number, key, gettext_noop("This cell holds a character that cannot be stored (%(char)s); "
                                                  "remove it."), char=bad)
        if username and any(ch.isspace() for ch in username):
            problem(number, "username", gettext_noop("A login name cannot contain spaces."))
        elif username and not is_login_name(username):
            problem(number, "username", gettext_noop(
                "A login name may contain only letters, digits and . @ + - _ (no spaces)."))
        if phone:
            try:
                phone = clean_phone(phone)
            except forms.ValidationError:
                problem(number, "phone", PHONE_MESSAGE)
        role = parse_role(role_text) if role_text else None
        if role_text and role is None:
            problem(number, "role", gettext_noop(
                "Unknown role “%(value)s”. Use one of: 专班干部, 部门经办人, 基层干部, 纪检监督人员, 领导, "
                "系统管理员 (or task_force_officer, department_clerk, grassroots_cadre, oversight_officer, "
                "leader, system_admin)."), value=role_text)
        elif role == Role.SYSTEM_ADMIN and not may_grant_admin:
            problem(number, "role", gettext_noop("Only a system administrator can make someone a system "
                                                 "administrator."))
        row = PersonRow(number, username, name, phone, title, unit_code, role)
        if username:
            if username in first_row_of:
                row.duplicate = True
                problem(number, "username", gettext_noop(
                    "The login name %(username)s already appears in row %(first)s."),
                    username=username, first=first_row_of[username])
            else:
                first_row_of[username] = number
        plan.rows.append(row)
        if progress and i % 2000 == 1999:
            progress(0.6 * i / len(data_rows))

    usernames = sorted(first_row_of)
    for part in chunks(usernames, LOOKUP_CHUNK):
        for v in Person.objects.filter(username__in=part).values(
                "pk", "username", "name", "phone", "title", "is_active"):
            plan.people[v["username"]] = ExistingPerson(**v)
    unit_codes = sorted({r.unit_code for r in plan.rows if r.unit_code})
    for part in chunks(unit_codes, LOOKUP_CHUNK):
        for pk, code, path, active in Unit.objects.filter(code__in=part).values_list(
                "pk", "code", "path", "active"):
            plan.units[code] = (pk, path, active)
    person_ids = sorted(p.pk for p in plan.people.values())
    for part in chunks(person_ids, LOOKUP_CHUNK):
        for pk, person_id, unit_id, role, active in Membership.objects.filter(person_id__in=part).values_list(
                "pk", "person_id", "unit_id", "role", "active"):
            plan.memberships[(person_id, unit_id, role)] = (pk, active)
    if progress:
        progress(0.8)

    plan.scope = _write_scope(actor)
    writes = _writes(actor)
    for row in plan.rows:
        if not row.unit_code:
            continue
        unit = plan.units.get(row.unit_code)
        if unit is None or not writes(unit[1]):
            problem(row.row, "unit_code", gettext_noop(
                "Unknown unit %(code)s: it is not among the units you may change."), code=row.unit_code)
        elif not unit[2]:
            problem(row.row, "unit_code", gettext_noop("Unit %(code)s is inactive."), code=row.unit_code)

    for row in plan.rows:
        if row.duplicate or not row.username:
            continue
        person = plan.people.get(row.username)
        if person is None:
            plan.creates.append(row)
        elif _person_differs(row, person) or _grants(plan, row, person):
            plan.updates.append(row)
        else:
            plan.unchanged += 1
    problems.sort(key=lambda p: (p.row or 0, p.level != ERROR))
    if progress:
        progress(1.0)
    return plan


def _person_differs(row: PersonRow, person: ExistingPerson) -> bool:
    return (row.name != person.name or (row.phone is not None and row.phone != person.phone)
            or (row.title is not None and row.title != person.title))


def _grants(plan: PeoplePlan, row: PersonRow, person: ExistingPerson) -> bool:
    """Whether the row's role is new for this person (or ended and now given back)."""
    unit = plan.units.get(row.unit_code)
    if unit is None or row.role is None:
        return False
    current = plan.memberships.get((person.pk, unit[0], row.role))
    return current is None or not current[1]


def person_import_steps(plan: PeoplePlan, *, size: int | None = None) -> list[Step]:
    """The plan's writes in steps of at most JIANFU_WRITE_BATCH_ROWS rows: new people, then changed ones."""
    size = size or settings.JIANFU_WRITE_BATCH_ROWS
    return ([Step(CREATE, part) for part in chunks(plan.creates, size)]
            + [Step(UPDATE, part) for part in chunks(plan.updates, size)])


def person_import_step_apply(*, plan: PeoplePlan, step: Step, actor: Person | None, state: Any = None,
                             ) -> StepResult:
    """Check that the step still holds and write it: people, their roles and one audit record per row; the
    caller holds the transaction (one per step for a batched import, one for all steps otherwise)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import step must be written inside a transaction")
    rows: list[PersonRow] = step.rows
    _still_holds(plan, rows, actor)
    creates = [r for r in rows if r.username not in plan.people]
    updates = [r for r in rows if r.username in plan.people]
    new_people = []
    for r in creates:
        person = Person(username=r.username, name=r.name, phone=r.phone or "", title=r.title or "")
        person.set_unusable_password()
        new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=2000)
    pk_of = {p.username: p.pk for p in new_people}
    pk_of.update({r.username: plan.people[r.username].pk for r in updates})

    changed, updated_undo = [], []
    for r in updates:
        person = plan.people[r.username]
        if _person_differs(r, person):
            phone = person.phone if r.phone is None else r.phone
            title = person.title if r.title is None else r.title
            changed.append(Person(pk=person.pk, name=r.name, phone=phone, title=title, version=F("version") + 1))
            updated_undo.append([person.pk, [person.name, person.phone, person.title], [r.name, phone, title]])
    if changed:
        Person.objects.bulk_update(changed, ["name", "phone", "title", "version"], batch_size=200)

    new_memberships, reactivate = [], []
    granted: dict[str, dict[str, str] | None] = {}
    for r in creates + updates:
        unit_pk = plan.units[r.unit_code][0]
        key = (pk_of[r.username], unit_pk, r.role)
        current = plan.memberships.get(key)
        if current is None:
            new_memberships.append(Membership(person_id=key[0], unit_id=unit_pk, role=r.role))
        elif not current[1]:
            reactivate.append(current[0])
        else:
            continue
        granted[r.username] = {"unit": r.unit_code, "role": r.role}
    Membership.objects.bulk_create(new_memberships, batch_size=2000)
    for part in chunks(reactivate, LOOKUP_CHUNK):
        Membership.objects.filter(pk__in=part).update(active=True)

    changes: list[Change] = []
    for r in sorted(rows, key=lambda r: r.row):
        pk = pk_of[r.username]
        after = {"username": r.username, "name": r.name, "phone": r.phone or "", "title": r.title or "",
                 "is_active": True, "role_granted": granted.get(r.username)}
        person = plan.people.get(r.username)
        if person is None:
            changes.append(Change("person.create", "org.person", str(pk), r.name, None, after))
        else:
            before = person.snapshot()
            after["phone"] = person.phone if r.phone is None else r.phone
            after["title"] = person.title if r.title is None else r.title
            after["is_active"] = person.is_active
            changes.append(Change("person.update", "org.person", str(pk), r.name, before, after))
    audit_record_many_plain(actor=actor, changes=changes)
    return StepResult(created=len(creates), updated=len(updates), pks=pk_of, undo={
        "people": [p.pk for p in new_people], "memberships": [m.pk for m in new_memberships],
        "reactivated": reactivate, "updated": updated_undo})


def _still_holds(plan: PeoplePlan, rows: list[PersonRow], actor: Person | None) -> None:
    """Raise PlanConflict unless the actor's scope, the units the rows name, the people they name and those
    people's roles are still what the check saw."""
    if _write_scope(actor) != plan.scope:
        raise PlanConflict("the actor's scope changed")
    writes = _writes(actor)
    codes = sorted({r.unit_code for r in rows})
    units = {code: (pk, path, active) for pk, code, path, active in
             Unit.objects.filter(code__in=codes).values_list("pk", "code", "path", "active")}
    for code in codes:
        if units.get(code) != plan.units.get(code) or not writes(units[code][1]) or not units[code][2]:
            raise PlanConflict(f"unit {code} changed")
    current = {v["username"]: ExistingPerson(**v) for v in Person.objects.filter(
        username__in=[r.username for r in rows]).values("pk", "username", "name", "phone", "title", "is_active")}
    for r in rows:
        if current.get(r.username) != plan.people.get(r.username):
            raise PlanConflict(f"person {r.username} changed")
    roles = {(person_id, unit_id, role): (pk, active) for pk, person_id, unit_id, role, active in
             Membership.objects.filter(person_id__in=[p.pk for p in current.values()]).values_list(
                 "pk", "person_id", "unit_id", "role", "active")}
    for r in rows:
        person = current.get(r.username)
        if person is not None:
            key = (person.pk, plan.units[r.unit_code][0], r.role)
            if roles.get(key) != plan.memberships.get(key):
                raise PlanConflict(f"the roles of {r.username} changed")


def person_import_apply(*, plan: PeoplePlan, actor: Person | None, progress: Progress | None = None,
                        ) -> tuple[int, int]:
    """Write a checked plan in the caller's one transaction: people, their roles and their audit records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import must be applied inside one transaction")
    if not plan.ok:
        raise ValueError("a plan with errors cannot be applied")
    total = max(1, len(plan.creates) + len(plan.updates))
    done = created = updated = 0
    for step in person_import_steps(plan):
        result = person_import_step_apply(plan=plan, step=step, actor=actor)
        created, updated = created + result.created, updated + result.updated
        done += len(step.rows)
        if progress:
            progress(done / total)
    return created, updated


# --- undoing committed steps ----------------------------------------------------------------------------------

def person_import_step_undo(*, undo: dict[str, Any], actor: Person | None) -> list[str]:
    """Undo one committed step inside the caller's transaction; return the login names of people left as
    they are.

    A role the step granted is revoked; a person it created is deleted, unless someone has used them since
    (another role, a liaison, a login); a person it changed gets their earlier values back, unless someone
    changed them since.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("an import step must be undone inside a transaction")
    kept: list[str] = []
    changes: list[Change] = []
    granted = list(Membership.objects.filter(
        pk__in=undo.get("memberships", []) + undo.get("reactivated", []), active=True,
    ).select_related("person", "unit").order_by("pk"))
    for m in granted:
        if m.unit.liaison_id == m.person_id:
            kept.append(m.person.username)
            continue
        changes.append(Change("membership.revoke", "org.membership", str(m.pk), str(m),
                              {"person": m.person_id, "unit": m.unit.code, "role": m.role, "active": True},
                              {"active": False}))
    revoked = [m.pk for m in granted if m.person.username not in kept]
    created_roles = set(undo.get("memberships", []))
    Membership.objects.filter(pk__in=[pk for pk in revoked if pk in created_roles]).delete()
    Membership.objects.filter(pk__in=[pk for pk in revoked if pk not in created_roles]).update(active=False)

    for person in Person.objects.filter(pk__in=undo.get("people", [])).order_by("pk"):
        if person.last_login is not None or person.username in kept or not nothing_refers_to([person]):
            kept.append(person.username)
            continue
        changes.append(Change("person.delete", "org.person", str(person.pk), person.name,
                              _person_snapshot(person), None))
        person.delete()
    for pk, (name, phone, title), written in undo.get("updated", []):
        person = Person.objects.filter(pk=pk).first()
        if person is None:
            continue
        if [person.name, person.phone, person.title] != written:
            kept.append(person.username)
            continue
        before = _person_snapshot(person)
        Person.objects.filter(pk=pk).update(name=name, phone=phone, title=title, version=F("version") + 1)
        changes.append(Change("person.update", "org.person", str(pk), name, before,
                              {**before, "name": name, "phone": phone, "title": title}))
    audit_record_many_plain(actor=actor, changes=changes)
    return list(dict.fromkeys(kept))


def _person_snapshot(person: Person) -> dict[str, Any]:
    return {"username": person.username, "name": person.name, "phone": person.phone, "title": person.title,
            "is_active": person.is_active}
