"""How the burden ledger's audit records read: estimates, the standard activity table, budgets."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import (
    LIST_SEPARATOR,
    AuditAction,
    action_prefix_register,
    action_register,
    format_value,
    object_type_register,
)

from .models import Activity, ActivityTable, Budget, Complexity, Estimate

DEMAND = "demands.demand"


def _minutes(value: Any) -> str:
    """The activity table as "Fill in a form: Simple 15、Medium 45、Complex 120; …"."""
    if not isinstance(value, dict):
        return format_value(value)
    activities, complexities = dict(Activity.choices), dict(Complexity.choices)
    rows = []
    for activity, row in value.items():
        if not isinstance(row, dict):
            rows.append(f"{activities.get(activity, activity)}: {format_value(row)}")
            continue
        cells = LIST_SEPARATOR.join(f"{complexities.get(c, c)} {n}" for c, n in row.items())
        rows.append(f"{activities.get(activity, activity)}: {cells}")
    return "; ".join(rows)


def register() -> None:
    """Register the sentences, labels and value formatters of every action the burden app writes."""
    table, budget, estimate = ActivityTable._meta, Budget._meta, Estimate._meta
    object_type_register("burden.activitytable", table.verbose_name)
    object_type_register("burden.budget", budget.verbose_name)

    estimate_fields = {
        "estimate": estimate.get_field("number").verbose_name,
        "total_minutes": estimate.get_field("total_minutes").verbose_name,
        "units": estimate.get_field("units").verbose_name,
        "occurrences": estimate.get_field("occurrences").verbose_name,
        "note": estimate.get_field("note").verbose_name,
    }
    sentences = {
        Estimate.Reason.INITIAL: _("%(actor)s estimated the burden of %(object)s"),
        Estimate.Reason.CHANGED: _("%(actor)s estimated the burden of %(object)s again after it changed"),
        Estimate.Reason.RE_ESTIMATE: _("%(actor)s corrected the burden estimate of %(object)s"),
    }
    action_register(*(
        AuditAction(f"burden.estimate.{reason.value}", sentence, fields=estimate_fields, object_type=DEMAND)
        for reason, sentence in sentences.items()
    ))
    # A reason added later still reads as an estimate.
    action_prefix_register("burden.estimate.", _("%(actor)s estimated the burden of %(object)s"),
                           fields=estimate_fields, object_type=DEMAND)

    table_fields = {"version": table.get_field("version").verbose_name,
                    "from": table.get_field("effective_from").verbose_name,
                    "minutes": table.get_field("minutes").verbose_name, "note": table.get_field("note").verbose_name}
    budget_fields = {"unit": budget.get_field("unit").verbose_name, "year": budget.get_field("year").verbose_name,
                     "hours": budget.get_field("hours").verbose_name, "note": budget.get_field("note").verbose_name}
    action_register(
        AuditAction("activity_table.change", _("%(actor)s set %(object)s"), fields=table_fields,
                    values={"minutes": _minutes}, object_type="burden.activitytable"),
        AuditAction("budget.set", _("%(actor)s set %(object)s"), fields=budget_fields, object_type="burden.budget"),
    )
