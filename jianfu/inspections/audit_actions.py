"""How the inspection plans' audit records read: plans, their items, one-off approvals."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import (
    LIST_SEPARATOR,
    AuditAction,
    action_register,
    choice_label,
    format_value,
    object_type_register,
)

from .models import InspectionPlan, Method, OneOffApproval, PlanItem, PlanItemTarget

PLAN = "inspections.inspectionplan"
ITEM = "inspections.planitem"
DEMAND = "demands.demand"


def _months(value: Any) -> str:
    if not isinstance(value, list):
        return format_value(value)
    return LIST_SEPARATOR.join(gettext("Month %(m)s") % {"m": m} for m in value)


def _targets(value: Any) -> str:
    """Inspected units as stored ([unit id, and below]): "12 and the units below it、15"."""
    if not isinstance(value, list):
        return format_value(value)
    parts = []
    for target in value:
        if isinstance(target, list) and len(target) == 2:
            unit, below = target
            parts.append(gettext("%(unit)s and the units below it") % {"unit": unit} if below else str(unit))
        else:
            parts.append(format_value(target))
    return LIST_SEPARATOR.join(parts)


def register() -> None:
    """Register the sentences, labels and value formatters of every action the inspections app writes."""
    plan, item, approval = InspectionPlan._meta, PlanItem._meta, OneOffApproval._meta
    object_type_register(PLAN, plan.verbose_name)
    object_type_register(ITEM, item.verbose_name)

    plan_fields = {
        "year": plan.get_field("year").verbose_name, "unit": plan.get_field("unit").verbose_name,
        "status": plan.get_field("status").verbose_name, "approved_by": plan.get_field("approved_by").verbose_name,
        "approved_at": plan.get_field("approved_at").verbose_name, "items": _("items approved"),
    }
    plan_values = {"status": choice_label(InspectionPlan.Status.choices)}
    item_fields = {
        "plan": item.get_field("plan").verbose_name, "unit": item.get_field("proposing_unit").verbose_name,
        "title": item.get_field("title").verbose_name, "description": item.get_field("description").verbose_name,
        "method": item.get_field("method").verbose_name,
        "times_per_year": item.get_field("times_per_year").verbose_name,
        "on_site": item.get_field("on_site").verbose_name, "months": item.get_field("months").verbose_name,
        "prepares": item.get_field("prepares").verbose_name, "status": item.get_field("status").verbose_name,
        "merged_into": item.get_field("merged_into").verbose_name,
        "targets": PlanItemTarget._meta.verbose_name_plural, "demand": item.get_field("demand").verbose_name,
        "reason": _("reason"), "absorbed": _("items merged in"), "control_number": _("control number"),
    }
    item_values = {"method": choice_label(Method.choices), "status": choice_label(PlanItem.Status.choices),
                   "months": _months, "targets": _targets}
    approval_fields = {"approver": approval.get_field("approver").verbose_name,
                       "approved_on": approval.get_field("approved_on").verbose_name,
                       "reason": approval.get_field("reason").verbose_name}

    def plan_action(action: str, sentence: Any) -> AuditAction:
        return AuditAction(action, sentence, fields=plan_fields, values=plan_values, object_type=PLAN)

    def item_action(action: str, sentence: Any) -> AuditAction:
        return AuditAction(action, sentence, fields=item_fields, values=item_values, object_type=ITEM)

    action_register(
        plan_action("inspection_plan.create", _("%(actor)s opened %(object)s")),
        plan_action("inspection_plan.approve", _("%(actor)s approved %(object)s")),
        item_action("plan_item.propose", _("%(actor)s proposed %(object)s")),
        item_action("plan_item.update", _("%(actor)s changed %(object)s")),
        item_action("plan_item.drop", _("%(actor)s dropped %(object)s")),
        item_action("plan_item.merge", _("%(actor)s merged %(object)s into another item")),
        item_action("plan_item.absorb", _("%(actor)s merged other items into %(object)s")),
        item_action("plan_item.approve", _("%(actor)s approved %(object)s")),
        AuditAction("inspection.one_off_approval", _("%(actor)s recorded a one-off approval of %(object)s"),
                    fields=approval_fields, object_type=DEMAND),
    )
