"""Seed the trace-keeping allow-list with safety production, and the rule that requires a basis, audited."""

import datetime as dt

from django.db import migrations

from jianfu.audit.migration_chain import chain_append

START = dt.date(2019, 1, 1)
RULE_CODE = "trace.requires_basis"
RULE_CLAUSE = "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"
SAFETY = {
    "name": "安全生产",
    "higher_rule": "《中华人民共和国安全生产法》",
    "description": "安全生产检查、隐患排查治理等法律法规明确要求如实记录的事项。",
}


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    TraceBasis = apps.get_model("rules", "TraceBasis")
    records = []
    # 0002 seeds every rule the catalogue held when it ran; databases migrated before this rule existed lack it.
    if not RuleVersion.objects.filter(code=RULE_CODE, scope_unit__isnull=True).exists():
        v = RuleVersion.objects.create(code=RULE_CODE, version=1, value=True, severity="block",
                                       source_clause=RULE_CLAUSE, effective_from=START, note="seeded from the source")
        records.append({"action": "rule.seed", "object_type": "rules.ruleversion", "object_id": v.pk,
                        "object_repr": f"{RULE_CODE} v1",
                        "after": {"code": RULE_CODE, "version": 1, "value": True, "severity": "block",
                                  "clause": RULE_CLAUSE, "from": START, "to": None, "scope": None}})
    if not TraceBasis.objects.filter(name=SAFETY["name"]).exists():
        basis = TraceBasis.objects.create(effective_from=START, active=True, **SAFETY)
        records.append({"action": "trace_basis.seed", "object_type": "rules.tracebasis", "object_id": basis.pk,
                        "object_repr": basis.name, "after": {**SAFETY, "active": True, "from": START, "to": None}})
    chain_append(apps, records=records)


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_trace_basis"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
