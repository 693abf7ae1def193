"""Units and people in the API, with the same scoping as the pages."""

# No `from __future__ import annotations` here: ninja must resolve the Query filter schemas at import.
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from jianfu.core.api_schemas import Id, choice, errors
from jianfu.core.errors import ApplicationError
from jianfu.core.pagination import Mapped, api_page_numbers

from . import selectors, services
from .forms import PHONE_RE
from .models import Person, Role, Unit, UnitType
from .permissions import Perm
from .schemas import (
    MembershipOut,
    PersonCreateIn,
    PersonOut,
    UnitCreateIn,
    UnitDetailOut,
    UnitOut,
    UnitUpdateIn,
)
from .scoping import require, units_visible, units_writable

router = Router(tags=["organisation"])


class UnitFilters(Schema):
    q: str = ""
    type: choice(UnitType, blank=True) = ""
    parent: Id | None = None
    active: Literal["", "1", "0"] = ""


class PersonFilters(Schema):
    q: str = ""
    role: choice(Role, blank=True) = ""
    unit: Id | None = None


def _unit_out(u: Unit, labels: dict[str, str] | None = None) -> dict:
    label = labels[u.type] if labels and u.type in labels else str(u.get_type_display())
    return {
        "id": u.pk, "code": u.code, "name": u.name, "type": u.type, "type_label": label,
        "parent_id": u.parent_id, "parent_code": u.parent.code if u.parent_id else None,
        "level": u.level, "active": u.active, "liaison_id": u.liaison_id,
    }


def _person_out(p: Person, memberships) -> dict:
    return {
        "id": p.pk, "username": p.username, "name": p.name, "phone": p.phone, "title": p.title,
        "is_active": p.is_active,
        "memberships": [
            MembershipOut(unit_id=m.unit_id, unit_code=m.unit.code, unit_name=m.unit.name, role=m.role)
            for m in memberships
        ],
    }


@router.get("/units", response=list[UnitOut], summary="List the units the caller may see")
@paginate(api_page_numbers(), page_size=50)
def list_units(request, filters: Query[UnitFilters]):
    qs = selectors.unit_list(actor=request.user, q=filters.q, type=filters.type, parent_id=filters.parent,
                             active=filters.active)
    labels = {k: str(v) for k, v in UnitType.choices}  # translated once per request, not once per row
    return Mapped(qs.select_related("parent"), lambda u: _unit_out(u, labels))


@router.get("/units/{id:unit_id}", response={200: UnitDetailOut, **errors(404)}, summary="One unit")
def get_unit(request, unit_id: int):
    u = selectors.unit_get(actor=request.user, pk=unit_id)
    data = _unit_out(u)
    data["ancestors"] = [a.name for a in selectors.unit_ancestors(actor=request.user, unit=u)]
    data["children_count"] = selectors.unit_children(actor=request.user, unit=u).count()
    return data


def _require_manage(request) -> None:
    """Answer 403 before looking at the payload, so a refusal never depends on what was sent."""
    require(request.user, Perm.ORG_MANAGE)


def _parent_by_code(request, code: str | None) -> Unit | None:
    """A unit the caller can see; the service decides whether they may write under it."""
    if not code:
        return None
    parent = units_visible(request.user).filter(code=code).first()
    if parent is None:
        raise ApplicationError(_("Unknown parent unit code %(code)s.") % {"code": code}, code="parent")
    return parent


@router.post("/units", response={201: UnitOut, **errors(400, 403)}, summary="Create a unit")
def create_unit(request, payload: UnitCreateIn):
    _require_manage(request)
    unit = services.unit_create(by=request.user, code=payload.code, name=payload.name, type=payload.type,
                                parent=_parent_by_code(request, payload.parent_code))
    return 201, _unit_out(unit)


@router.patch("/units/{id:unit_id}", response={200: UnitOut, **errors(400, 403, 404, 409)},
              summary="Change a unit; renaming or moving it needs the organisation permission and a reason")
def update_unit(request, unit_id: int, payload: UnitUpdateIn):
    selectors.unit_get(actor=request.user, pk=unit_id)
    unit = units_writable(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise ApplicationError(_("You cannot change this unit."), code="forbidden")
    # A null means "leave as is", except for parent_code where it means "no parent".
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items()
               if v is not None or k == "parent_code"}
    version = changes.pop("version", None)
    reason = changes.pop("reason", "")
    if "parent_code" in changes:
        changes["parent"] = _parent_by_code(request, changes.pop("parent_code"))
    unit = services.unit_update(by=request.user, unit=unit, version=version, reason=reason, **changes)
    return _unit_out(unit)


@router.get("/people", response=list[PersonOut], summary="List the people the caller may see")
@paginate(api_page_numbers(), page_size=50)
def list_people(request, filters: Query[PersonFilters]):
    qs = selectors.person_list(actor=request.user, q=filters.q, role=filters.role, unit_id=filters.unit)
    return Mapped(qs, lambda p: _person_out(p, p.visible_memberships))


@router.get("/people/{id:person_id}", response={200: PersonOut, **errors(404)}, summary="One person")
def get_person(request, person_id: int):
    person = selectors.person_get(actor=request.user, pk=person_id)
    memberships = selectors.person_memberships(actor=request.user, person=person).filter(active=True)
    return _person_out(person, memberships)


@router.post("/people", response={201: PersonOut, **errors(400, 403)}, summary="Add a person")
def create_person(request, payload: PersonCreateIn):
    _require_manage(request)
    phone = payload.phone.strip()
    if phone and not PHONE_RE.match(phone):
        raise ApplicationError(_("Enter an 11-digit mobile number or a landline such as 0735-2222222."),
                               code="phone")
    person = services.person_create(by=request.user, username=payload.username, name=payload.name,
                                    phone=phone, title=payload.title)
    return 201, _person_out(person, [])
