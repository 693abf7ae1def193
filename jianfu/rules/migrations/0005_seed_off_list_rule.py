"""Seed the rule that flags filings off the 5 lists (5张清单), audited; a fresh database has it from 0002."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

START = dt.date(2019, 1, 1)
RULE_CODE = "lists.off_list"
RULE_CLAUSE = ("聚焦全市性重要会议、重要活动、党内法规和规范性文件、市级层面督查检查考核事项、应当向省委报告的重点事项等"
               "重点领域重点环节，进一步细化建立“5张清单”")


def seed(apps, schema_editor):
    from jianfu.audit.services import normalise, record_hash

    RuleVersion = apps.get_model("rules", "RuleVersion")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    if RuleVersion.objects.filter(code=RULE_CODE, scope_unit__isnull=True).exists():
        return
    head, _ = AuditHead.objects.get_or_create(pk=1)
    now = timezone.now()
    v = RuleVersion.objects.create(code=RULE_CODE, version=1, value=True, severity="warn", source_clause=RULE_CLAUSE,
                                   effective_from=START, note="seeded from the source")
    after = normalise({"code": RULE_CODE, "version": 1, "value": True, "severity": "warn", "clause": RULE_CLAUSE,
                       "from": START, "to": None, "scope": None})
    seq = head.seq + 1
    digest = record_hash(seq=seq, at=now, actor_id=None, actor_label="system", action="rule.seed",
                         object_type="rules.ruleversion", object_id=str(v.pk), object_repr=f"{RULE_CODE} v1",
                         before=None, after=after, prev_hash=head.hash)
    AuditRecord.objects.create(seq=seq, at=now, actor_id=None, actor_label="system", action="rule.seed",
                               object_type="rules.ruleversion", object_id=str(v.pk), object_repr=f"{RULE_CODE} v1",
                               before=None, after=after, prev_hash=head.hash, hash=digest)
    AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_seed_trace_basis"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
