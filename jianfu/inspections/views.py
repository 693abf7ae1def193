"""Annual inspection plans: overview against the caps, one plan with its overlaps, items, one-off approvals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm
from jianfu.demands import selectors as demand_selectors
from jianfu.demands.models import Status
from jianfu.org.models import Person, Role, Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for, units_visible, units_writable

from . import selectors, services
from .forms import ApproveForm, DropForm, MergeForm, OneOffForm, PlanForm, PlanItemForm
from .models import InspectionPlan, Method, OneOffApproval, PlanItem


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _default_year() -> int:
    """The latest year with a plan, else this year."""
    latest = InspectionPlan.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


@login_required
def plans(request):
    year = _year(request, _default_year())
    rows = selectors.plan_overview(actor=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "inspections.plans", {"year": year})
    can_create = has_perm(request.user, Perm.INSPECTION_PLANS)
    form = PlanForm(initial={"year": year}, units=_plan_units(request.user)) if can_create else None
    years = sorted(set(selectors.plans_visible(request.user).values_list("year", flat=True)) | {year}, reverse=True)
    return render(request, "inspections/plans.html", {"rows": rows, "year": year, "years": years, "form": form})


def _plan_units(user):
    return units_visible(user).filter(type__in=(UnitType.CITY, UnitType.COUNTY), active=True).order_by("path")


@login_required
def on_us(request):
    """The approved items that inspect the reader's units, by year: what the grassroots will host."""
    years = selectors.items_on_units_years(actor=request.user)
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year, chosen = int(raw), True
    else:
        year = this_year if this_year in years else next((y for y in years if y <= this_year),
                                                          years[0] if years else this_year)
        chosen = False
    items = selectors.items_on_units(actor=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "inspections.on_us", {"year": year})
    page, query = paginate(request, items)
    return render(request, "inspections/on_us.html", {
        "page": page, "query": query, "year": year, "years": sorted({*years, year}, reverse=True),
        "chosen": chosen, "this_year": this_year})


@login_required
def off_plan(request):
    """Inspections filed outside the plan; by default those the task force cannot approve yet because no
    one-off approval is recorded."""
    waiting = request.GET.get("all") != "1"
    page, query = paginate(request, selectors.off_plan_filings(actor=request.user, waiting=waiting))
    return render(request, "inspections/off_plan.html", {"page": page, "query": query, "waiting": waiting})


@login_required
@require_perm(Perm.INSPECTION_PLANS)
@require_POST
def plan_new(request):
    form = PlanForm(request.POST, units=_plan_units(request.user))
    if form.is_valid():
        try:
            plan = services.inspection_plan_create(by=request.user, unit=form.cleaned_data["unit"],
                                                   year=form.cleaned_data["year"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The plan is open for proposals."))
            return redirect(plan)
    year = _year(request, _default_year())
    return render(request, "inspections/plans.html", {
        "rows": selectors.plan_overview(actor=request.user, year=year), "year": year, "years": [year],
        "form": form}, status=400)


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get(actor=request.user, pk=pk)
    items = selectors.plan_items_visible(actor=request.user, plan=plan)
    q = (request.GET.get("q") or "").strip()
    status = request.GET.get("status") or ""
    listed = items
    if q:
        listed = listed.filter(Q(title__icontains=q) | Q(description__icontains=q) |
                               Q(proposing_unit__name__icontains=q))
    if status in PlanItem.Status.values:
        listed = listed.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "inspections.plan_items", {"plan": plan.pk, "q": q, "status": status})
    page, query = paginate(request, listed)
    whole = selectors.sees_whole_plan(request.user, plan)
    cap, cap_rule = services.plan_cap(plan)
    counting = sum(1 for i in items if i.counts) if whole else None
    is_task_force = has_perm(request.user, Perm.INSPECTION_PLANS) and scope_for(request.user).reads(plan.unit)
    overlaps = (selectors.plan_overlaps(plan=plan, items=[i for i in items if i.status == PlanItem.Status.PROPOSED])
                if whole and plan.status == InspectionPlan.Status.DRAFT else [])
    can_propose = plan.status == InspectionPlan.Status.DRAFT and bool(_proposer_units(request.user, plan).exists())
    return render(request, "inspections/plan_detail.html", {
        "plan": plan, "page": page, "query": query, "q": q, "status": status, "statuses": PlanItem.Status.choices,
        "whole": whole, "cap": cap, "cap_rule": cap_rule, "counting": counting,
        "over": max(0, counting - cap) if counting is not None and cap is not None else 0,
        "overlaps": overlaps, "is_task_force": is_task_force, "can_propose": can_propose,
        "can_approve": is_task_force and plan.status == InspectionPlan.Status.DRAFT,
        "approve_form": ApproveForm(initial={"version": plan.version}),
    })


def _proposer_units(user, plan: InspectionPlan):
    """Units a person may propose for in this plan: the units below the plan's unit they write for; the task
    force may enter an item for any of them."""
    below = Unit.objects.filter(Q(parent=plan.unit) | Q(pk=plan.unit_id), active=True).exclude(
        type=UnitType.TASK_FORCE)
    if has_perm(user, Perm.INSPECTION_PLANS) and scope_for(user).reads(plan.unit):
        return below.filter(type__in=(UnitType.DEPARTMENT, plan.unit.type)).order_by("path")
    if not has_perm(user, Perm.DEMAND_FILE):
        return Unit.objects.none()
    return below.filter(Q(type=UnitType.DEPARTMENT) | Q(pk=plan.unit_id),
                        pk__in=units_writable(user).values("pk")).order_by("path")


def _target_units(plan: InspectionPlan):
    return Unit.objects.filter(path__startswith=plan.unit.path, active=True).exclude(
        type__in=(UnitType.TASK_FORCE, UnitType.DEPARTMENT)).order_by("path")


def _item_form(request, plan, initial=None):
    return PlanItemForm(request.POST or None, initial=initial, proposer_queryset=_proposer_units(request.user, plan),
                        target_queryset=_target_units(plan))


@login_required
def item_new(request, pk: int):
    plan = selectors.plan_get(actor=request.user, pk=pk)
    proposers = _proposer_units(request.user, plan)
    if plan.status != InspectionPlan.Status.DRAFT or not proposers.exists():
        raise Http404
    form = _item_form(request, plan, initial={"proposing_unit": proposers.first().pk})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_item_propose(by=request.user, plan=plan, proposing_unit=d["proposing_unit"],
                                       title=d["title"], description=d["description"], method=d["method"],
                                       times_per_year=d["times_per_year"], on_site=d["on_site"],
                                       months=d["months"], prepares=d["prepares"], targets=form.target_pairs())
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The item is proposed for the plan."))
            return redirect(plan)
    return render(request, "inspections/item_form.html", {"form": form, "plan": plan, "item": None},
                  status=400 if form.errors else 200)


@login_required
def item_detail(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    plan = item.plan
    can_edit = (plan.status == InspectionPlan.Status.DRAFT and item.status == PlanItem.Status.PROPOSED and (
        (has_perm(request.user, Perm.INSPECTION_PLANS) and scope_for(request.user).reads(plan.unit))
        or (has_perm(request.user, Perm.DEMAND_FILE) and scope_for(request.user).writes(item.proposing_unit))))
    return render(request, "inspections/item_detail.html", {
        "item": item, "plan": plan, "targets": item.targets.select_related("unit"), "can_edit": can_edit,
        "plan_visible": selectors.plans_visible(request.user).filter(pk=plan.pk).exists(),
        "merged_from": item.merged_from.select_related("proposing_unit"),
        "drop_form": DropForm(initial={"version": item.version}),
    })


@login_required
def item_edit(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    plan = item.plan
    if not _proposer_units(request.user, plan).filter(pk=item.proposing_unit_id).exists():
        raise Http404
    targets = list(item.targets.all())
    form = _item_form(request, plan, initial={
        "title": item.title, "proposing_unit": item.proposing_unit_id, "description": item.description,
        "method": item.method, "times_per_year": item.times_per_year, "on_site": item.on_site,
        "months": [str(m) for m in item.months], "prepares": item.prepares,
        "targets": [(t.unit_id, t.include_below) for t in targets],
        "version": item.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.plan_item_update(by=request.user, item=item, version=d.get("version") or 0, title=d["title"],
                                      description=d["description"], method=d["method"],
                                      times_per_year=d["times_per_year"], on_site=d["on_site"],
                                      months=d["months"], prepares=d["prepares"],
                                      targets=form.target_pairs({t.unit_id: t.include_below for t in targets}))
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The item was changed."))
            return redirect(item)
    return render(request, "inspections/item_form.html", {"form": form, "plan": plan, "item": item},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def item_drop(request, pk: int):
    item = selectors.item_get(actor=request.user, pk=pk)
    form = DropForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for dropping the item."))
        return redirect(item)
    try:
        services.plan_item_drop(by=request.user, item=item, version=form.cleaned_data["version"],
                                reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(item)
    flash_success(request, _("The item was dropped from the plan."))
    return redirect(item.plan)


@login_required
@require_perm(Perm.INSPECTION_PLANS)
def merge(request, pk: int):
    plan = selectors.plan_get(actor=request.user, pk=pk)
    if not scope_for(request.user).reads(plan.unit):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    form = MergeForm(source or None)
    keep = absorb = None
    if form.is_valid():
        items = {i.pk: i for i in plan.items.filter(pk__in=[form.cleaned_data["keep"], *form.absorb_ids()])
                 .prefetch_related("targets__unit").select_related("proposing_unit")}
        keep = items.get(form.cleaned_data["keep"])
        absorb = [items[i] for i in form.absorb_ids() if i in items and i != form.cleaned_data["keep"]]
    if keep is None or not absorb:
        raise Http404
    if request.method == "POST":
        try:
            services.plan_items_merge(by=request.user, keep=keep, absorb=absorb, title=form.cleaned_data["title"],
                                      reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The items were merged into one."))
            return redirect(plan)
    return render(request, "inspections/merge.html", {"plan": plan, "form": form, "keep": keep, "absorb": absorb},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.INSPECTION_PLANS)
@require_POST
def plan_approve(request, pk: int):
    plan = selectors.plan_get(actor=request.user, pk=pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.inspection_plan_approve(by=request.user, plan=plan, version=form.cleaned_data["version"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        flash_success(request, _("The plan is approved; each item has its control number."))
    return redirect(plan)


def _approvers():
    return Person.objects.filter(is_active=True, memberships__active=True,
                                 memberships__role__in=(Role.LEADER, Role.TASK_FORCE_OFFICER)).distinct().order_by(
        "name")


def demand_detail_context(demand, revision, user) -> dict:
    """What the filing page shows of an inspection: its details, and its plan item or one-off approval."""
    data = revision.data if revision is not None else {}
    item = PlanItem.objects.select_related("plan__unit").filter(demand=demand).first()
    approval = OneOffApproval.objects.select_related("approver", "recorded_by").filter(demand=demand).first()
    can_record = (item is None and approval is None and has_perm(user, Perm.INSPECTION_ONE_OFF)
                  and demand.status in (Status.CHECKED, Status.DRAFT, Status.RETURNED))
    return {"inspection": {
        "method": Method(data["method"]).label if data.get("method") in Method.values else "",
        "times_per_year": data.get("times_per_year"), "on_site": data.get("on_site"),
        "months": data.get("months", []), "prepares": data.get("prepares", ""),
        "why_outside_plan": data.get("why_outside_plan", ""), "plan_item": item, "approval": approval,
        "one_off_form": OneOffForm(initial={"approved_on": timezone.localdate()}, approvers=_approvers())
        if can_record else None}}


@login_required
@require_perm(Perm.INSPECTION_ONE_OFF)
@require_POST
def one_off_record(request, pk: int):
    demand = demand_selectors.demand_get(actor=request.user, pk=pk)
    form = OneOffForm(request.POST, approvers=_approvers())
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.one_off_approval_record(by=request.user, demand=demand, reason=d["reason"],
                                             approver=d["approver"], approved_on=d["approved_on"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            flash_success(request, _("The one-off approval is recorded; the filing can now be approved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(demand)
