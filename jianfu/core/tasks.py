"""Background tasks of the foundation; thin, idempotent, each calling a service or selector."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task


@task()
def prune_finished_tasks(days: int = 30) -> int:
    """Delete successful task results older than `days`; failures stay for administrators."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - dt.timedelta(days=days)
    with transaction.atomic():
        deleted, _ = DBTaskResult.objects.successful().filter(finished_at__lt=cutoff).delete()
    return deleted
