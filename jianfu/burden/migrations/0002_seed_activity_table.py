"""Seed the first standard activity table (from 2019), audited; the task force edits it as new versions."""

import datetime as dt

from django.db import migrations

from jianfu.audit.migration_chain import chain_append

START = dt.date(2019, 1, 1)
# The standard minutes when this migration was written, frozen here; later tables are new versions.
MINUTES = {
    "fill_form": {"simple": 15, "medium": 45, "complex": 120},
    "attend_meeting": {"simple": 90, "medium": 150, "complex": 240},
    "prepare_materials": {"simple": 60, "medium": 240, "complex": 480},
    "host_check": {"simple": 120, "medium": 240, "complex": 480},
    "take_photos": {"simple": 10, "medium": 30, "complex": 60},
    "write_minutes": {"simple": 20, "medium": 45, "complex": 90},
    "keep_ledger": {"simple": 30, "medium": 60, "complex": 120},
}


def seed(apps, schema_editor):
    ActivityTable = apps.get_model("burden", "ActivityTable")
    if ActivityTable.objects.exists():
        return
    table = ActivityTable.objects.create(version=1, effective_from=START, minutes=MINUTES, note="seeded")
    chain_append(apps, records=[{
        "action": "activity_table.change", "object_type": "burden.activitytable", "object_id": table.pk,
        "object_repr": "v1 (2019-01-01)",
        "after": {"version": 1, "from": START, "minutes": MINUTES, "note": "seeded"}}])


class Migration(migrations.Migration):
    dependencies = [("burden", "0001_activity_table_estimates_links"), ("audit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
