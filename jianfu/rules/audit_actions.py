"""How the rulebook's audit records read: rule versions and the trace-keeping allow-list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jianfu.audit.describe import (
    LIST_SEPARATOR,
    AuditAction,
    action_register,
    choice_label,
    format_value,
    object_type_register,
)

from .catalogue import RULES, rule_label
from .models import RuleVersion, Severity, TraceBasis


def _rule_noun(values: Mapping[str, Any]) -> Any:
    """A rule version reads as its rule's name ("meeting length limit") when the code is known."""
    code = values.get("code")
    return rule_label(code) if code in RULES else None


def _rule(value: Any) -> str:
    return str(rule_label(value)) if value in RULES else format_value(value)


def _rule_value(value: Any) -> str:
    """Categories read by their name in the reader's language; other values as they are."""
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        key = "en" if (get_language() or "").startswith("en") else "zh"
        return LIST_SEPARATOR.join(str(v.get(key) or v.get("zh") or v.get("code", "")) for v in value)
    return format_value(value)


def register() -> None:
    """Register the sentences, labels and value formatters of every action the rules app writes."""
    version, basis = RuleVersion._meta, TraceBasis._meta
    object_type_register("rules.ruleversion", version.verbose_name, kind_label=_rule_noun)
    object_type_register("rules.tracebasis", basis.verbose_name)
    rule_fields = {
        "code": version.get_field("code").verbose_name, "version": version.get_field("version").verbose_name,
        "value": version.get_field("value").verbose_name, "severity": version.get_field("severity").verbose_name,
        "clause": version.get_field("source_clause").verbose_name,
        "from": version.get_field("effective_from").verbose_name,
        "to": version.get_field("effective_to").verbose_name, "scope": version.get_field("scope_unit").verbose_name,
    }
    rule_values = {"code": _rule, "value": _rule_value, "severity": choice_label(Severity.choices)}
    basis_fields = {
        "name": basis.get_field("name").verbose_name, "higher_rule": basis.get_field("higher_rule").verbose_name,
        "description": basis.get_field("description").verbose_name, "active": basis.get_field("active").verbose_name,
        "from": basis.get_field("effective_from").verbose_name, "to": basis.get_field("effective_to").verbose_name,
    }
    action_register(
        AuditAction("rule.change", _("%(actor)s set a new version of %(object)s"), fields=rule_fields,
                    values=rule_values, object_type="rules.ruleversion"),
        AuditAction("rule.close", _("%(actor)s ended %(object)s"), fields=rule_fields, values=rule_values,
                    object_type="rules.ruleversion"),
        AuditAction("rule.seed", _("%(actor)s seeded %(object)s from the source"), fields=rule_fields,
                    values=rule_values, object_type="rules.ruleversion"),
        AuditAction("trace_basis.create", _("%(actor)s added %(object)s"), fields=basis_fields,
                    object_type="rules.tracebasis"),
        AuditAction("trace_basis.update", _("%(actor)s changed %(object)s"), fields=basis_fields,
                    object_type="rules.tracebasis"),
        AuditAction("trace_basis.seed", _("%(actor)s seeded %(object)s from the source"), fields=basis_fields,
                    object_type="rules.tracebasis"),
    )
