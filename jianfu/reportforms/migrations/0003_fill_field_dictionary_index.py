"""Index the dictionary fields created before the dictionary's index lived in the database."""

from django.db import migrations


def fill(apps, schema_editor):
    from jianfu.reportforms.reuse import field_index_fill

    field_index_fill(definition_model=apps.get_model("reportforms", "FieldDefinition"),
                     key_model=apps.get_model("reportforms", "FieldKey"),
                     band_model=apps.get_model("reportforms", "FieldBand"))


def empty(apps, schema_editor):
    apps.get_model("reportforms", "FieldBand").objects.all().delete()
    apps.get_model("reportforms", "FieldKey").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reportforms", "0002_field_dictionary_index"),
    ]

    operations = [
        migrations.RunPython(fill, empty, elidable=True),
    ]
