"""What the registry exports: the filings list, the reports of unregistered demands, the year-on-year figures.

Each build re-applies the person's scope through the selectors; the params are only the list's filters.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jianfu.core.errors import ApplicationError
from jianfu.core.exports import ExportSheet, choice_labels, export_register, form_data, param

from . import reports, selectors
from .forms import FilterForm, ReportFilterForm
from .models import IssuedInName, Kind, LookupResult, Status, UnregisteredReport


def filings_build(person, params: dict) -> ExportSheet:
    form = FilterForm(form_data(params) or None)
    d = form.cleaned_data if form.is_valid() else {}
    issuer = param(params, "issuer")
    qs = selectors.demand_list(
        actor=person, q=d.get("q") or "", kind=d.get("kind") or "", status=d.get("status") or "",
        issuer_id=int(issuer) if issuer.isdigit() else None, name_group=param(params, "name"),
        city_wide=param(params, "city_wide"), date_from=d.get("date_from"), date_to=d.get("date_to"),
        issued_only=param(params, "issued") == "1", mine=bool(d.get("mine")))
    kinds, names, statuses = choice_labels(Kind.choices), choice_labels(IssuedInName.choices), choice_labels(
        Status.choices)
    values = qs.values_list("control_number", "kind", "title", "issuing_unit__name", "issued_in_name", "occurs_on",
                            "status", "valid_from", "valid_until", "burden_minutes")
    rows = ([number or "", kinds.get(kind, kind), title, issuer_name, names.get(name, name) if name else "",
             occurs_on, statuses.get(status, status), valid_from, valid_until, round(minutes / 60, 1)]
            for (number, kind, title, issuer_name, name, occurs_on, status, valid_from, valid_until, minutes)
            in values.iterator(chunk_size=2000))
    header = [_("Control number"), _("Kind"), _("Title"), _("Issuing unit"), _("Issued in the name of"), _("Date"),
              _("Status"), _("Valid from"), _("Valid until"), _("Burden (hours)")]
    return ExportSheet(filename="demands", sheet=_("Demands"), header=header, rows=rows, total=qs.count())


def reports_build(person, params: dict) -> ExportSheet:
    form = ReportFilterForm(form_data(params) or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = reports.report_list(actor=person, q=(d.get("q") or "").strip(), status=d.get("status") or "",
                             mine=bool(d.get("mine")))
    results, statuses = choice_labels(LookupResult.choices), choice_labels(UnregisteredReport.Status.choices)
    values = qs.values_list("created_at", "unit__name", "number_entered", "lookup_result", "issuer_text",
                            "description", "status", "routed_to__name", "answered_at")
    rows = ([created, unit, number, results.get(result, result), issuer, description, statuses.get(status, status),
             routed_to or "", answered]
            for (created, unit, number, result, issuer, description, status, routed_to, answered)
            in values.iterator(chunk_size=2000))
    header = [_("Reported"), _("Receiving unit"), _("Number entered"), _("What the check found"),
              _("Who placed the demand"), _("What was demanded"), _("Status"), _("Sent to"), _("Last answer")]
    return ExportSheet(filename="unregistered-reports", sheet=_("Reports"), header=header, rows=rows,
                       total=qs.count())


def _date(params: dict, key: str) -> dt.date:
    try:
        return dt.date.fromisoformat(param(params, key))
    except ValueError:
        raise ApplicationError(_("The period of the figures is not a valid one."), code="period") from None


def figures_build(person, params: dict) -> ExportSheet:
    """The figures page as shown: the view passes the period it resolved, the selector scopes the counts."""
    kind = param(params, "kind", Kind.DOCUMENT)
    if kind not in (Kind.DOCUMENT, Kind.MEETING):
        kind = Kind.DOCUMENT
    group_by = param(params, "group", "month")
    if group_by not in selectors.GROUPINGS:
        group_by = "month"
    start, end = _date(params, "date_from"), _date(params, "date_to")
    if start > end:
        raise ApplicationError(_("The period of the figures is not a valid one."), code="period")
    result = selectors.figures(actor=person, kind=kind, period=selectors.Period(start, end), group_by=group_by,
                               name_group=param(params, "name"), city_wide=param(params, "city_wide"))
    labels = selectors.figure_group_labels(group_by, [r["key"] for r in result["rows"]])
    rows = [[labels.get(r["key"], r["key"]), r["now"], r["then"], r["change"] if r["change"] is not None else ""]
            for r in result["rows"]]
    rows.append([_("Total"), result["total_now"], result["total_then"], result["change"] or ""])
    header = [_("Group"), _("This period"), _("Same period last year"), _("Change (%)")]
    return ExportSheet(filename=f"figures-{kind}", sheet=_("Figures"), header=header, rows=rows, total=len(rows))


def register() -> None:
    export_register("demands.filings", label=gettext_lazy("Filings"), build=filings_build)
    export_register("demands.unregistered_reports", label=gettext_lazy("Reports of unregistered demands"),
                    build=reports_build)
    export_register("demands.figures", label=gettext_lazy("Year-on-year figures"), build=figures_build)
