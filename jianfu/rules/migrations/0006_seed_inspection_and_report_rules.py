"""Seed the inspection and report-form rules, audited; a fresh database has them from 0002."""

import datetime as dt

from django.db import migrations

from jianfu.audit.migration_chain import chain_append

START = dt.date(2019, 1, 1)
INSPECTIONS_CLAUSE = ("市级层面督查检查考核事项由去年的174项压减整合为19项，精简率达89%；"
                      "县级层面的年度督查检查考核事项均未超过19项")
REPORT_MATERIALS_CLAUSE = "明确各部门报表材料总数压缩50%以上"
# (code, value, severity, clause) as the source gave them when this migration was written.
RULES = [
    ("inspections.annual_cap", 19, "block", INSPECTIONS_CLAUSE),
    ("inspections.one_off", True, "block", INSPECTIONS_CLAUSE),
    ("inspections.plan_drift", True, "warn", INSPECTIONS_CLAUSE),
    ("inspections.overlap_similarity", 0.4, "warn", INSPECTIONS_CLAUSE),
    ("report_forms.material_cut", 50, "block", REPORT_MATERIALS_CLAUSE),
    ("report_forms.field_reuse", 0.6, "warn", REPORT_MATERIALS_CLAUSE),
]


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    records = []
    for code, value, severity, clause in RULES:
        if RuleVersion.objects.filter(code=code, scope_unit__isnull=True).exists():
            continue
        v = RuleVersion.objects.create(code=code, version=1, value=value, severity=severity, source_clause=clause,
                                       effective_from=START, note="seeded from the source")
        records.append({"action": "rule.seed", "object_type": "rules.ruleversion", "object_id": v.pk,
                        "object_repr": f"{code} v1",
                        "after": {"code": code, "version": 1, "value": value, "severity": severity,
                                  "clause": clause, "from": START, "to": None, "scope": None}})
    chain_append(apps, records=records)


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_seed_off_list_rule"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
