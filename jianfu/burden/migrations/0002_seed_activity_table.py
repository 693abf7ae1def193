"""Seed the first standard activity table (from 2019), audited; the task force edits it as new versions."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

START = dt.date(2019, 1, 1)


def seed(apps, schema_editor):
    from jianfu.audit.services import normalise, record_hash
    from jianfu.burden.services import DEFAULT_MINUTES

    ActivityTable = apps.get_model("burden", "ActivityTable")
    AuditRecord = apps.get_model("audit", "AuditRecord")
    AuditHead = apps.get_model("audit", "AuditHead")
    if ActivityTable.objects.exists():
        return
    minutes = {str(k): dict(v) for k, v in DEFAULT_MINUTES.items()}
    table = ActivityTable.objects.create(version=1, effective_from=START, minutes=minutes, note="seeded")
    head, _ = AuditHead.objects.get_or_create(pk=1)
    now = timezone.now()
    after = normalise({"version": 1, "from": START, "minutes": minutes, "note": "seeded"})
    seq = head.seq + 1
    digest = record_hash(seq=seq, at=now, actor_id=None, actor_label="system", action="activity_table.change",
                         object_type="burden.activitytable", object_id=str(table.pk), object_repr="v1 (2019-01-01)",
                         before=None, after=after, prev_hash=head.hash)
    AuditRecord.objects.create(seq=seq, at=now, actor_id=None, actor_label="system", action="activity_table.change",
                               object_type="burden.activitytable", object_id=str(table.pk),
                               object_repr="v1 (2019-01-01)", before=None, after=after, prev_hash=head.hash,
                               hash=digest)
    AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)


class Migration(migrations.Migration):
    dependencies = [("burden", "0001_activity_table_estimates_links"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
