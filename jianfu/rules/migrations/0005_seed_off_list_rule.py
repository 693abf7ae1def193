"""Seed the rule that flags filings off the 5 lists (5张清单), audited; a fresh database has it from 0002."""

import datetime as dt

from django.db import migrations

from jianfu.audit.migration_chain import chain_append

START = dt.date(2019, 1, 1)
RULE_CODE = "lists.off_list"
RULE_CLAUSE = ("聚焦全市性重要会议、重要活动、党内法规和规范性文件、市级层面督查检查考核事项、"
               "应当向省委报告的重点事项等重点领域重点环节，进一步细化建立“5张清单”")


def seed(apps, schema_editor):
    RuleVersion = apps.get_model("rules", "RuleVersion")
    if RuleVersion.objects.filter(code=RULE_CODE, scope_unit__isnull=True).exists():
        return
    v = RuleVersion.objects.create(code=RULE_CODE, version=1, value=True, severity="warn", source_clause=RULE_CLAUSE,
                                   effective_from=START, note="seeded from the source")
    chain_append(apps, records=[{
        "action": "rule.seed", "object_type": "rules.ruleversion", "object_id": v.pk,
        "object_repr": f"{RULE_CODE} v1",
        "after": {"code": RULE_CODE, "version": 1, "value": True, "severity": "warn", "clause": RULE_CLAUSE,
                  "from": START, "to": None, "scope": None}}])


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_seed_trace_basis"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
