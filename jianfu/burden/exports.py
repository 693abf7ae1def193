"""What the burden pages export: the year against the year before, one receiving unit's rows, one in one out.

Each build re-applies the person's scope through the selectors; the params are only the page's choices.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jianfu.core.errors import ApplicationError, NotFoundError
from jianfu.core.exports import ExportSheet, choice_labels, export_register, param
from jianfu.demands.models import Kind
from jianfu.org.scoping import units_visible

from . import selectors


def _year(params: dict) -> int:
    raw = param(params, "year")
    if not (raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise ApplicationError(_("Choose a year between 2000 and 2100."), code="year")
    return int(raw)


def overview_build(person, params: dict) -> ExportSheet:
    year = _year(params)
    result = selectors.burden_overview(actor=person, year=year)
    header = [_("Issuing unit"), str(year), str(year - 1), pgettext("year on year", "Change")]
    rows = [[r.label, r.now, r.then, f"{r.change:+.1f}%" if r.change is not None else ""] for r in result.by_issuer]
    return ExportSheet(filename=f"burden-{year}", sheet=_("Burden hours"), header=header, rows=rows,
                       total=len(rows))


def on_unit_build(person, params: dict) -> ExportSheet:
    year = _year(params)
    raw = param(params, "unit")
    unit = units_visible(person).filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None:
        raise NotFoundError()
    kind = param(params, "kind")
    links = selectors.links_on_unit(unit=unit, year=year, kind=kind if kind in Kind.values else "")
    kinds = choice_labels(Kind.choices)
    values = links.values_list("demand__control_number", "demand__title", "demand__kind", "issuing_unit__name",
                               "occurs_on", "minutes")
    rows = ([number or "", title, kinds.get(k, k), issuer, occurs_on, round(minutes / 60, 1)]
            for number, title, k, issuer, occurs_on, minutes in values.iterator(chunk_size=2000))
    header = [_("Control number"), _("Title"), _("Kind"), _("Issuing unit"), _("Date"), _("Hours for this unit")]
    return ExportSheet(filename=f"burden-{unit.code}-{year}", sheet=_("Burden hours"), header=header, rows=rows,
                       total=links.count())


def ledger_build(person, params: dict) -> ExportSheet:
    year = _year(params)
    rows = selectors.ledger(actor=person, year=year)
    if param(params, "over") == "1":
        rows = [r for r in rows if r.over > 0]
    header = [_("Issuing unit"), _("Budget (hours)"), _("Placed (hours)"), _("Of which recurring"),
              _("Over the budget")]
    out = [[r.unit.name, r.budget_hours if r.budget_hours is not None else "", r.placed, r.recurring, r.over]
           for r in rows]
    return ExportSheet(filename=f"one-in-one-out-{year}", sheet=_("One in, one out"), header=header, rows=out,
                       total=len(out))


def register() -> None:
    export_register("burden.overview", label=gettext_lazy("Burden hours by issuing unit"), build=overview_build)
    export_register("burden.on_unit", label=gettext_lazy("Burden hours placed on a unit"), build=on_unit_build)
    export_register("burden.ledger", label=gettext_lazy("One in, one out"), build=ledger_build)
