"""Seed the trace-keeping allow-list with safety production, and the rule that requires a basis, audited."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

START = dt.date(2019, 1, 1)
RULE_CODE = "trace.requires_basis"
RULE_CLAUSE = "除安全生产等上级有明确规定外，市直部门不得随意要求基层工作留痕"
SAFETY = {
    "name": "安全生产",
    "higher_rule": "《中华人民共和国安全生产法》",
    "description": "安全生产检查、隐患排查治理等法律法规明确要求如实记录的事项。",
}


def seed(apps, schema_editor):
    from jianfu.audit.services import normalise, record_hash

    RuleVersion = apps.get_model("rules", "RuleVersion")
    TraceBasis = apps.get_model("rules", "TraceBasis")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    head, _ = AuditHead.objects.get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    now = timezone.now()

    def audit(action, object_type, object_id, object_repr, after):
        nonlocal seq, prev
        after = normalise(after)
        seq += 1
        digest = record_hash(seq=seq, at=now, actor_id=None, actor_label="system", action=action,
                             object_type=object_type, object_id=str(object_id), object_repr=object_repr,
                             before=None, after=after, prev_hash=prev)
        AuditRecord.objects.create(seq=seq, at=now, actor_id=None, actor_label="system", action=action,
                                   object_type=object_type, object_id=str(object_id), object_repr=object_repr,
                                   before=None, after=after, prev_hash=prev, hash=digest)
        prev = digest

    # 0002 seeds every rule the catalogue held when it ran; databases migrated before this rule existed lack it.
    if not RuleVersion.objects.filter(code=RULE_CODE, scope_unit__isnull=True).exists():
        v = RuleVersion.objects.create(code=RULE_CODE, version=1, value=True, severity="block",
                                       source_clause=RULE_CLAUSE, effective_from=START, note="seeded from the source")
        audit("rule.seed", "rules.ruleversion", v.pk, f"{RULE_CODE} v1",
              {"code": RULE_CODE, "version": 1, "value": True, "severity": "block", "clause": RULE_CLAUSE,
               "from": START, "to": None, "scope": None})
    if not TraceBasis.objects.filter(name=SAFETY["name"]).exists():
        basis = TraceBasis.objects.create(effective_from=START, active=True, **SAFETY)
        audit("trace_basis.seed", "rules.tracebasis", basis.pk, basis.name,
              {**SAFETY, "active": True, "from": START, "to": None})
    AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev)


class Migration(migrations.Migration):
    dependencies = [("rules", "0003_trace_basis"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
