"""Index the documents registered before the near-duplicate index lived in the database."""

from django.db import migrations


def fill(apps, schema_editor):
    from jianfu.demands.document_index import document_index_fill

    document_index_fill(demand_model=apps.get_model("demands", "Demand"),
                        indexed_model=apps.get_model("demands", "IndexedDocument"),
                        band_model=apps.get_model("demands", "DocumentBand"))


def empty(apps, schema_editor):
    apps.get_model("demands", "DocumentBand").objects.all().delete()
    apps.get_model("demands", "IndexedDocument").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("demands", "0004_near_duplicate_index"),
    ]

    operations = [
        migrations.RunPython(fill, empty, elidable=True),
    ]
