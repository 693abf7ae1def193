"""Every write to the organisation: units, people, memberships, liaisons, the task force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jianfu.audit.services import audit_record
from jianfu.core.errors import ApplicationError, StaleEditError
from jianfu.core.validation import clean_code, clean_login_name, clean_text

from .models import (
    ALLOWED_PARENTS,
    Membership,
    Person,
    Role,
    Secondment,
    TaskForceGroup,
    Unit,
    UnitType,
)
from .permissions import Perm
from .scoping import require, scope_for


def unit_snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "code": unit.code, "name": unit.name, "type": unit.type,
        "parent": unit.parent.code if unit.parent_id else None, "active": unit.active,
        "liaison": unit.liaison_id,
    }


def person_snapshot(person: Person) -> dict[str, Any]:
    return {"username": person.username, "name": person.name, "phone": person.phone,
            "title": person.title, "is_active": person.is_active, "email": person.email, "digest": person.digest,
            "preferred_language": person.preferred_language}



def _clean_type(type: str) -> str:
    if type not in UnitType.values:
        raise ApplicationError(_("Choose one of the unit types."), code="type")
    return type


def _clean_unit_texts(changes: dict[str, Any]) -> None:
    """The rules of a unit's code and name, the same for the page, the API and the commands."""
    if "code" in changes:
        changes["code"] = clean_code(changes["code"], required=False)
    if "name" in changes:
        changes["name"] = clean_text(changes["name"], field="name", label=Unit._meta.get_field("name").verbose_name,
                                     max_length=120)


def _check_parent(*, type: str, parent: Unit | None, unit: Unit | None = None) -> None:
    allowed = ALLOWED_PARENTS[type]
    parent_type = parent.type if parent else None
    if parent_type not in allowed:
        if parent is None:
            raise ApplicationError(_("A unit of this type needs a parent unit."), code="parent_required")
        raise ApplicationError(
            _("A %(type)s cannot sit under a %(parent)s.")
            % {"type": UnitType(type).label, "parent": UnitType(parent_type).label},
            code="parent_type",
        )
    if unit is not None and unit.pk and parent is not None and parent.path.startswith(unit.path):
        raise ApplicationError(_("A unit cannot be moved under itself or its own sub-units."),
                               code="parent_cycle")


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.level = parent_path.count("/") - 1


@transaction.atomic
def unit_create(*, by: Person | None, code: str, name: str, type: str, parent: Unit | None = None,
                active: bool = True) -> Unit:
    require(by, Perm.ORG_MANAGE)
    texts = {"code": code, "name": name}
    _clean_unit_texts(texts)
    code, name = texts["code"], texts["name"]
    if not code or not name:
        raise ApplicationError(_("Code and name are both required."), code="required")
    type = _clean_type(type)
    if Unit.objects.filter(code=code).exists():
        raise ApplicationError(_("Unit code %(code)s is already used.") % {"code": code},
                               code="duplicate_code")
    if by is not None and parent is not None and not scope_for(by).writes(parent):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    _check_parent(type=type, parent=parent)
    unit = Unit.objects.create(code=code, name=name, type=type, parent=parent, active=active)
    _set_path(unit)
    unit.save(update_fields=["path", "level"])
    audit_record(actor=by, action="unit.create", obj=unit, after=unit_snapshot(unit))
    return unit


# Renaming or moving a unit changes what every filing, figure and export says about it: a person gives a reason.
NEEDS_REASON = ("code", "name", "type", "parent")


@transaction.atomic
def unit_update(*, by: Person | None, unit: Unit, version: int | None = None, reason: str = "",
                **changes: Any) -> Unit:
    """Change a unit's fields; `version` guards against overwriting someone else's edit. A person who renames
    or moves a unit (code, name, type or parent) says why; the reason is kept in the audit record."""
    require(by, Perm.ORG_MANAGE)
    locked = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    if version is not None and locked.version != version:
        raise StaleEditError(
            _("Someone else changed this unit after you opened it. Reload to see their change."),
            code="stale",
        )
    before = unit_snapshot(locked)
    allowed = {"code", "name", "type", "parent", "active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown unit fields: {sorted(unknown)}")
    _clean_unit_texts(changes)
    for key in ("code", "name"):
        if key in changes and not changes[key]:
            raise ApplicationError(_("Code and name are both required."), code="required")
    if "type" in changes:
        changes["type"] = _clean_type(changes["type"])
    if "code" in changes and Unit.objects.filter(code=changes["code"]).exclude(pk=locked.pk).exists():
        raise ApplicationError(_("Unit code %(code)s is already used.") % {"code": changes["code"]},
                               code="duplicate_code")
    if changes.get("active") is False and locked.active and locked.children.filter(active=True).exists():
        raise ApplicationError(_("Deactivate the unit's active sub-units first."), code="has_children")
    new_type = changes.get("type", locked.type)
    new_parent = changes.get("parent", locked.parent)
    if by is not None and new_parent is not None and not scope_for(by).writes(new_parent):
        raise ApplicationError(_("You cannot move a unit under a unit outside your scope."), code="forbidden")
    _check_parent(type=new_type, parent=new_parent, unit=locked)
    if new_type != locked.type:
        # The unit's children must still be allowed under its new type.
        for child_type in locked.children.values_list("type", flat=True).distinct():
            if new_type not in ALLOWED_PARENTS[child_type]:
                raise ApplicationError(
                    _("A %(type)s cannot sit under a %(parent)s.")
                    % {"type": UnitType(child_type).label, "parent": UnitType(new_type).label},
                    code="parent_type",
                )
    # Asked last, so a change the rules refuse anyway says why first.
    reason = clean_text(reason, field="reason", label=_("Reason"), multiline=True, max_length=500)
    renamed_or_moved = any(key in changes and changes[key] != getattr(locked, key) for key in NEEDS_REASON)
    if by is not None and renamed_or_moved and not reason:
        raise ApplicationError(_("Say why the unit is renamed or moved; the reason is kept in the audit log."),
                               code="reason")
    old_path = locked.path
    for key, value in changes.items():
        setattr(locked, key, value)
    if "parent" in changes:
        _set_path(locked)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    if locked.path != old_path:
        _repath_subtree(old_path, locked.path)
    after = unit_snapshot(locked)
    if reason:
        after["reason"] = reason
    audit_record(actor=by, action="unit.update", obj=locked, before=before, after=after)
    return locked


def _repath_subtree(old_path: str, new_path: str) -> None:
    depth_change = new_path.count("/") - old_path.count("/")
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(path=old_path)
    batch = []
    for d in descendants.only("pk", "path", "level"):
        d.path = new_path + d.path[len(old_path):]
        d.level = d.level + depth_change
        batch.append(d)
    Unit.objects.bulk_update(batch, ["path", "level"], batch_size=1000)


@transaction.atomic
def unit_set_active(*, by: Person | None, unit: Unit, active: bool) -> Unit:
    require(by, Perm.ORG_MANAGE)
    if not active and unit.children.filter(active=True).exists():
        raise ApplicationError(_("Deactivate the unit's active sub-units first."), code="has_children")
    return unit_update(by=by, unit=unit, active=active)


@transaction.atomic
def liaison_set(*, by: Person | None, unit: Unit, person: Person | None) -> Unit:
    """Name (or clear) the unit's liaison; the liaison must belong to the unit."""
    require(by, Perm.LIAISON_SET)
    if by is not None and not scope_for(by).writes(unit):
        raise ApplicationError(_("You cannot change this unit."), code="forbidden")
    if person is not None and not Membership.objects.filter(person=person, unit=unit, active=True).exists():
        raise ApplicationError(_("The liaison must be a member of the unit."), code="not_member")
    before = {"liaison": unit.liaison_id}
    Unit.objects.filter(pk=unit.pk).update(liaison=person, version=F("version") + 1)
    unit.refresh_from_db()
    audit_record(actor=by, action="unit.liaison_set", obj=unit, before=before,
                 after={"liaison": unit.liaison_id, "liaison_name": person.name if person else None})
    return unit


def _clean_person_texts(*, name: str, phone: str, title: str) -> tuple[str, str, str]:
    field = Person._meta.get_field
    name = clean_text(name, field="name", label=field("name").verbose_name, max_length=60)
    phone = clean_text(phone, field="phone", label=field("phone").verbose_name, max_length=20)
    title = clean_text(title, field="title", label=field("title").verbose_name, max_length=80)
    return name, phone, title


@transaction.atomic
def person_create(*, by: Person | None, username: str, name: str, phone: str = "", title: str = "",
                  password: str | None = None) -> Person:
    require(by, Perm.ORG_MANAGE)
    if not (username or "").strip() or not (name or "").strip():
        raise ApplicationError(_("Login name and name are both required."), code="required")
    username = clean_login_name(username)
    name, phone, title = _clean_person_texts(name=name, phone=phone, title=title)
    if not name:
        raise ApplicationError(_("Login name and name are both required."), code="required")
    if Person.objects.filter(username=username).exists():
        raise ApplicationError(_("Login name %(name)s is already used.") % {"name": username},
                               code="duplicate_username")
    person = Person.objects.create_user(username, password, name=name, phone=phone, title=title)
    audit_record(actor=by, action="person.create", obj=person, after=person_snapshot(person))
    return person


@transaction.atomic
def person_update(*, by: Person | None, person: Person, version: int | None = None, **changes: Any) -> Person:
    require(by, Perm.ORG_MANAGE)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and locked.version != version:
        raise StaleEditError(
            _("Someone else changed this person after you opened the page. Reload to see their change."),
            code="stale",
        )
    allowed = {"name", "phone", "title", "is_active", "preferred_language", "email"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    before = person_snapshot(locked)
    texts = {"name": locked.name, "phone": locked.phone, "title": locked.title}
    texts.update({k: v for k, v in changes.items() if k in texts})
    cleaned = dict(zip(("name", "phone", "title"), _clean_person_texts(**texts), strict=True))
    changes.update({k: v for k, v in cleaned.items() if k in changes})
    if not cleaned["name"]:
        raise ApplicationError(_("Login name and name are both required."), code="required")
    for key, value in changes.items():
        setattr(locked, key, value.strip() if isinstance(value, str) else value)
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="person.update", obj=locked, before=before, after=person_snapshot(locked))
    return locked


@transaction.atomic
def person_settings_update(*, by: Person, email: str, digest: bool, preferred_language: str) -> Person:
    """A person changes their own e-mail address, digest and language; nobody else's."""
    from django.conf import settings
    from django.core.validators import validate_email

    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApplicationError(_("Enter a valid e-mail address."), code="email") from exc
    if preferred_language and preferred_language not in {code for code, _name in settings.LANGUAGES}:
        raise ApplicationError(_("Choose one of the languages offered."), code="preferred_language")
    locked = Person.objects.select_for_update().get(pk=by.pk)
    before = person_snapshot(locked)
    locked.email, locked.digest, locked.preferred_language = email[:254], bool(digest), preferred_language
    locked.version = F("version") + 1
    locked.save()
    locked.refresh_from_db()
    audit_record(actor=by, action="person.settings", obj=locked, before=before, after=person_snapshot(locked))
    return locked


@transaction.atomic
def person_set_password(*, by: Person | None, person: Person, password: str) -> Person:
    if by is not None and by.pk != person.pk:
        require(by, Perm.ORG_MANAGE)
    person.set_password(password)
    person.save(update_fields=["password"])
    audit_record(actor=by, action="person.set_password", obj=person, after={"password": "changed"})
    return person


@transaction.atomic
def membership_grant(*, by: Person | None, person: Person, unit: Unit, role: str) -> Membership:
    require(by, Perm.ORG_MANAGE)
    if role not in Role.values:
        raise ApplicationError(_("Unknown role."), code="role")
    if by is not None and not scope_for(by).writes(unit):
        raise ApplicationError(_("You cannot change this unit."), code="forbidden")
    membership, created = Membership.objects.get_or_create(person=person, unit=unit, role=role)
    if not created and membership.active:
        return membership
    membership.active = True
    membership.save(update_fields=["active"])
    audit_record(actor=by, action="membership.grant", obj=membership,
                 after={"person": person.pk, "unit": unit.code, "role": role})
    return membership


@transaction.atomic
def membership_revoke(*, by: Person | None, membership: Membership) -> Membership:
    require(by, Perm.ORG_MANAGE)
    if not membership.active:
        return membership
    membership.active = False
    membership.save(update_fields=["active"])
    if membership.unit.liaison_id == membership.person_id and not Membership.objects.filter(
        person=membership.person, unit=membership.unit, active=True
    ).exists():
        Unit.objects.filter(pk=membership.unit_id).update(liaison=None)
    audit_record(actor=by, action="membership.revoke", obj=membership,
                 before={"person": membership.person_id, "unit": membership.unit.code,
                         "role": membership.role, "active": True},
                 after={"active": False})
    return membership


@transaction.atomic
def task_force_group_create(*, by: Person | None, task_force: Unit, kind: str, name: str,
                            duties: str = "") -> TaskForceGroup:
    require(by, Perm.ORG_MANAGE)
    if task_force.type != UnitType.TASK_FORCE:
        raise ApplicationError(_("Groups belong to a task force."), code="not_task_force")
    field = TaskForceGroup._meta.get_field
    name = clean_text(name, field="name", label=field("name").verbose_name, required=True, max_length=80)
    duties = clean_text(duties, field="duties", label=field("duties").verbose_name, multiline=True)
    group = TaskForceGroup.objects.create(task_force=task_force, kind=kind, name=name, duties=duties)
    audit_record(actor=by, action="task_force_group.create", obj=group,
                 after={"task_force": task_force.code, "kind": kind, "name": name})
    return group


@transaction.atomic
def secondment_create(*, by: Person | None, person: Person, group: TaskForceGroup, from_unit: Unit,
                      start: dt.date, is_lead: bool = False, end: dt.date | None = None) -> Secondment:
    require(by, Perm.ORG_MANAGE)
    if end is not None and end < start:
        raise ApplicationError(_("A secondment cannot end before it starts."), code="dates")
    secondment = Secondment.objects.create(person=person, group=group, from_unit=from_unit, start=start,
                                           end=end, is_lead=is_lead)
    membership_grant(by=by, person=person, unit=group.task_force, role=Role.TASK_FORCE_OFFICER)
    audit_record(actor=by, action="secondment.create", obj=secondment,
                 after={"person": person.pk, "group": group.kind, "from": from_unit.code,
                        "start": start, "end": end, "lead": is_lead})
    return secondment
