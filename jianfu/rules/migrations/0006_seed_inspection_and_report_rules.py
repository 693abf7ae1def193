"""Seed the inspection and report-form rules, audited; a fresh database has them from 0002."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

START = dt.date(2019, 1, 1)
CODES = ["inspections.annual_cap", "inspections.one_off", "inspections.plan_drift",
         "inspections.overlap_similarity", "report_forms.material_cut", "report_forms.field_reuse"]


def seed(apps, schema_editor):
    from jianfu.audit.services import normalise, record_hash
    from jianfu.rules.catalogue import RULES

    RuleVersion = apps.get_model("rules", "RuleVersion")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    head, _ = AuditHead.objects.get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    now = timezone.now()
    for code in CODES:
        if RuleVersion.objects.filter(code=code, scope_unit__isnull=True).exists():
            continue
        rule = RULES[code]
        v = RuleVersion.objects.create(code=code, version=1, value=rule.default, severity=rule.severity,
                                       source_clause=rule.clause, effective_from=START, note="seeded from the source")
        after = normalise({"code": code, "version": 1, "value": rule.default, "severity": rule.severity,
                           "clause": rule.clause, "from": START, "to": None, "scope": None})
        seq += 1
        digest = record_hash(seq=seq, at=now, actor_id=None, actor_label="system", action="rule.seed",
                             object_type="rules.ruleversion", object_id=str(v.pk), object_repr=f"{code} v1",
                             before=None, after=after, prev_hash=prev)
        AuditRecord.objects.create(seq=seq, at=now, actor_id=None, actor_label="system", action="rule.seed",
                                   object_type="rules.ruleversion", object_id=str(v.pk), object_repr=f"{code} v1",
                                   before=None, after=after, prev_hash=prev, hash=digest)
        prev = digest
    AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("rules", "0005_seed_off_list_rule"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
