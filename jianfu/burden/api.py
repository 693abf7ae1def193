"""Burden hours in the API, scoped like the pages."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router

from jianfu.core.api_schemas import errors
from jianfu.demands import selectors as demand_selectors
from jianfu.org.scoping import get_or_404, units_visible

from . import selectors, services
from .schemas import ActivityTableOut, EstimateOut, LedgerRowOut, OverviewOut, ReEstimateIn

router = Router(tags=["burden"])
YEAR = Query(..., ge=2000, le=2100)


def _rows(rows) -> list[dict]:
    return [{"key": str(r.key), "label": str(r.label), "now_hours": r.now, "then_hours": r.then,
             "change_percent": round(r.change, 1) if r.change is not None else None} for r in rows]


def _overview(result) -> dict:
    return {"year": result.year, "total_hours": result.total_now, "total_hours_year_before": result.total_then,
            "change_percent": round(result.change, 1) if result.change is not None else None,
            "real_change_hours": result.real_cuts, "re_estimate_hours": result.re_estimates,
            "withdrawn_hours": result.withdrawn, "by_issuing_unit": _rows(result.by_issuer),
            "by_kind": _rows(result.by_kind), "by_month": _rows(result.by_month)}


@router.get("/overview", response=OverviewOut, summary="Burden hours placed in a year, against the year before")
def overview(request, year: int = YEAR):
    return _overview(selectors.burden_overview(actor=request.user, year=year))


@router.get("/units/{code}", response={200: OverviewOut, **errors(404)}, summary="What is placed on one unit in a year")
def on_unit(request, code: str, year: int = YEAR):
    unit = get_or_404(units_visible(request.user), code=code)
    return _overview(selectors.burden_on_unit(unit=unit, year=year))


@router.get("/one-in-one-out", response=list[LedgerRowOut], summary="Each issuing unit against its burden budget")
def ledger(request, year: int = YEAR):
    return [{"unit_code": r.unit.code, "unit_name": r.unit.name, "budget_hours": r.budget_hours,
             "budget_source": r.budget_source, "placed_hours": r.placed, "recurring_hours": r.recurring,
             "over_hours": r.over} for r in selectors.ledger(actor=request.user, year=year)]


@router.get("/activities", response=ActivityTableOut, summary="The standard activity table in force today")
def activities(request):
    table = services.activity_table_on(timezone.localdate()) or services.activity_table_seed()
    return {"version": table.version, "effective_from": table.effective_from.isoformat(), "minutes": table.minutes}


@router.post("/demands/{id:demand_id}/re-estimate", response={201: EstimateOut, **errors(400, 403, 404)},
             summary="Re-estimate a demand's burden (never counted as a cut)")
def re_estimate(request, demand_id: int, payload: ReEstimateIn):
    demand = demand_selectors.demand_get(actor=request.user, pk=demand_id)
    e = services.burden_re_estimate(by=request.user, demand=demand, lines=[line.dict() for line in payload.lines],
                                    occurrences=payload.occurrences, note=payload.note)
    return 201, {"demand_id": demand.pk, "number": e.number, "reason": e.reason, "units": e.units,
                 "occurrences": e.occurrences, "unit_minutes": e.unit_minutes, "total_minutes": e.total_minutes,
                 "lines": e.lines}
