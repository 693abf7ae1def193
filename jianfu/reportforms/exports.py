"""What the report-form pages export: registered forms, the field dictionary, report materials against the baseline.

Each build re-applies the person's scope through the selectors; the params are only the page's filters.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import ExportSheet, choice_labels, export_register, form_data, param
from jianfu.demands.models import Status

from . import selectors
from .forms import FieldFilter, ReportFormFilter
from .models import Frequency, MaterialType


def forms_build(person, params: dict) -> ExportSheet:
    form = ReportFormFilter(form_data(params) or None)
    d = form.cleaned_data if form.is_valid() else {}
    issuer = param(params, "issuer")
    qs = selectors.report_form_list(
        actor=person, q=d.get("q") or "", status=d.get("status") or "",
        material_type=d.get("material_type") or "", frequency=d.get("frequency") or "",
        issuer_id=int(issuer) if issuer.isdigit() else None, year=d.get("year"),
        counted_only=param(params, "counted") == "1")
    materials, frequencies = choice_labels(MaterialType.choices), choice_labels(Frequency.choices)
    statuses = choice_labels(Status.choices)
    values = qs.values_list("control_number", "title", "issuing_unit__name", "form_profile__material_type",
                            "form_profile__frequency", "form_profile__respondents", "form_profile__field_count",
                            "burden_minutes", "occurs_on", "status", "valid_until")
    rows = ([number or "", title, issuer_name, materials.get(material, material or ""),
             frequencies.get(frequency, frequency or ""), "" if respondents is None else respondents,
             "" if fields is None else fields, round(minutes / 60, 1), occurs_on, statuses.get(status, status),
             valid_until]
            for (number, title, issuer_name, material, frequency, respondents, fields, minutes, occurs_on, status,
                 valid_until) in values.iterator(chunk_size=2000))
    header = [_("Control number"), _("Title"), _("Issuing unit"), _("Type of material"), _("How often"),
              _("Respondent units"), _("Fields"), _("Burden (hours a year)"), _("Date"), _("Status"),
              _("Valid until")]
    return ExportSheet(filename="report-forms", sheet=_("Report forms"), header=header, rows=rows,
                       total=qs.count())


def fields_build(person, params: dict) -> ExportSheet:
    """The field dictionary is one for the whole city: everyone who may log in reads it."""
    form = FieldFilter(form_data(params) or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.field_list(q=d.get("q") or "", active=d.get("active") or "", proposed=d.get("proposed") or "",
                              holder_id=d["holder"].pk if d.get("holder") else None)
    yes, no = _("Yes"), _("No")
    values = qs.values_list("name", "definition", "unit_of_measure", "holder__name", "aliases", "active",
                            "proposed", "forms")
    rows = ([name, definition, unit_of_measure, holder or "", aliases, yes if active else no,
             yes if proposed else no, forms]
            for name, definition, unit_of_measure, holder, aliases, active, proposed, forms
            in values.iterator(chunk_size=2000))
    header = [_("Field name"), _("Definition"), _("Unit of measure"), _("Held by"), _("Other names"), _("In use"),
              _("Proposed"), _("Forms asking for it")]
    return ExportSheet(filename="field-dictionary", sheet=_("Field dictionary"), header=header, rows=rows,
                       total=qs.count())


def materials_build(person, params: dict) -> ExportSheet:
    raw = param(params, "year")
    if not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise ApplicationError(_("Choose a year between 2000 and 2100."), code="year")
    year = int(raw)
    rows = selectors.materials_figures(actor=person, year=year, short_only=param(params, "short") == "1")
    types = list(MaterialType.choices)
    header = [_("Department"), _("Base year")] + [f"{label} ({_('baseline')})" for _v, label in types] + [
        _("Baseline total")] + [f"{label} ({year})" for _v, label in types] + [
        _("Total in %(year)s") % {"year": year}, _("Cut (%)"), _("Target (%)"), _("Meets the target")]
    out = []
    for r in rows:
        by_type = r.by_type()
        out.append([r.unit.name, r.baseline.year if r.baseline else ""]
                   + [b if b is not None else "" for _t, b, _n in by_type]
                   + [r.baseline.total if r.baseline else ""] + [n for _t, _b, n in by_type]
                   + [r.now_total, r.cut if r.cut is not None else "", r.target if r.target is not None else "",
                      "" if r.meets is None else (_("Yes") if r.meets else _("No"))])
    return ExportSheet(filename=f"report-materials-{year}", sheet=_("Report materials"), header=header, rows=out,
                       total=len(out))


def register() -> None:
    export_register("reportforms.forms", label=gettext_lazy("Report forms"), build=forms_build)
    export_register("reportforms.fields", label=gettext_lazy("Field dictionary"), build=fields_build)
    export_register("reportforms.materials", label=gettext_lazy("Report materials against the baseline"),
                    build=materials_build)
