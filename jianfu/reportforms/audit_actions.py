"""How the report forms' audit records read: the field dictionary, ledger forms, material baselines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import AuditAction, action_register, choice_label, object_type_register

from .models import FieldDefinition, FormProfile, Frequency, MaterialBaseline, MaterialType


def register() -> None:
    """Register the sentences, labels and value formatters of every action the reportforms app writes."""
    definition, baseline, profile = FieldDefinition._meta, MaterialBaseline._meta, FormProfile._meta
    object_type_register("reportforms.fielddefinition", definition.verbose_name)
    object_type_register("reportforms.materialbaseline", baseline.verbose_name)

    definition_fields = {name: definition.get_field(name).verbose_name for name in (
        "name", "definition", "unit_of_measure", "holder", "aliases", "notes", "active", "proposed")}
    baseline_fields = {name: baseline.get_field(name).verbose_name for name in (
        "unit", "year", "report_sets", "briefings", "ledgers", "others", "note")}
    ledger_fields = {"material_type": profile.get_field("material_type").verbose_name,
                     "frequency": profile.get_field("frequency").verbose_name}
    ledger_values = {"material_type": choice_label(MaterialType.choices), "frequency": choice_label(Frequency.choices)}
    action_register(
        AuditAction("field_definition.create", _("%(actor)s added %(object)s"), fields=definition_fields,
                    object_type="reportforms.fielddefinition"),
        AuditAction("field_definition.update", _("%(actor)s changed %(object)s"), fields=definition_fields,
                    object_type="reportforms.fielddefinition"),
        AuditAction("field_definition.propose", _("%(actor)s proposed %(object)s"), fields=definition_fields,
                    object_type="reportforms.fielddefinition"),
        AuditAction("report_form.record_ledger", _("%(actor)s recorded the form details of %(object)s"),
                    fields=ledger_fields, values=ledger_values, object_type="demands.demand"),
        AuditAction("material_baseline.set", _("%(actor)s set %(object)s"), fields=baseline_fields,
                    object_type="reportforms.materialbaseline"),
    )
