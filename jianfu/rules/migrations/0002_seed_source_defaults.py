"""Seed the rulebook with the defaults the source gives (version 1 of each city-wide rule), audited."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

# Seeds the defaults the catalogue holds when the migration runs; later changes are new rule versions.
from jianfu.rules.catalogue import DEFAULT_EFFECTIVE_FROM, RULES


def seed(apps, schema_editor):
    from jianfu.audit.services import normalise, record_hash

    RuleVersion = apps.get_model("rules", "RuleVersion")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    head, _ = AuditHead.objects.get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    now = timezone.now()
    start = dt.date.fromisoformat(DEFAULT_EFFECTIVE_FROM)
    for code, rule in RULES.items():
        if RuleVersion.objects.filter(code=code, scope_unit__isnull=True).exists():
            continue
        v = RuleVersion.objects.create(code=code, version=1, value=rule.default, severity=rule.severity,
                                       source_clause=rule.clause, effective_from=start, note="seeded from the source")
        after = normalise({"code": code, "version": 1, "value": rule.default, "severity": rule.severity,
                           "clause": rule.clause, "from": start, "to": None, "scope": None})
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
    dependencies = [("rules", "0001_initial"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
