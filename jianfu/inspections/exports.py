"""What the inspection pages export: the plans of a year, one plan's items, the items that inspect one's units.

Each build re-applies the person's scope through the selectors; the params are only the page's choices.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jianfu.core.errors import ApplicationError, NotFoundError
from jianfu.core.exports import ExportSheet, choice_labels, export_register, param

from . import selectors
from .models import InspectionPlan, Method, PlanItem


def _year(params: dict) -> int:
    raw = param(params, "year")
    if not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise ApplicationError(_("Choose a year between 2000 and 2100."), code="year")
    return int(raw)


def _months(months) -> str:
    return ",".join(str(m) for m in months)


def plans_build(person, params: dict) -> ExportSheet:
    year = _year(params)
    statuses = choice_labels(InspectionPlan.Status.choices)
    rows = [[r.unit.name, statuses.get(r.plan.status, r.plan.status) if r.plan else _("No plan"), r.items,
             r.cap if r.cap is not None else "", r.over, r.previous if r.previous is not None else "",
             f"{r.change:+.1f}%" if r.change is not None else ""]
            for r in selectors.plan_overview(actor=person, year=year)]
    header = [_("Unit"), _("Status"), _("Items"), _("Cap"), _("Over the cap"), _("Items the year before"),
              pgettext("year on year", "Change")]
    return ExportSheet(filename=f"inspection-plans-{year}", sheet=_("Inspection plans"), header=header, rows=rows,
                       total=len(rows))


def plan_items_build(person, params: dict) -> ExportSheet:
    raw = param(params, "plan")
    try:
        plan = selectors.plan_get(actor=person, pk=int(raw))
    except (Http404, ValueError):
        raise NotFoundError() from None
    items = selectors.plan_items_visible(actor=person, plan=plan)
    q, status = param(params, "q").strip(), param(params, "status")
    if q:
        items = items.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(proposing_unit__name__icontains=q))
    if status in PlanItem.Status.values:
        items = items.filter(status=status)
    statuses, methods = choice_labels(PlanItem.Status.choices), choice_labels(Method.choices)
    rows = ([i.title, i.proposing_unit.name, statuses.get(i.status, i.status), methods.get(i.method, i.method),
             i.times_per_year, _months(i.months), "、".join(t.unit.name for t in i.targets.all()), i.prepares,
             i.demand.control_number if i.demand_id else "", i.merged_into.title if i.merged_into_id else ""]
            for i in items.iterator(chunk_size=2000))
    header = [_("Title"), _("Proposed by unit"), _("Status"), _("Method"), _("Times a year"), _("Months"),
              _("Units inspected"), _("What the grassroots must prepare"), _("Control number"), _("Merged into")]
    return ExportSheet(filename=f"inspection-plan-{plan.unit.code}-{plan.year}", sheet=_("Plan items"),
                       header=header, rows=rows, total=items.count())


def on_us_build(person, params: dict) -> ExportSheet:
    year = _year(params)
    items = selectors.items_on_units(actor=person, year=year)
    methods = choice_labels(Method.choices)
    rows = ([f"{i.plan.unit.name} {i.plan.year}", i.title, i.proposing_unit.name, methods.get(i.method, i.method),
             i.times_per_year, _months(i.months), i.prepares, i.demand.control_number if i.demand_id else ""]
            for i in items.iterator(chunk_size=2000))
    header = [_("Plan"), _("Title"), _("Proposed by unit"), _("Method"), _("Times a year"), _("Months"),
              _("What the grassroots must prepare"), _("Control number")]
    return ExportSheet(filename=f"inspections-on-us-{year}", sheet=_("Inspections on us"), header=header,
                       rows=rows, total=items.count())


def register() -> None:
    export_register("inspections.plans", label=gettext_lazy("Inspection plans"), build=plans_build)
    export_register("inspections.plan_items", label=gettext_lazy("Plan items"), build=plan_items_build)
    export_register("inspections.on_us", label=gettext_lazy("Inspections on us"), build=on_us_build)
