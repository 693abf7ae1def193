"""The registry in the API: filing, checking, reviewing, verifying and figures, scoped like the pages."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from jianfu.core.api_schemas import choice, errors
from jianfu.core.errors import ApplicationError
from jianfu.core.pagination import Mapped, api_pagination
from jianfu.org.models import Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import require, units_targetable, units_writable
from jianfu.rules.selectors import ruleset_for

from . import selectors, services
from .checks import check_document
from .findings import findings_for
from .models import Demand, DocumentKind, Kind, Status
from .schemas import (
    CheckIn,
    CheckOut,
    DemandDetailOut,
    DemandOut,
    DocumentIn,
    FiguresOut,
    InspectionIn,
    MeetingIn,
    ReportFormIn,
    ReviewIn,
    TraceIn,
    VerifyOut,
    VersionIn,
)

router = Router(tags=["demands"])


class DemandFilters(Schema):
    q: str = ""
    kind: choice(Kind, blank=True) = ""
    status: choice(Status, blank=True) = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class FigureFilters(Schema):
    kind: Literal["document", "meeting"] = "document"
    year: int | None = Field(None, ge=2000, le=2100,
                             description="without a year: the latest period with issued filings")
    from_month: int = Field(1, ge=1, le=12)
    to_month: int = Field(12, ge=1, le=12)
    name: str = ""
    city_wide: str = ""
    group: Literal[selectors.GROUPINGS] = "issued_in_name"


def _out(d: Demand) -> dict:
    return {"id": d.pk, "kind": d.kind, "title": d.title, "status": d.status,
            "issuing_unit_code": d.issuing_unit.code, "issuing_unit_name": d.issuing_unit.name,
            "occurs_on": d.occurs_on, "control_number": d.control_number, "valid_from": d.valid_from,
            "valid_until": d.valid_until, "burden_minutes": d.burden_minutes}


def _findings(findings, viewer) -> list[dict]:
    findings = findings_for(viewer, findings)
    return [{"rule": f.rule_code if hasattr(f, "rule_code") else f.rule,
             "rule_version": getattr(getattr(f, "rule_version", None), "version", None),
             "severity": f.severity, "message": f.text, "fix": f.fix_text, "clause": f.clause} for f in findings]


def _detail(d: Demand, viewer) -> dict:
    rev = d.current_revision
    return {**_out(d), "version": d.version, "revision": rev.number if rev else None,
            "char_count": rev.char_count if rev and d.kind == Kind.DOCUMENT else None,
            "blocking": rev.blocking if rev else 0, "warnings": rev.warnings if rev else 0,
            "findings": _findings(rev.findings.select_related("rule_version"), viewer) if rev else [],
            "targets": [t.unit.code for t in d.targets.select_related("unit")]}


def _issuer(request, code: str) -> Unit:
    unit = units_writable(request.user).filter(code=code, active=True).first()
    if unit is None:
        raise ApplicationError(_("You cannot file for unit %(code)s.") % {"code": code}, code="forbidden")
    return unit


def _targets(request, items) -> list[tuple[Unit, bool]]:
    codes = {t.unit_code: t.include_below for t in items}
    # Looked up among the units the caller may aim at only: a code that exists elsewhere gets the same answer
    # as one that does not exist, so the error reveals nothing outside the caller's reach.
    units = {u.code: u for u in units_targetable(request.user).filter(code__in=list(codes))}
    missing = sorted(set(codes) - set(units))
    if missing:
        raise ApplicationError(_("These receiving unit codes are unknown or not units you may place demands on: "
                                 "%(codes)s.") % {"codes": ", ".join(missing)}, code="targets")
    return [(units[c], below) for c, below in codes.items()]



# What every filing's schema has besides its kind's details.
FILING_FIELDS = {"issuing_unit_code", "title", "occurs_on", "targets"}


def _file(request, kind: str, payload, *, body_field: str) -> Demand:
    """File a draft of any kind from its schema: the text in `body_field`, the kind's details in the rest,
    which the kind's own cleaning refuses when it cannot check them."""
    require(request.user, Perm.DEMAND_FILE)
    data = payload.dict(exclude=FILING_FIELDS | {body_field})
    return services.demand_file(by=request.user, kind=kind, issuing_unit=_issuer(request, payload.issuing_unit_code),
                                title=payload.title, body=getattr(payload, body_field), data=data,
                                targets=_targets(request, payload.targets), occurs_on=payload.occurs_on)


@router.get("/", response=list[DemandOut], summary="Filings the caller may see")
@paginate(api_pagination(), page_size=50)
def list_demands(request, filters: Query[DemandFilters]):
    qs = selectors.demand_list(actor=request.user, q=filters.q, kind=filters.kind, status=filters.status,
                               date_from=filters.date_from, date_to=filters.date_to)
    return Mapped(qs.select_related("issuing_unit"), _out)


@router.get("/verify", response={200: VerifyOut, **errors(429)}, summary="Verify a control number")
def verify(request, number: str):
    result = selectors.control_number_verify(actor=request.user, raw=number, on=timezone.localdate())
    return {"result": result.result, "number": result.number,
            "demand": _out(result.demand) if result.demand else None, "falls_on_caller": result.targets_viewer,
            "in_force": result.in_force, "takes_effect_on": result.takes_effect_on}


@router.get("/figures", response={200: FiguresOut, **errors(400)},
            summary="Issued documents or meetings, year on year")
def figures(request, f: Query[FigureFilters]):
    if f.kind not in (Kind.DOCUMENT, Kind.MEETING) or f.group not in selectors.GROUPINGS:
        raise ApplicationError(_("Unknown kind or grouping."), code="invalid")
    if f.year is None:
        default = selectors.figures_default_period(actor=request.user, kind=f.kind, name_group=f.name,
                                                   city_wide=f.city_wide, today=timezone.localdate())
        start, end = default.start, default.end
    else:
        try:
            start = dt.date(f.year, f.from_month, 1)
            end = dt.date(f.year + (f.to_month == 12), f.to_month % 12 + 1, 1) - dt.timedelta(days=1)
        except (ValueError, OverflowError) as exc:
            raise ApplicationError(_("The period is not valid."), code="invalid") from exc
    result = selectors.figures(actor=request.user, kind=f.kind, period=selectors.Period(start, end),
                               group_by=f.group, name_group=f.name, city_wide=f.city_wide)
    labels = selectors.figure_group_labels(f.group, [r["key"] for r in result["rows"]])
    return {"kind": f.kind, "start": start, "end": end, "previous_start": result["previous"].start,
            "previous_end": result["previous"].end, "total_now": result["total_now"],
            "total_then": result["total_then"], "change": result["change"],
            "rows": [{"key": str(r["key"]), "label": str(labels.get(r["key"], r["key"])), "now": r["now"],
                      "then": r["then"], "change": r["change"]} for r in result["rows"]]}


@router.post("/check", response={200: CheckOut, **errors(400)}, summary="Check a document text without filing it")
def check(request, payload: CheckIn):
    if payload.kind not in DocumentKind.values:
        raise ApplicationError(_("Unknown kind of document."), code="invalid")
    rules = ruleset_for(unit=None, on=timezone.localdate())
    rules.rules.pop("document.no_issuance", None)
    count, found = check_document(text=payload.text, title=payload.title, kind=payload.kind, checklist={},
                                  rules=rules)
    return {"char_count": count, "blocking": sum(1 for f in found if f.blocks),
            "findings": _findings(found, request.user)}


@router.get("/{id:demand_id}", response={200: DemandDetailOut, **errors(404)}, summary="One filing with its findings")
def get_demand(request, demand_id: int):
    return _detail(selectors.demand_get(actor=request.user, pk=demand_id), request.user)


@router.post("/documents", response={201: DemandDetailOut, **errors(400, 403)},
             summary="File a document draft; it is checked at once")
def file_document(request, payload: DocumentIn):
    return 201, _detail(_file(request, Kind.DOCUMENT, payload, body_field="text"), request.user)


@router.post("/meetings", response={201: DemandDetailOut, **errors(400, 403)},
             summary="File a meeting plan; it is checked at once")
def file_meeting(request, payload: MeetingIn):
    return 201, _detail(_file(request, Kind.MEETING, payload, body_field="agenda"), request.user)


@router.post("/traces", response={201: DemandDetailOut, **errors(400, 403)},
             summary="File a trace-keeping requirement; it must cite the allow-list")
def file_trace(request, payload: TraceIn):
    return 201, _detail(_file(request, Kind.TRACE, payload, body_field="details"), request.user)


@router.post("/report-forms", response={201: DemandDetailOut, **errors(400, 403)},
             summary="Register a report form with fields from the dictionary; reuse (一表通) is checked at once")
def file_report_form(request, payload: ReportFormIn):
    return 201, _detail(_file(request, Kind.REPORT_FORM, payload, body_field="details"), request.user)


@router.post("/inspections", response={201: DemandDetailOut, **errors(400, 403)},
             summary="File an inspection outside the annual plan; it needs a one-off approval (一事一报)")
def file_inspection(request, payload: InspectionIn):
    return 201, _detail(_file(request, Kind.INSPECTION, payload, body_field="details"), request.user)


@router.post("/{id:demand_id}/submit", response={200: DemandDetailOut, **errors(400, 403, 404, 409)},
             summary="Submit a filing for review")
def submit(request, demand_id: int, payload: VersionIn):
    demand = selectors.demand_get(actor=request.user, pk=demand_id)
    return _detail(services.demand_submit(by=request.user, demand=demand, version=payload.version), request.user)


@router.post("/{id:demand_id}/review", response={200: DemandDetailOut, **errors(400, 403, 404, 409)},
             summary="Approve, return or reject a filing")
def review(request, demand_id: int, payload: ReviewIn):
    require(request.user, Perm.DEMAND_REVIEW)
    demand = selectors.demand_get(actor=request.user, pk=demand_id)
    result = services.demand_review(by=request.user, demand=demand, version=payload.version,
                                    decision=payload.decision, reason=payload.reason,
                                    valid_until=payload.valid_until)
    return _detail(result, request.user)
