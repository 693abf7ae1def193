import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_export_job'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkerBeat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('worker_id', models.CharField(max_length=64, unique=True, verbose_name='worker')),
                ('hostname', models.CharField(blank=True, max_length=100, verbose_name='host')),
                ('pid', models.PositiveIntegerField(blank=True, null=True, verbose_name='process id')),
                ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                ('seen_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='last reported')),
                ('stopped_at', models.DateTimeField(blank=True, null=True, verbose_name='stopped')),
                ('running_task', models.CharField(blank=True, max_length=200, verbose_name='running task')),
                ('restarts', models.PositiveIntegerField(default=0, verbose_name='restarts')),
                ('last_exit', models.CharField(blank=True, max_length=100, verbose_name='how the previous worker ended')),
            ],
            options={
                'verbose_name': 'worker heartbeat',
                'verbose_name_plural': 'worker heartbeats',
                'ordering': ['-seen_at'],
            },
        ),
        migrations.CreateModel(
            name='TaskLease',
            fields=[
                ('result', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='jianfu_lease', serialize=False, to='django_tasks_database.dbtaskresult', verbose_name='task')),
                ('claimed_by', models.CharField(max_length=64, verbose_name='worker')),
                ('claimed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='claimed')),
                ('lease_until', models.DateTimeField(db_index=True, verbose_name='lease ends')),
            ],
            options={
                'verbose_name': 'task lease',
                'verbose_name_plural': 'task leases',
            },
        ),
        migrations.CreateModel(
            name='WriteBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=100, verbose_name='write')),
                ('seq', models.PositiveIntegerField(verbose_name='batch')),
                ('undo', models.JSONField(default=dict, verbose_name='undo')),
                ('counts', models.JSONField(default=dict, verbose_name='counts')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='written')),
            ],
            options={
                'verbose_name': 'write batch',
                'verbose_name_plural': 'write batches',
                'ordering': ['key', 'seq'],
                'constraints': [models.UniqueConstraint(fields=('key', 'seq'), name='write_batch_key_seq')],
            },
        ),
    ]
