"""Registry pages: thin views over selectors (reads) and services (writes)."""

from __future__ import annotations

import datetime as dt
import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jianfu.core.errors import ApplicationError, TooManyRequests
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import LARGE_COUNT, paginate
from jianfu.core.periods import LATEST, NONE, DefaultPeriod
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm
from jianfu.org.models import Unit
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for, units_targetable, units_visible, units_writable

from . import reports, selectors, services
from .findings import findings_for
from .forms import (
    AnnualListForm,
    FilterForm,
    ListItemForm,
    MergeForm,
    ReportAcceptForm,
    ReportCloseForm,
    ReportFilterForm,
    ReportReplyForm,
    ReportRouteForm,
    ReviewForm,
    UnregisteredForm,
    VerifyForm,
    WithdrawForm,
)
from .kinds import form_panels, kind_handler
from .models import (
    AnnualList,
    Demand,
    IssuedInName,
    Kind,
    ListItem,
    ListKind,
    Status,
    UnregisteredReport,
)
from .notice import notice_url
from .panels import detail_panels_render


def _handler(kind: str):
    """The kind's handler, when it is filed through the registry's own filing page."""
    handler = kind_handler(kind)
    if handler is None or handler.form_class is None:
        raise Http404
    return handler


def _form_kwargs(request, kind: str, unit: Unit | None = None):
    kwargs = {"issuer_queryset": units_writable(request.user).filter(active=True),
              "target_queryset": units_targetable(request.user).order_by("path")}
    handler = kind_handler(kind)
    if handler is not None and handler.form_kwargs is not None:
        kwargs |= handler.form_kwargs(unit)
    return kwargs


def _initial_from(demand: Demand) -> dict:
    targets = list(demand.targets.all())
    initial = {"title": demand.title, "issuing_unit": demand.issuing_unit_id, "occurs_on": demand.occurs_on,
               "targets": [(t.unit_id, t.include_below) for t in targets],
               "version": demand.version}
    handler = kind_handler(demand.kind)
    if handler is not None and handler.initial is not None and demand.current_revision is not None:
        initial |= handler.initial(demand.current_revision)
    return initial


def _save_filing(request, form, kind: str, demand: Demand | None):
    d = form.cleaned_data
    body, data = _handler(kind).form_data(form)
    file_name = getattr(form, "file_name", "")
    if demand is None:
        return services.demand_file(by=request.user, kind=kind, issuing_unit=d["issuing_unit"], title=d["title"],
                                    body=body, data=data, targets=form.target_pairs(), occurs_on=d["occurs_on"],
                                    file_name=file_name)
    existing = {t.unit_id: t.include_below for t in demand.targets.all()}
    return services.demand_revise(by=request.user, demand=demand, version=d.get("version") or 0, title=d["title"],
                                  body=body, data=data, targets=form.target_pairs(existing), occurs_on=d["occurs_on"],
                                  file_name=file_name)


@login_required
@require_perm(Perm.DEMAND_FILE)
def filing_new(request, kind: str):
    form_class = _handler(kind).form_class
    mine = units_writable(request.user).filter(active=True).first()
    form = form_class(request.POST or None, request.FILES or None, initial={"issuing_unit": mine.pk if mine else None},
                      **_form_kwargs(request, kind, mine))
    if request.method == "POST" and form.is_valid():
        try:
            demand = _save_filing(request, form, kind, None)
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("Draft saved and checked."))
            return redirect(demand)
    return render(request, "demands/filing_form.html", {"form": form, "kind": kind, "demand": None,
                                                        "file_label": _handler(kind).file_label,
                                                        "panels": form_panels()},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.DEMAND_FILE)
def filing_edit(request, pk: int):
    demand = selectors.demand_get(actor=request.user, pk=pk)
    if not scope_for(request.user).writes(demand.issuing_unit):
        raise Http404
    if demand.status not in services.EDITABLE or demand.current_revision_id is None:
        # Submitted, decided, in force or from the old ledger (no version to start from): the filing's page
        # says why, as every refused action does.
        messages.error(request, _("Only a draft or a returned filing can be changed."))
        return redirect(demand)
    form_class = _handler(demand.kind).form_class
    form = form_class(request.POST or None, request.FILES or None, initial=_initial_from(demand),
                      **_form_kwargs(request, demand.kind, demand.issuing_unit))
    if request.method == "POST" and form.is_valid():
        try:
            demand = _save_filing(request, form, demand.kind, demand)
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("New version saved and checked."))
            return redirect(demand)
    return render(request, "demands/filing_form.html", {"form": form, "kind": demand.kind, "demand": demand,
                                                        "panels": form_panels()},
                  status=400 if form.errors else 200)


@login_required
def filing_detail(request, pk: int):
    demand = selectors.demand_get(actor=request.user, pk=pk)
    revision = demand.current_revision
    scope = scope_for(request.user)
    can_write = has_perm(request.user, Perm.DEMAND_FILE) and scope.writes(demand.issuing_unit)
    can_review = has_perm(request.user, Perm.DEMAND_REVIEW)
    findings = findings_for(request.user, revision.findings.select_related("rule_version")) if revision else []
    related = []
    if demand.kind == Kind.MEETING and revision is not None:
        related = [f for f in findings if f.detail.get("demand_id")]
    list_item = None
    if revision is not None and revision.data.get("list_item_id"):
        list_item = ListItem.objects.select_related("annual_list").filter(pk=revision.data["list_item_id"]).first()
    return render(request, "demands/filing_detail.html", {
        "demand": demand, "revision": revision, "list_item": list_item,
        "findings": findings,
        "revisions": demand.revisions.order_by("-number"), "reviews": demand.reviews.select_related("reviewer"),
        "targets": demand.targets.select_related("unit"),
        "can_edit": can_write and demand.status in services.EDITABLE,
        "can_submit": can_write and demand.status in services.EDITABLE and revision and not revision.blocking,
        "can_review": can_review and demand.status == Status.CHECKED,
        "notice_url": notice_url(demand),
        "queue_left": selectors.review_queue(actor=request.user).exclude(pk=demand.pk).count() if can_review else 0,
        "can_withdraw": (can_write or can_review) and demand.status in (
            Status.DRAFT, Status.RETURNED, Status.CHECKED, Status.APPROVED, Status.IN_FORCE),
        "review_form": ReviewForm(initial={"version": demand.version}),
        "withdraw_form": WithdrawForm(initial={"version": demand.version}),
        "related": related, "can_merge": can_review and demand.kind == Kind.MEETING,
        **_kind_detail(demand, revision, request.user),
        "detail_panels": detail_panels_render(request, demand),
    })


def _kind_detail(demand, revision, user) -> dict:
    """What the handler of the filing's kind shows about it on the filing page."""
    handler = kind_handler(demand.kind)
    if handler is None:
        return {}
    extra = handler.detail_context(demand, revision, user) if handler.detail_context else {}
    edit_url = reverse(handler.edit_url_name, args=[demand.pk]) if handler.edit_url_name else ""
    return {"kind_template": handler.detail_template, "kind_edit_url": edit_url, **extra}


def _act(request, pk: int, action):
    demand = selectors.demand_get(actor=request.user, pk=pk)
    try:
        action(demand)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(demand)


@login_required
@require_POST
@require_perm(Perm.DEMAND_FILE)
def filing_submit(request, pk: int):
    def act(demand):
        services.demand_submit(by=request.user, demand=demand, version=int(request.POST.get("version") or 0))
        flash_success(request, _("Submitted to the task force for review."))
    return _act(request, pk, act)


@login_required
@require_POST
@require_perm(Perm.DEMAND_REVIEW)
def filing_review(request, pk: int):
    form = ReviewForm(request.POST)

    def act(demand):
        if not form.is_valid():
            raise ApplicationError(_("Choose a decision."))
        d = form.cleaned_data
        result = services.demand_review(by=request.user, demand=demand, version=d["version"],
                                        decision=d["decision"], reason=d["reason"], valid_until=d["valid_until"])
        if result.control_number:
            flash_success(request, _("Approved: control number %(number)s.") % {"number": result.control_number})
        else:
            flash_success(request, _("Decision recorded."))
    return _act(request, pk, act)


@login_required
@require_POST
def filing_withdraw(request, pk: int):
    form = WithdrawForm(request.POST)

    def act(demand):
        if not form.is_valid():
            raise ApplicationError(_("Give the reason for withdrawing."))
        services.demand_withdraw(by=request.user, demand=demand, version=form.cleaned_data["version"],
                                 reason=form.cleaned_data["reason"])
        flash_success(request, _("Withdrawn."))
    return _act(request, pk, act)


@login_required
@require_POST
@require_perm(Perm.DEMAND_REVIEW)
def meeting_merge(request, pk: int):
    form = MergeForm(request.POST)

    def act(demand):
        if not form.is_valid():
            raise ApplicationError(_("Choose the meeting to keep."))
        keep = selectors.demand_get(actor=request.user, pk=form.cleaned_data["keep"])
        services.meetings_merge(by=request.user, keep=keep, absorb=demand, absorb_version=form.cleaned_data["version"],
                                reason=form.cleaned_data["reason"])
        flash_success(request, _("Merged into “%(title)s”.") % {"title": keep.title})
    return _act(request, pk, act)


@login_required
def revision_diff(request, pk: int, a: int, b: int):
    demand = selectors.demand_get(actor=request.user, pk=pk)
    revs = {r.number: r for r in demand.revisions.filter(number__in=[a, b])}
    if a not in revs or b not in revs:
        raise Http404
    old, new = revs[a], revs[b]
    lines = list(difflib.unified_diff(old.body.splitlines(), new.body.splitlines(), lineterm="", n=2))[2:]
    data_changes = [(k, old.data.get(k), new.data.get(k)) for k in sorted(set(old.data) | set(new.data))
                    if old.data.get(k) != new.data.get(k)]
    return render(request, "demands/diff.html", {"demand": demand, "old": old, "new": new, "lines": lines,
                                                 "data_changes": data_changes})


@login_required
def filing_list(request):
    form = FilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    issuer = request.GET.get("issuer")
    qs = selectors.demand_list(
        actor=request.user, q=d.get("q") or "", kind=d.get("kind") or "", status=d.get("status") or "",
        issuer_id=int(issuer) if issuer and issuer.isdigit() else None, name_group=request.GET.get("name", ""),
        city_wide=request.GET.get("city_wide", ""), date_from=d.get("date_from"), date_to=d.get("date_to"),
        issued_only=request.GET.get("issued") == "1", mine=bool(d.get("mine")))
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "demands.filings")
    page, query = paginate(request, qs)
    # Summing the burden of a large list scans all its rows (0.5 s for a township's 80,000 filings among
    # 1,000,000): it is shown on request there, and always for smaller lists.
    burden_hours = None
    if page.paginator.count < LARGE_COUNT or request.GET.get("burden") == "1":
        burden_hours = round((qs.aggregate(total=Sum("burden_minutes"))["total"] or 0) / 60, 1)
    return render(request, "demands/filing_list.html", {
        "form": form, "page": page, "query": query, "can_file": has_perm(request.user, Perm.DEMAND_FILE),
        "burden_hours": burden_hours})


@login_required
@require_perm(Perm.DEMAND_REVIEW)
def review_next(request):
    """One click to the next filing waiting in the queue (after the one just decided, if named)."""
    queue = selectors.review_queue(actor=request.user)
    after = request.GET.get("after", "")
    if after.isdigit():
        queue = queue.exclude(pk=int(after))
    following = queue.first()
    if following is None:
        flash_success(request, _("Nothing else waits for review."))
        return redirect("demands:review_queue")
    return redirect(following)


@login_required
@require_perm(Perm.DEMAND_REVIEW)
def review_queue(request):
    page, query = paginate(request, selectors.review_queue(actor=request.user))
    return render(request, "demands/review_queue.html", {"page": page, "query": query})


@login_required
def on_us(request):
    visible = units_visible(request.user)
    unit = None
    if request.GET.get("unit", "").isdigit():
        unit = visible.filter(pk=int(request.GET["unit"])).first()
        if unit is None:
            raise Http404
    qs = selectors.demands_on_units(actor=request.user, unit=unit)
    page, query = paginate(request, qs)
    mine = [m.unit for m in request.user.active_memberships]
    return render(request, "demands/on_us.html", {"page": page, "query": query, "unit": unit, "my_units": mine})


@login_required
@require_perm(Perm.DEMAND_VERIFY)
def verify(request):
    form = VerifyForm(request.GET or None)
    result = None
    report_form = None
    if form.is_valid():
        try:
            result = selectors.control_number_verify(actor=request.user, raw=form.cleaned_data["number"],
                                                     on=timezone.localdate())
        except TooManyRequests as exc:
            form.add_error(None, exc.message)
            response = render(request, "demands/verify.html", {"form": form, "result": None, "report_form": None},
                              status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if result.reportable:
            units = units_visible(request.user).filter(active=True)
            # The person's own unit, so that one click files the report.
            own = next((m.unit_id for m in request.user.active_memberships if m.unit.active), None)
            report_form = UnregisteredForm(initial={"number": result.number, "unit": own}, unit_queryset=units)
    return render(request, "demands/verify.html", {"form": form, "result": result, "report_form": report_form})


@login_required
@require_perm(Perm.DEMAND_VERIFY)
def unregistered_new(request):
    own = next((m.unit_id for m in request.user.active_memberships if m.unit.active), None)
    form = UnregisteredForm(request.POST or None, initial={"number": request.GET.get("number", ""), "unit": own},
                            unit_queryset=units_writable(request.user).filter(active=True))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            check = selectors.control_number_verify(actor=request.user, raw=d["number"],
                                                    on=timezone.localdate()) if d["number"] else None
            if check is not None and not check.reportable:
                raise ApplicationError(_("%(number)s is a valid control number: the demand is registered, so it is "
                                         "not an unregistered demand.") % {"number": check.number}, code="valid")
            report = reports.unregistered_report_create(
                by=request.user, unit=d["unit"], number_entered=d["number"] or "",
                lookup_result=check.result if check else "none", demand=check.demand if check else None,
                issuer_text=d["issuer_text"], description=d["description"])
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("Reported to the task force. You will find its answer in your inbox and on "
                                     "this page."))
            return redirect(report)
    return render(request, "demands/unregistered_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def unregistered_list(request):
    form = ReportFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = reports.report_list(actor=request.user, q=(d.get("q") or "").strip(), status=d.get("status") or "",
                             mine=bool(d.get("mine")))
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "demands.unregistered_reports")
    page, query = paginate(request, qs)
    return render(request, "demands/unregistered_list.html", {
        "form": form, "page": page, "query": query, "can_report": has_perm(request.user, Perm.DEMAND_VERIFY)
        and not scope_for(request.user).read_only})


@login_required
def unregistered_detail(request, pk: int):
    report = reports.report_get(actor=request.user, pk=pk)
    handler = reports.can_handle(request.user)
    version = {"version": report.version}
    forms_ = {}
    if handler and report.status == UnregisteredReport.Status.NEW:
        forms_["accept_form"] = ReportAcceptForm(initial=version)
    if handler and report.is_open:
        issuers = units_visible(request.user).filter(active=True, type__in=("department", "county", "township"))
        forms_["route_form"] = ReportRouteForm(initial={**version, "unit": report.demand.issuing_unit_id
                                                        if report.demand_id else None}, unit_queryset=issuers)
        forms_["close_form"] = ReportCloseForm(initial=version)
    if reports.can_answer(request.user, report):
        forms_["reply_form"] = ReportReplyForm(initial=version)
    return render(request, "demands/unregistered_detail.html", {
        "report": report, "events": report.events.select_related("by", "unit", "by_unit"), **forms_})


def _report_act(request, pk: int, form_class, act, done, **form_kwargs):
    report = reports.report_get(actor=request.user, pk=pk)
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(report)
    try:
        act(report, form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        flash_success(request, done)
    return redirect(report)


@login_required
@require_POST
def unregistered_accept(request, pk: int):
    return _report_act(request, pk, ReportAcceptForm, lambda r, d: reports.unregistered_report_accept(
        by=request.user, report=r, version=d["version"], note=d["note"]), _("The report is accepted."))


@login_required
@require_POST
def unregistered_route(request, pk: int):
    return _report_act(request, pk, ReportRouteForm, lambda r, d: reports.unregistered_report_route(
        by=request.user, report=r, version=d["version"], unit=d["unit"], note=d["note"]),
        _("The report was sent to the unit concerned for an answer."),
        unit_queryset=units_visible(request.user).filter(active=True))


@login_required
@require_POST
def unregistered_reply(request, pk: int):
    return _report_act(request, pk, ReportReplyForm, lambda r, d: reports.unregistered_report_reply(
        by=request.user, report=r, version=d["version"], text=d["text"]), _("The answer was sent to the reporter."))


@login_required
@require_POST
def unregistered_close(request, pk: int):
    return _report_act(request, pk, ReportCloseForm, lambda r, d: reports.unregistered_report_close(
        by=request.user, report=r, version=d["version"], note=d["note"]), _("The report is closed."))


def _period_from(request, *, actor, kind: str, name_group: str, city_wide: str
                 ) -> tuple[selectors.Period, DefaultPeriod | None]:
    """The period asked for; without one, the latest period with data (and how it was chosen)."""
    default = None
    if "year" not in request.GET:
        default = selectors.figures_default_period(actor=actor, kind=kind, name_group=name_group,
                                                   city_wide=city_wide, today=timezone.localdate())
    try:
        if default is not None:
            return selectors.Period(default.start, default.end), default
        year = int(request.GET["year"])
        m1 = int(request.GET.get("from_month", 1))
        m2 = int(request.GET.get("to_month", 12))
        # The year before must exist too, for the comparison.
        if not (dt.MINYEAR < year <= dt.MAXYEAR and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            raise ValueError(year)
        m1, m2 = min(m1, m2), max(m1, m2)
        start = dt.date(year, m1, 1)
        end = (dt.date(year + (m2 == 12), (m2 % 12) + 1, 1) - dt.timedelta(days=1))
    except (TypeError, ValueError):
        default = selectors.figures_default_period(actor=actor, kind=kind, name_group=name_group,
                                                   city_wide=city_wide, today=timezone.localdate())
        return selectors.Period(default.start, default.end), default
    return selectors.Period(start, end), None


@login_required
def figures(request):
    kind = request.GET.get("kind", Kind.DOCUMENT)
    if kind not in (Kind.DOCUMENT, Kind.MEETING):
        kind = Kind.DOCUMENT
    group_by = request.GET.get("group", "issued_in_name" if kind == Kind.DOCUMENT else "month")
    if group_by not in selectors.GROUPINGS:
        group_by = "month"
    default_name = "city" if kind == Kind.DOCUMENT else ""
    name_group = request.GET.get("name", default_name)
    city_wide = request.GET.get("city_wide", "1" if kind == Kind.MEETING else "")
    period, default = _period_from(request, actor=request.user, kind=kind, name_group=name_group,
                                   city_wide=city_wide)
    result = selectors.figures(actor=request.user, kind=kind, period=period, group_by=group_by,
                               name_group=name_group, city_wide=city_wide)
    labels = selectors.figure_group_labels(group_by, [r["key"] for r in result["rows"]])
    base = {"kind": kind, "issued": "1", "name": name_group, "city_wide": city_wide}
    for row in result["rows"]:
        row["label"] = labels.get(row["key"], row["key"])
        row["link_now"] = _list_link(base, group_by, row["key"], period)
        row["link_then"] = _list_link(base, group_by, row["key"], result["previous"])
    total_links = {"now": _list_link(base, None, None, period), "then": _list_link(base, None, None,
                                                                                  result["previous"])}
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "demands.figures", {
            "kind": kind, "group": group_by, "name": name_group, "city_wide": city_wide,
            "date_from": period.start.isoformat(), "date_to": period.end.isoformat()})
    chart = [{"label": str(r["label"]), "now": r["now"], "then": r["then"]} for r in result["rows"]]
    presets = [
        (_("Documents in the name of the city"), "?kind=document&name=city&group=issued_in_name"),
        (_("City-wide meetings"), "?kind=meeting&city_wide=1&group=month"),
    ]
    return render(request, "demands/figures.html", {
        "result": result, "kind": kind, "group_by": group_by, "name_group": name_group, "city_wide": city_wide,
        "period": period, "default": default, "total_links": total_links, "chart": chart, "presets": presets,
        "years": sorted({*range(period.start.year - 5, timezone.localdate().year + 1), period.start.year},
                        reverse=True),
        "months": range(1, 13), "from_month": period.start.month, "to_month": period.end.month,
        "groupings": [("issued_in_name", _("Issued in the name of")), ("issuing_unit", _("Issuing unit")),
                      ("document_kind", _("Kind of document")), ("month", _("Month"))],
        "names": [("city", _("City committee, government and the two general offices"))] + list(
            IssuedInName.choices) + [("", _("All"))],
    })


def _list_link(base: dict, group_by, key, period) -> str:
    from urllib.parse import urlencode

    params = dict(base, date_from=period.start.isoformat(), date_to=period.end.isoformat())
    if group_by == "issued_in_name" and key:
        params["name"] = key
    elif group_by == "issuing_unit" and key:
        params["issuer"] = key
    elif group_by == "month" and key:
        start = period.start.replace(month=key, day=1)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        params["date_from"], params["date_to"] = start.isoformat(), end.isoformat()
    return reverse("demands:list") + "?" + urlencode({k: v for k, v in params.items() if v not in ("", None)})




@login_required
def five_lists(request):
    """The 5 lists of a year; everyone logged in reads them."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    default = None
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    else:
        # The latest year that has lists (up to this year), saying so; this year when there are none.
        latest = AnnualList.objects.filter(year__lte=this_year).order_by("-year").values_list("year", flat=True).first()
        year = latest or this_year
        default = DefaultPeriod(year, 12, LATEST if latest else NONE)
    by_kind = {a.kind: a for a in AnnualList.objects.filter(year=year).annotate(
        n_items=Count("items", filter=Q(items__active=True))).select_related("scope_unit")}
    rows = [{"kind": kind, "label": label, "list": by_kind.get(kind)} for kind, label in ListKind.choices]
    years = sorted(set(AnnualList.objects.values_list("year", flat=True)) | {year}, reverse=True)
    can_edit = has_perm(request.user, Perm.LISTS_EDIT)
    form = AnnualListForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            try:
                annual = services.annual_list_create(by=request.user, kind=form.cleaned_data["kind"],
                                                     year=form.cleaned_data["year"])
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                flash_success(request, _("The list was started as a draft."))
                return redirect(annual)
    return render(request, "demands/five_lists.html", {"rows": rows, "year": year, "years": years,
                                                       "can_edit": can_edit, "form": form, "default": default},
                  status=400 if form.errors else 200)


@login_required
def five_list(request, pk: int):
    """One list with its items and, for each item, the filings matched to it that the reader may see."""
    annual = get_object_or_404(AnnualList.objects.select_related("scope_unit", "approved_by"), pk=pk)
    items = list(annual.items.select_related("responsible_unit"))
    matched = selectors.demands_visible(request.user).filter(
        current_revision__data__list_item_id__in=[i.pk for i in items]).exclude(
        status=Status.WITHDRAWN).select_related("current_revision").order_by("occurs_on")
    by_item: dict[int, list] = {}
    for d in matched:
        by_item.setdefault(d.current_revision.data.get("list_item_id"), []).append(d)
    rows = [{"item": i, "filings": by_item.get(i.pk, [])} for i in items]
    return render(request, "demands/five_list.html", {"list": annual, "rows": rows,
                                                      "can_edit": has_perm(request.user, Perm.LISTS_EDIT)})


def _list_item_form(request, annual: AnnualList, item: ListItem | None = None):
    initial = {"active": True}
    if item is not None:
        initial = {"title": item.title, "description": item.description, "responsible_unit": item.responsible_unit_id,
                   "planned_month": item.planned_month, "active": item.active}
    form = ListItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if item is None:
                d.pop("active")
                services.list_item_add(by=request.user, annual_list=annual, **d)
            else:
                services.list_item_update(by=request.user, item=item, **d)
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The list was saved."))
            return redirect(annual)
    return render(request, "demands/list_item_form.html", {"form": form, "list": annual, "item": item},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.LISTS_EDIT)
def list_item_new(request, pk: int):
    return _list_item_form(request, get_object_or_404(AnnualList, pk=pk))


@login_required
@require_perm(Perm.LISTS_EDIT)
def list_item_edit(request, pk: int):
    item = get_object_or_404(ListItem.objects.select_related("annual_list"), pk=pk)
    return _list_item_form(request, item.annual_list, item)


@login_required
@require_POST
@require_perm(Perm.LISTS_EDIT)
def list_item_deactivate(request, pk: int):
    item = get_object_or_404(ListItem.objects.select_related("annual_list"), pk=pk)
    services.list_item_deactivate(by=request.user, item=item)
    flash_success(request, _("“%(title)s” was taken off the list.") % {"title": item.title})
    return redirect(item.annual_list)


@login_required
@require_POST
@require_perm(Perm.LISTS_EDIT)
def five_list_approve(request, pk: int):
    annual = get_object_or_404(AnnualList, pk=pk)
    try:
        services.annual_list_approve(by=request.user, annual_list=annual)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        flash_success(request, _("The list was approved; filings of its kind and year are now checked against it."))
    return redirect(annual)
