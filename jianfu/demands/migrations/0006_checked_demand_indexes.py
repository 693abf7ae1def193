"""Indexes for the filings waiting for the task force (status "checked"), a few thousand among millions.

The review queue (oldest first), the inbox's "awaiting your review" (latest change first) and the count of
inspections outside the plan read them; without these, each read every checked filing found through the kind-led
index (0.12 s and 0.04 s at 1,000,000 filings, see benchmarks/pages_pg.py). They are partial indexes, which the
model's Meta does not declare, so they are SQL only and leave the migration state unchanged.
"""

from django.db import migrations

INDEXES = {
    "demand_checked_updated_idx": "(updated_at)",
    "demand_checked_date_idx": "(occurs_on, id)",
    "demand_checked_kind_idx": "(kind, id)",  # inspections outside the plan waiting for a one-off approval
}


class Migration(migrations.Migration):
    dependencies = [("demands", "0005_fill_near_duplicate_index")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {name} ON demands_demand {columns} WHERE status = 'checked'",
            reverse_sql=f"DROP INDEX IF EXISTS {name}")
        for name, columns in INDEXES.items()
    ]
