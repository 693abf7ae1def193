"""Report forms in the API: the field dictionary, which fields are already collected, the materials cut."""

from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from jianfu.core.api_schemas import errors
from jianfu.core.errors import ApplicationError
from jianfu.core.pagination import Mapped, api_page_numbers
from jianfu.rules.selectors import ruleset_for

from . import selectors
from .checks import FIELD_REUSE
from .models import FieldDefinition, MaterialType
from .reuse import AskedField, OtherForm, field_reuse
from .schemas import FieldDetailOut, FieldOut, MaterialsOut, ReuseIn, ReuseOut

router = Router(tags=["reportforms"])


class FieldFilters(Schema):
    q: str = ""
    active: Literal["", "1", "0"] = ""
    proposed: Literal["", "1", "0"] = ""


def _field(f: FieldDefinition) -> dict:
    return {"id": f.pk, "name": f.name, "definition": f.definition, "unit_of_measure": f.unit_of_measure,
            "holder_code": f.holder.code if f.holder_id else None,
            "holder_name": f.holder.name if f.holder_id else None, "aliases": f.alias_list(), "active": f.active,
            "proposed": f.proposed}


@router.get("/fields", response=list[FieldOut], summary="The field dictionary (数据字典)")
@paginate(api_page_numbers(), page_size=100)
def list_fields(request, filters: Query[FieldFilters]):
    qs = selectors.field_list(q=filters.q, active=filters.active, proposed=filters.proposed)
    return Mapped(qs, lambda f: {**_field(f), "forms": f.forms})


@router.get("/fields/{id:field_id}", response={200: FieldDetailOut, **errors(404)},
            summary="One dictionary field and the forms the caller may see that ask for it")
def get_field(request, field_id: int):
    field = selectors.field_get(pk=field_id)
    forms = selectors.forms_collecting(actor=request.user, field=field)[:200]
    return {**_field(field), "notes": field.notes,
            "forms": [{"id": d.pk, "control_number": d.control_number, "title": d.title,
                       "issuing_unit_name": d.issuing_unit.name, "status": d.status} for d in forms]}


def _form(other: OtherForm) -> dict:
    if not other.visible:
        return {"id": None, "control_number": None, "title": None, "issuing_unit_name": other.issuing_unit,
                "status": None}
    return {"id": other.demand_id, "control_number": other.control_number or None, "title": other.title,
            "issuing_unit_name": other.issuing_unit, "status": other.status}


@router.post("/fields/reuse", response={200: ReuseOut, **errors(400)},
             summary="Which of these field names registered forms already collect, and by which forms")
def field_reuse_lookup(request, payload: ReuseIn):
    names = [" ".join(n.split()) for n in payload.names]
    if any(not n or len(n) > 120 for n in names):
        raise ApplicationError(_("A field name must have 1 to 120 characters."), code="invalid")
    threshold = float(ruleset_for(unit=None, on=timezone.localdate()).value(FIELD_REUSE, 0.6))
    reuse = field_reuse(asked=[AskedField(name=n) for n in names], threshold=threshold).for_reader(request.user)
    fields = []
    for i, name in enumerate(names):
        matches = [{"field_id": h.field_id, "field_name": h.field_name, "how": h.how, "score": h.score,
                    "shared_terms": list(h.shared_terms), "form": _form(other)} for other, h in reuse.for_field(i)]
        fields.append({"name": name, "collected": bool(matches), "matches": matches})
    best = reuse.merge_candidate()
    return {"threshold": threshold, "fields": fields,
            "merge": {"form": _form(best), "covered": best.covered, "total": len(names)} if best else None}


def _counts(values: dict[str, int]) -> dict:
    out = {t: values.get(t, 0) for t in MaterialType.values}
    return {**out, "total": sum(out.values())}


@router.get("/materials", response={200: MaterialsOut, **errors(400)},
            summary="Report materials per department against baseline")
def materials(request, year: int | None = None):
    """Without a year: the latest year with report forms the caller's departments registered."""
    year = year or selectors.materials_default_year(actor=request.user, today=timezone.localdate()).year
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("The year is out of range."), code="invalid")
    rows = selectors.materials_figures(actor=request.user, year=year)
    return {"year": year, "rows": [{
        "unit_code": r.unit.code, "unit_name": r.unit.name, "base_year": r.baseline.year if r.baseline else None,
        "baseline": _counts({t: b for t, b, _n in r.by_type()}) if r.baseline else None,
        "now": _counts(r.now), "cut_percent": r.cut, "target_percent": r.target, "meets_target": r.meets}
        for r in rows]}
