"""How the registry's audit records read: filings, reviews, the 5 lists and unregistered-demand reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import AuditAction, action_register, choice_label, object_type_register

from .models import AnnualList, Demand, Kind, ListItem, ListKind, LookupResult, Review, Status, UnregisteredReport

DEMAND = "demands.demand"
REPORT = "demands.unregisteredreport"
ANNUAL_LIST = "demands.annuallist"
LIST_ITEM = "demands.listitem"

# What a filing of each kind is called inside a sentence ("… approved document “…”").
KIND_NOUNS = {
    Kind.DOCUMENT: _("document"),
    Kind.MEETING: _("meeting"),
    Kind.INSPECTION: _("inspection"),
    Kind.REPORT_FORM: _("report form"),
    Kind.TRACE: _("trace-keeping requirement"),
}


def _kind_noun(values: Mapping[str, Any]) -> Any:
    return KIND_NOUNS.get(values.get("kind"))


def _control_number(values: Mapping[str, Any]) -> str | None:
    return values.get("control_number") or None


def demand_fields() -> dict[str, Any]:
    """Labels of the keys in a filing's before/after (the snapshot and what reviews add to it)."""
    meta = Demand._meta
    return {
        "kind": meta.get_field("kind").verbose_name, "title": meta.get_field("title").verbose_name,
        "status": meta.get_field("status").verbose_name, "issuer": meta.get_field("issuing_unit").verbose_name,
        "occurs_on": meta.get_field("occurs_on").verbose_name,
        "control_number": meta.get_field("control_number").verbose_name,
        "valid_from": meta.get_field("valid_from").verbose_name,
        "valid_until": meta.get_field("valid_until").verbose_name, "revision": _("version"),
        "reason": _("reason"), "merged_into": meta.get_field("merged_into").verbose_name,
        "absorbed": _("meeting merged in"), "targets_added": _("receiving units added"),
    }


def demand_values() -> dict[str, Any]:
    return {"kind": choice_label(Kind.choices), "status": choice_label(Status.choices)}


def register() -> None:
    """Register the sentences, labels and value formatters of every action the registry writes."""
    object_type_register(DEMAND, _("filing"), kind_label=_kind_noun, reference=_control_number)
    object_type_register(REPORT, UnregisteredReport._meta.verbose_name)
    object_type_register(ANNUAL_LIST, AnnualList._meta.verbose_name)
    object_type_register(LIST_ITEM, _("list item"))

    fields, values = demand_fields(), demand_values()

    def filing(action: str, sentence: Any) -> AuditAction:
        return AuditAction(action, sentence, fields=fields, values=values, object_type=DEMAND)

    decisions = {
        Review.Decision.APPROVE: _("%(actor)s approved %(object)s"),
        Review.Decision.RETURN: _("%(actor)s returned %(object)s for changes"),
        Review.Decision.REJECT: _("%(actor)s rejected %(object)s"),
    }
    action_register(
        filing("demand.file", _("%(actor)s filed %(object)s")),
        filing("demand.revise", _("%(actor)s revised %(object)s")),
        filing("demand.submit", _("%(actor)s submitted %(object)s")),
        *(filing(f"demand.review.{decision.value}", sentence) for decision, sentence in decisions.items()),
        filing("demand.withdraw", _("%(actor)s withdrew %(object)s")),
        filing("demand.absorb", _("%(actor)s merged another meeting into %(object)s")),
        filing("demand.merge", _("%(actor)s merged %(object)s into another meeting")),
        filing("demand.in_force", _("%(actor)s put %(object)s in force")),
        filing("demand.expire", _("%(actor)s marked %(object)s as expired")),
        filing("demand.record_ledger", _("%(actor)s recorded %(object)s from the old ledger")),
        filing("demand.register_planned", _("%(actor)s registered %(object)s as approved with its plan")),
    )

    report = UnregisteredReport._meta
    report_fields = {
        "status": report.get_field("status").verbose_name, "unit": report.get_field("unit").verbose_name,
        "routed_to": report.get_field("routed_to").verbose_name,
        "number": report.get_field("number_entered").verbose_name,
        "result": report.get_field("lookup_result").verbose_name, "text": _("answer"), "note": _("note"),
    }
    report_values = {"status": choice_label(UnregisteredReport.Status.choices),
                     "result": choice_label(LookupResult.choices)}

    def report_action(action: str, sentence: Any) -> AuditAction:
        return AuditAction(action, sentence, fields=report_fields, values=report_values, object_type=REPORT)

    action_register(
        report_action("unregistered_report.create", _("%(actor)s reported %(object)s")),
        report_action("unregistered_report.accept", _("%(actor)s accepted %(object)s")),
        report_action("unregistered_report.route", _("%(actor)s sent %(object)s to the unit concerned")),
        report_action("unregistered_report.reply", _("%(actor)s answered %(object)s")),
        report_action("unregistered_report.close", _("%(actor)s closed %(object)s")),
    )

    annual, item = AnnualList._meta, ListItem._meta
    list_fields = {
        "kind": annual.get_field("kind").verbose_name, "year": annual.get_field("year").verbose_name,
        "scope": annual.get_field("scope_unit").verbose_name, "status": annual.get_field("status").verbose_name,
        "approved_by": annual.get_field("approved_by").verbose_name,
        "approved_at": annual.get_field("approved_at").verbose_name,
    }
    list_values = {"kind": choice_label(ListKind.choices), "status": choice_label(AnnualList.Status.choices)}
    item_fields = {
        "list": item.get_field("annual_list").verbose_name, "title": item.get_field("title").verbose_name,
        "description": item.get_field("description").verbose_name,
        "responsible_unit": item.get_field("responsible_unit").verbose_name,
        "planned_month": item.get_field("planned_month").verbose_name,
        "active": item.get_field("active").verbose_name,
    }
    action_register(
        AuditAction("annual_list.create", _("%(actor)s created %(object)s"), fields=list_fields,
                    values=list_values, object_type=ANNUAL_LIST),
        AuditAction("annual_list.approve", _("%(actor)s approved %(object)s"), fields=list_fields,
                    values=list_values, object_type=ANNUAL_LIST),
        AuditAction("list_item.add", _("%(actor)s added %(object)s"), fields=item_fields, object_type=LIST_ITEM),
        AuditAction("list_item.update", _("%(actor)s changed %(object)s"), fields=item_fields,
                    object_type=LIST_ITEM),
    )
