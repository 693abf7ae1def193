"""Burden-hour pages: the year against the year before, one receiving unit, one in one out, the activity table."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.periods import DefaultPeriod
from jianfu.core.views_helpers import flash_success, form_error_from
from jianfu.demands import selectors as demand_selectors
from jianfu.demands.checks import meeting_burden_minutes
from jianfu.demands.kinds import kind_handler
from jianfu.demands.models import Demand, Kind
from jianfu.org.models import Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import get_or_404, has_perm, scope_for, units_targetable, units_visible
from jianfu.rules.selectors import ruleset_for

from . import selectors, services
from .forms import ActivityTableForm, BudgetForm, ReEstimateForm
from .models import Activity, ActivityTable, Complexity, Estimate


def _span() -> tuple[int | None, int | None]:
    """The first and last year with issued demands, from the demands' date index (one row each way): the
    links table has no index leading with the date, and scanning 20,000,000 links took 0.7 s."""
    r = Demand.objects.filter(status__in=services.ISSUED).aggregate(first=Min("occurs_on"), last=Max("occurs_on"))
    return (r["first"].year if r["first"] else None), (r["last"].year if r["last"] else None)


def _year(request) -> int:
    return _year_and_default(request)[0]


def _year_and_default(request) -> tuple[int, DefaultPeriod | None]:
    """The year asked for; without one, the latest year with burden the reader can see (never past this year,
    so a meeting issued for next January does not move everyone's default), and how it was chosen."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), None
    default = selectors.burden_default_period(actor=request.user, today=timezone.localdate())
    return max(2000, min(default.year, 2100)), default


def _years(year: int) -> list[int]:
    first, last = _span()
    span = set(range(max(first, 2000), min(last, 2100) + 1)) if first and last else set()
    return sorted(span | {year}, reverse=True)


def _filings_link(year: int, **params) -> str:
    query = {"date_from": dt.date(year, 1, 1).isoformat(), "date_to": dt.date(year, 12, 31).isoformat(),
             "issued": "1", **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse('demands:list')}?{urlencode(query)}"


@login_required
def overview(request):
    year, default = _year_and_default(request)
    result = selectors.burden_overview(actor=request.user, year=year)
    for row in result.by_issuer:
        row.link = _filings_link(year, issuer=row.key)
    for row in result.by_kind:
        row.link = _filings_link(year, kind=row.key)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "burden.overview", {"year": year})
    chart = [{"label": _("Month %(m)s") % {"m": r.key}, "now": r.now, "then": r.then} for r in result.by_month]
    return render(request, "burden/overview.html", {"result": result, "year": year, "years": _years(year),
                                                    "chart": chart, "default": default})


def _default_unit(user) -> Unit | None:
    visible = selectors.receiving_units(user)
    for unit_type in (UnitType.TOWNSHIP, UnitType.VILLAGE, UnitType.COUNTY, UnitType.CITY):
        unit = visible.filter(type=unit_type).first()
        if unit is not None:
            return unit
    return None


@login_required
def on_unit(request):
    year, default = _year_and_default(request)
    raw = request.GET.get("unit", "")
    if raw:
        unit = get_or_404(units_visible(request.user), pk=raw) if raw.isdigit() else None
        if unit is None:
            raise Http404
    else:
        unit = _default_unit(request.user)
    if unit is None:
        return render(request, "burden/on_unit.html", {"unit": None, "year": year, "units": []})
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else ""
    result = selectors.burden_on_unit(unit=unit, year=year)
    links = selectors.links_on_unit(unit=unit, year=year, kind=kind)
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "burden.on_unit", {"unit": unit.pk, "year": year, "kind": kind})
    page, query = paginate(request, links)
    chart = [{"label": _("Month %(m)s") % {"m": r.key}, "now": r.now, "then": r.then} for r in result.by_month]
    return render(request, "burden/on_unit.html", {
        "unit": unit, "year": year, "years": _years(year), "result": result, "page": page, "query": query,
        "kind": kind, "kinds": Kind.choices, "units": _nearby(request.user, unit), "chart": chart,
        "default": default})


def _nearby(user, unit: Unit):
    """The units to switch to: the chosen unit's ancestors, siblings and children in scope (a province has
    15,000 receiving units; one list of them all was 900 KB of HTML)."""
    return selectors.receiving_units(user).filter(
        Q(pk__in=unit.ancestor_ids) | Q(parent_id=unit.parent_id) | Q(parent_id=unit.pk) | Q(pk=unit.pk)).only(
        "pk", "name", "path")


@login_required
def ledger(request):
    year, default = _year_and_default(request)
    rows = selectors.ledger(actor=request.user, year=year)
    over_only = request.GET.get("over") == "1"
    if over_only:
        rows = [r for r in rows if r.over > 0]
    can_set = has_perm(request.user, Perm.BURDEN_BUDGET)
    form = None
    if can_set:
        units = units_visible(request.user).filter(type__in=(UnitType.DEPARTMENT, UnitType.COUNTY, UnitType.CITY),
                                                   active=True).order_by("path")
        form = BudgetForm(request.POST or None, initial={"year": year}, units=units)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                services.budget_set(by=request.user, unit=d["unit"], year=d["year"], hours=d["hours"], note=d["note"])
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                flash_success(request, _("The budget is set."))
                return redirect(f"{reverse('burden:ledger')}?year={d['year']}")
    elif request.method == "POST":
        raise Http404
    if request.GET.get("format") == "xlsx":
        return export_start_response(request, "burden.ledger", {"year": year, "over": "1" if over_only else ""})
    for r in rows:
        r.link = _filings_link(year, issuer=r.unit.pk)
    return render(request, "burden/ledger.html", {"rows": rows, "year": year, "years": _years(year), "form": form,
                                                  "over": [r for r in rows if r.over > 0], "over_only": over_only,
                                                  "default": default},
                  status=400 if form is not None and form.errors else 200)


@login_required
def activities(request):
    current = services.activity_table_on(timezone.localdate()) or services.activity_table_seed()
    can_edit = has_perm(request.user, Perm.RULES_EDIT)
    form = None
    if can_edit:
        initial = {"effective_from": timezone.localdate()}
        for activity in Activity.values:
            for complexity in Complexity.values:
                initial[f"{activity}__{complexity}"] = current.minutes.get(activity, {}).get(complexity)
        form = ActivityTableForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.activity_table_change(by=request.user, minutes=form.minutes(),
                                               effective_from=form.cleaned_data["effective_from"],
                                               note=form.cleaned_data["note"])
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                flash_success(request, _("A new version of the activity table is saved; estimates made from now "
                                         "on use it."))
                return redirect("burden:activities")
    elif request.method == "POST":
        raise Http404
    rows = [{"activity": Activity(a).label, "minutes": [current.minutes.get(a, {}).get(c) for c in Complexity.values],
             "fields": [form[f"{a}__{c}"] for c in Complexity.values] if form else []} for a in Activity.values]
    return render(request, "burden/activities.html", {
        "current": current, "rows": rows, "form": form, "complexities": Complexity.choices,
        "versions": ActivityTable.objects.select_related("created_by")}, status=400 if form and form.errors else 200)


def demand_panel(demand: Demand, user) -> dict:
    """The burden panel of a filing page: the estimate, its versions, one in one out for recurring demands."""
    estimates = list(demand.estimates.select_related("created_by", "table").order_by("-number"))
    current = estimates[0] if estimates else None
    can_estimate = (has_perm(user, Perm.BURDEN_RE_ESTIMATE)
                    or (has_perm(user, Perm.DEMAND_FILE) and scope_for(user).writes(demand.issuing_unit)))
    position = None
    recurring = demand.kind in (Kind.INSPECTION, Kind.REPORT_FORM, Kind.TRACE) and current is not None and (
        current.occurrences > 1)
    if recurring and demand.occurs_on:
        position = selectors.budget_position(unit=demand.issuing_unit, year=demand.occurs_on.year)
    form = None
    if can_estimate and current is not None and demand.kind not in services.GATE_TOTAL:
        form = ReEstimateForm(initial={"occurrences": current.occurrences}, lines=current.lines)
    return {"burden": {
        "current": current, "versions": estimates,
        "lines": [{**line, "label": Activity(line["activity"]).label if line["activity"] in Activity.values else "",
                   "complexity_label": Complexity(line["complexity"]).label
                   if line["complexity"] in Complexity.values else ""} for line in (current.lines if current else [])],
        "form": form, "position": position, "recurring": recurring,
        "retire": _to_retire(demand, current, position)}}


def _to_retire(demand: Demand, current: Estimate | None, position) -> float | None:
    """Hours the issuing unit must retire this year to stay within its budget once this demand is placed."""
    if current is None or position is None or position.budget_hours is None:
        return None
    adding = 0.0 if demand.counts_as_issued else current.total_minutes / 60
    return round(max(0.0, position.placed + adding - position.budget_hours), 1)


@login_required
@require_POST
def re_estimate(request, pk: int):
    demand = demand_selectors.demand_get(actor=request.user, pk=pk)
    last = demand.estimates.order_by("-number").first()
    form = ReEstimateForm(request.POST, lines=last.lines if last else [])
    if form.is_valid():
        try:
            services.burden_re_estimate(by=request.user, demand=demand, lines=form.lines(),
                                        occurrences=form.cleaned_data["occurrences"], note=form.cleaned_data["note"])
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            flash_success(request, _("The re-estimate is saved; it is not counted as a cut."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(demand)


def _int(raw, default: int = 0) -> int:
    try:
        return max(0, min(int(raw), 10_000_000))
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
def preview(request):
    """The effect of a filing form's receiving units and "and below" on the burden, before it is saved (htmx)."""
    post = request.POST
    kind = post.get("kind", "")
    ids = [int(x) for x in post.getlist("targets") if x.isdigit()][:5000]
    # Only units the person may place demands on count: the preview says nothing of any other unit.
    units = list(units_targetable(request.user).filter(pk__in=ids, active=True).exclude(type=UnitType.TASK_FORCE))
    if "targets_picker" in post:  # the unit picker: "and below" per unit
        below_ids = {int(x) for x in post.getlist("targets_below") if x.isdigit()}
    else:
        below_ids = {u.pk for u in units} if post.get("include_below") in ("on", "true", "1") else set()
    below = bool(below_ids)
    if kind not in Kind.values or not units:
        return render(request, "burden/_preview.html", {"empty": True})
    try:
        on = dt.date.fromisoformat(post.get("occurs_on", ""))
    except ValueError:
        on = timezone.localdate()
    targets = [(u, u.pk in below_ids) for u in units]
    data = {"document_kind": post.get("document_kind", ""), "on_site": post.get("on_site") in ("on", "true"),
            "prepares": post.get("prepares", ""), "times_per_year": _int(post.get("times_per_year"), 1) or 1,
            "trace_types": post.getlist("trace_types"), "frequency": post.get("frequency", "")}
    gate = 0
    if kind == Kind.MEETING:
        gate = meeting_burden_minutes(attendees=_int(post.get("attendees")), minutes=_int(post.get("planned_minutes")),
                                      mode=post.get("mode", ""), rules=ruleset_for(unit=None, on=on))
    result = services.estimate_preview(kind=kind, data=data, targets=targets, on=on, gate_minutes=gate)
    handler = kind_handler(kind)
    stated = handler.stated_unit_minutes(post) if handler and handler.stated_unit_minutes else None
    if stated is not None:
        result["unit_minutes"] = stated
        result["total_minutes"] = stated * result["units"]
    without_below = services.estimate_preview(kind=kind, data=data, targets=[(u, False) for u in units], on=on,
                                              gate_minutes=gate)["units"]
    return render(request, "burden/_preview.html", {"result": result, "kind": kind, "below": below,
                                                    "without_below": without_below})
