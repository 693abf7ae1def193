"""Report-form pages: registering a form at the gate, the field dictionary, the import, the materials cut."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import export_start_response
from jianfu.core.pagination import paginate
from jianfu.core.views_helpers import flash_success, form_error_from, require_perm
from jianfu.demands.models import Demand
from jianfu.demands.services import EDITABLE
from jianfu.org.models import Unit, UnitType
from jianfu.org.permissions import Perm
from jianfu.org.scoping import has_perm, scope_for, units_targetable, units_visible, units_writable
from jianfu.rules.selectors import ruleset_for

from . import selectors, services
from .checks import FIELD_REUSE
from .forms import (
    BaselineForm,
    FieldDefinitionForm,
    FieldFilter,
    FormImportForm,
    ReportFormFilter,
    ReportFormForm,
    field_lines,
)
from .importing import problem_text, read_form_definition
from .models import FieldDefinition, Frequency, MaterialType
from .reuse import AskedField, field_reuse
from .services import NewField
from .spreadsheets import template_workbook

# --- report forms ------------------------------------------------------------------------------------------


@login_required
def report_form_list(request):
    form = ReportFormFilter(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    issuer = request.GET.get("issuer", "")
    qs = selectors.report_form_list(
        actor=request.user, q=d.get("q") or "", status=d.get("status") or "",
        material_type=d.get("material_type") or "", frequency=d.get("frequency") or "",
        issuer_id=int(issuer) if issuer.isdigit() else None, year=d.get("year"),
        counted_only=request.GET.get("counted") == "1")
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "reportforms.forms")
    page, query = paginate(request, qs)
    issuer_unit = Unit.objects.filter(pk=int(issuer)).first() if issuer.isdigit() else None
    return render(request, "reportforms/form_list.html", {
        "form": form, "page": page, "query": query, "issuer": issuer_unit,
        "can_file": has_perm(request.user, Perm.DEMAND_FILE)})


def _form_kwargs(request) -> dict:
    return {"issuer_queryset": units_writable(request.user).filter(active=True),
            "target_queryset": units_targetable(request.user).order_by("path")}


def _reuse_preview(form: ReportFormForm, unit: Unit | None, exclude_id: int | None, reader):
    """What the gate will find, shown before anything is saved."""
    d = form.cleaned_data
    asked = [AskedField(name=f.name, definition=f.definition, field_id=f.pk) for f in d.get("dictionary_fields") or []]
    asked += [AskedField(name=f.name, definition=f.definition) for f in d.get("typed_fields") or []]
    rules = ruleset_for(unit=unit, on=d.get("occurs_on") or timezone.localdate())
    reuse = field_reuse(asked=asked, threshold=float(rules.value(FIELD_REUSE, 0.6)),
                        exclude_demand_id=exclude_id).for_reader(reader)
    return {"rows": [{"field": a, "hits": reuse.for_field(i)} for i, a in enumerate(asked)],
            "merge": reuse.merge_candidate(), "forms": reuse.forms, "total": len(asked)}


def _registration(request, demand: Demand | None, initial: dict):
    bound = request.method == "POST" and not request.POST.get("from_import")
    if request.method == "POST" and request.POST.get("from_import"):
        # Filled from an imported workbook: show it to be completed, nothing is saved yet.
        initial = {**initial, "new_fields": request.POST.get("new_fields", "")}
    form = ReportFormForm(request.POST if bound else None, initial=initial, **_form_kwargs(request))
    preview = None
    if bound and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _reuse_preview(form, form.cleaned_data["issuing_unit"], demand.pk if demand else None,
                                     request.user)
        else:
            try:
                if demand is None:
                    saved = services.report_form_file(by=request.user, issuing_unit=form.cleaned_data["issuing_unit"],
                                                      **form.service_kwargs())
                else:
                    existing = {t.unit_id: t.include_below for t in demand.targets.all()}
                    saved = services.report_form_revise(by=request.user, demand=demand,
                                                        version=form.cleaned_data.get("version") or 0,
                                                        **form.service_kwargs(existing))
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                flash_success(request, _("Draft saved and checked.") if demand is None
                              else _("New version saved and checked."))
                return redirect(saved)
    return render(request, "reportforms/form_form.html", {"form": form, "demand": demand, "preview": preview},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.DEMAND_FILE)
def report_form_new(request):
    mine = units_writable(request.user).filter(active=True).first()
    return _registration(request, None, {"issuing_unit": mine.pk if mine else None,
                                         "occurs_on": timezone.localdate()})


@login_required
@require_perm(Perm.DEMAND_FILE)
def report_form_edit(request, pk: int):
    demand = selectors.report_form_get(actor=request.user, pk=pk)
    if not scope_for(request.user).writes(demand.issuing_unit):
        raise Http404
    if demand.status not in EDITABLE:
        return redirect(demand)
    data = demand.current_revision.data if demand.current_revision else {}
    targets = list(demand.targets.all())
    fields = data.get("fields", [])
    # Optional fields go back as typed lines marked 选填, so a new version keeps them optional.
    ids = [f["id"] for f in fields if f.get("required", True)]
    optional = [NewField(name=f["name"], required=False) for f in fields if not f.get("required", True)]
    initial = {"title": demand.title, "issuing_unit": demand.issuing_unit_id, "occurs_on": demand.occurs_on,
               "targets": [(t.unit_id, t.include_below) for t in targets],
               "version": demand.version, "material_type": data.get("material_type"),
               "frequency": data.get("frequency"), "minutes_per_response": data.get("minutes_per_response"),
               "responses_per_year": data.get("responses_per_year") if data.get("frequency") == Frequency.PER_EVENT
               else None, "dictionary_fields": ids, "new_fields": field_lines(optional),
               "body": demand.current_revision.body if demand.current_revision else ""}
    return _registration(request, demand, initial)


@login_required
@require_perm(Perm.DEMAND_FILE)
def form_import(request):
    """Upload a workbook describing the form's fields; a good one previews and then fills the form."""
    form = FormImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = read_form_definition(upload.read(), file_name=upload.name)
        if result.ok:
            return render(request, "reportforms/import_preview.html", {
                "result": result, "file_name": upload.name, "lines": field_lines(result.fields)})
    problems = [problem_text(p) for p in result.problems] if result else []
    return render(request, "reportforms/import.html", {"form": form, "problems": problems},
                  status=400 if (form.errors or problems) else 200)


@login_required
@require_perm(Perm.DEMAND_FILE)
def form_import_template(request):
    response = HttpResponse(template_workbook(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="jianfu-report-form-template.xlsx"'
    return response


# --- the field dictionary ----------------------------------------------------------------------------------


@login_required
def field_list(request):
    form = FieldFilter(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.field_list(q=d.get("q") or "", active=d.get("active") or "", proposed=d.get("proposed") or "",
                              holder_id=d["holder"].pk if d.get("holder") else None)
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "reportforms.fields")
    page, query = paginate(request, qs)
    return render(request, "reportforms/field_list.html", {
        "form": form, "page": page, "query": query, "can_edit": has_perm(request.user, Perm.FIELD_DICTIONARY)})


@login_required
def field_detail(request, pk: int):
    field = selectors.field_get(pk=pk)
    forms = selectors.forms_collecting(actor=request.user, field=field)
    page, query = paginate(request, forms, default_size=25)
    return render(request, "reportforms/field_detail.html", {
        "field": field, "page": page, "query": query, "can_edit": has_perm(request.user, Perm.FIELD_DICTIONARY)})


def _field_form(request, field: FieldDefinition | None):
    initial = {"active": True}
    if field is not None:
        initial = {"name": field.name, "definition": field.definition, "unit_of_measure": field.unit_of_measure,
                   "holder": field.holder_id, "aliases": field.aliases, "notes": field.notes,
                   "active": field.active, "proposed": field.proposed}
    form = FieldDefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if field is None:
                d.pop("proposed")
                saved = services.field_definition_create(by=request.user, **d)
            else:
                saved = services.field_definition_update(by=request.user, field=field, **d)
        except ApplicationError as exc:
            form_error_from(form, exc)
        else:
            flash_success(request, _("The dictionary was saved."))
            return redirect(saved)
    return render(request, "reportforms/field_form.html", {"form": form, "field": field},
                  status=400 if form.errors else 200)


@login_required
@require_perm(Perm.FIELD_DICTIONARY)
def field_new(request):
    return _field_form(request, None)


@login_required
@require_perm(Perm.FIELD_DICTIONARY)
def field_edit(request, pk: int):
    return _field_form(request, selectors.field_get(pk=pk))


# --- report materials against the baseline ----------------------------------------------------------------

def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _forms_link(unit_id: int, year: int, material: str = "") -> str:
    params = {"issuer": unit_id, "year": year, "counted": "1"}
    if material:
        params["material_type"] = material
    return reverse("reportforms:list") + "?" + urlencode(params)


@login_required
def materials(request):
    default = None
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    else:
        default = selectors.materials_default_year(actor=request.user, today=timezone.localdate())
        year = default.year
    rows = selectors.materials_figures(actor=request.user, year=year, short_only=request.GET.get("short") == "1")
    types = list(MaterialType.choices)
    if request.GET.get("export") == "xlsx":
        return export_start_response(request, "reportforms.materials", {
            "year": year, "short": "1" if request.GET.get("short") == "1" else ""})
    shown = []
    for r in rows:
        shown.append({"row": r, "cells": [
            {"baseline": b, "now": n, "link": _forms_link(r.unit.pk, year, t),
             "baseline_link": _forms_link(r.unit.pk, r.baseline.year, t) if r.baseline else ""}
            for t, b, n in r.by_type()],
            "total_link": _forms_link(r.unit.pk, year),
            "baseline_link": reverse("reportforms:baselines") + f"?unit={r.unit.pk}"})
    this_year = timezone.localdate().year
    years = sorted({year, *range(min(year, this_year) - 3, this_year + 1)}, reverse=True)
    return render(request, "reportforms/materials.html", {
        "rows": shown, "year": year, "years": years, "types": types, "short": request.GET.get("short") == "1",
        "short_count": sum(1 for r in rows if r.meets is False), "default": default,
        "can_set": has_perm(request.user, Perm.REPORT_BASELINE)})


@login_required
def baselines(request):
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit() and not units_visible(request.user).filter(pk=int(unit_id)).exists():
        raise Http404
    can_set = has_perm(request.user, Perm.REPORT_BASELINE)
    departments = units_visible(request.user).filter(type=UnitType.DEPARTMENT, active=True).order_by("code")
    initial = {"year": timezone.localdate().year - 1, "unit": int(unit_id) if unit_id.isdigit() else None}
    form = BaselineForm(request.POST or None, unit_queryset=departments, initial=initial)
    if request.method == "POST":
        if not can_set:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.material_baseline_set(by=request.user, **d)
            except ApplicationError as exc:
                form_error_from(form, exc)
            else:
                flash_success(request, _("The baseline was saved."))
                return redirect(reverse("reportforms:baselines") + f"?unit={d['unit'].pk}")
    qs = selectors.baselines_visible(actor=request.user, unit_id=int(unit_id) if unit_id.isdigit() else None)
    page, query = paginate(request, qs)
    return render(request, "reportforms/baselines.html", {"form": form, "page": page, "query": query,
                                                          "can_set": can_set},
                  status=400 if form.errors else 200)
