"""Annual inspection plans in the API, scoped like the pages."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router

from jianfu.core.api_schemas import errors
from jianfu.core.errors import ApplicationError
from jianfu.demands import selectors as demand_selectors
from jianfu.org.models import Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, units_writable

from . import selectors, services
from .models import InspectionPlan, PlanItem
from .schemas import (
    MergeIn,
    OneOffIn,
    OneOffOut,
    OverlapOut,
    PlanItemIn,
    PlanItemOut,
    PlanOut,
    PlanRowOut,
    PlanVersionIn,
)

router = Router(tags=["inspections"])


def _item_out(i: PlanItem) -> dict:
    return {"id": i.pk, "title": i.title, "description": i.description, "proposing_unit_code": i.proposing_unit.code,
            "method": i.method, "times_per_year": i.times_per_year, "on_site": i.on_site, "months": i.months,
            "prepares": i.prepares, "status": i.status, "merged_into_id": i.merged_into_id,
            "control_number": i.demand.control_number if i.demand_id else None, "version": i.version,
            "targets": [{"unit_code": t.unit.code, "include_below": t.include_below} for t in i.targets.all()]}


def _plan_out(request, plan: InspectionPlan) -> dict:
    items = list(selectors.plan_items_visible(actor=request.user, plan=plan))
    whole = selectors.sees_whole_plan(request.user, plan)
    return {"id": plan.pk, "year": plan.year, "unit_code": plan.unit.code, "status": plan.status,
            "version": plan.version, "cap": services.plan_cap(plan)[0],
            "items_counted": sum(1 for i in items if i.counts) if whole else None,
            "items": [_item_out(i) for i in items]}


def _units(codes: dict[str, bool]) -> list[tuple[Unit, bool]]:
    units = {u.code: u for u in Unit.objects.filter(code__in=list(codes), active=True)}
    missing = sorted(set(codes) - set(units))
    if missing:
        raise ApplicationError(_("Unknown receiving unit codes: %(codes)s.") % {"codes": ", ".join(missing)},
                               code="targets")
    return [(units[c], below) for c, below in codes.items()]


@router.get("/plans", response=list[PlanRowOut], summary="Each unit's plan for a year against its cap")
def plans(request, year: int = Query(..., ge=2000, le=2100)):
    return [{"unit_code": r.unit.code, "unit_name": r.unit.name, "plan_id": r.plan.pk if r.plan else None,
             "status": r.plan.status if r.plan else None, "items": r.items, "cap": r.cap, "over_cap": r.over,
             "previous_year_items": r.previous,
             "change_percent": round(r.change, 1) if r.change is not None else None}
            for r in selectors.plan_overview(actor=request.user, year=year)]


@router.get("/plans/{id:plan_id}", response={200: PlanOut, **errors(404)},
            summary="One plan with the items the caller may see")
def plan(request, plan_id: int):
    return _plan_out(request, selectors.plan_get(actor=request.user, pk=plan_id))


@router.post("/plans/{id:plan_id}/items", response={201: PlanItemOut, **errors(400, 403, 404)},
             summary="Propose an item for a plan")
def propose(request, plan_id: int, payload: PlanItemIn):
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    unit = units_writable(request.user).filter(code=payload.proposing_unit_code).first()
    if unit is None and has_perm(request.user, Perm.INSPECTION_PLANS):
        unit = Unit.objects.filter(code=payload.proposing_unit_code, active=True).first()
    if unit is None:
        raise ApplicationError(_("You cannot propose items for this unit."), code="forbidden")
    item = services.plan_item_propose(
        by=request.user, plan=plan, proposing_unit=unit, title=payload.title, description=payload.description,
        method=payload.method, times_per_year=payload.times_per_year, on_site=payload.on_site,
        months=payload.months, prepares=payload.prepares,
        targets=_units({t.unit_code: t.include_below for t in payload.targets}))
    return 201, _item_out(item)


@router.get("/plans/{id:plan_id}/overlaps", response={200: list[OverlapOut], **errors(403, 404)},
            summary="Overlapping proposals with a suggested merge and the reasons")
def overlaps(request, plan_id: int):
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    if not selectors.sees_whole_plan(request.user, plan):
        raise ApplicationError(_("You do not have permission to do this."), code="forbidden")
    groups = selectors.plan_overlaps(plan=plan)
    codes = dict(Unit.objects.filter(pk__in={u for g in groups for link in g.links for u in link.shared_units})
                 .values_list("pk", "code"))
    return [{"item_ids": [i.pk for i in g.items], "suggested_keep_id": g.keep.pk,
             "links": [{"a": link.a, "b": link.b, "similarity": round(link.similarity, 3),
                        "shared_terms": list(link.shared_terms),
                        "shared_unit_codes": sorted(codes[u] for u in link.shared_units if u in codes),
                        "shared_quarters": sorted(link.shared_quarters)} for link in g.links]} for g in groups]


@router.post("/plans/{id:plan_id}/merge", response={200: PlanItemOut, **errors(400, 403, 404, 409)},
             summary="Merge overlapping items into one")
def merge(request, plan_id: int, payload: MergeIn):
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    keep = get_object_or_404(plan.items, pk=payload.keep_id)
    absorb = list(plan.items.filter(pk__in=payload.absorb_ids))
    if len(absorb) != len(set(payload.absorb_ids)):
        raise ApplicationError(_("Merge only items of the same plan."), code="merge")
    item = services.plan_items_merge(by=request.user, keep=keep, absorb=absorb, title=payload.title,
                                     reason=payload.reason)
    return _item_out(item)


@router.post("/plans/{id:plan_id}/approve", response={200: PlanOut, **errors(400, 403, 404, 409)},
             summary="Approve a plan within its cap; items get control numbers")
def approve(request, plan_id: int, payload: PlanVersionIn):
    plan = selectors.plan_get(actor=request.user, pk=plan_id)
    return _plan_out(request, services.inspection_plan_approve(by=request.user, plan=plan,
                                                               version=payload.version))


@router.post("/one-off/{id:demand_id}", response={201: OneOffOut, **errors(400, 403, 404)},
             summary="Record the one-off approval (一事一报) of an inspection outside the plan")
def one_off(request, demand_id: int, payload: OneOffIn):
    demand = demand_selectors.demand_get(actor=request.user, pk=demand_id)
    from .views import _approvers

    approver = _approvers().filter(username=payload.approver_username).first()
    if approver is None:
        raise ApplicationError(_("Name the leader who approved it."), code="approver")
    approval = services.one_off_approval_record(by=request.user, demand=demand, reason=payload.reason,
                                                approver=approver, approved_on=payload.approved_on)
    return 201, {"demand_id": demand.pk, "approver_username": approver.username,
                 "approved_on": approval.approved_on, "reason": approval.reason}
