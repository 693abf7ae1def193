"""The schedule table: modules declare jobs in code; the worker claims and enqueues them."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .models import ScheduledJob

logger = logging.getLogger(__name__)
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class JobSpec:
    name: str
    task_path: str
    every: str
    at_time: dt.time | None = None
    weekday: int | None = None
    label: Any = ""  # what the job does, in the reader's language, for the jobs page


# Apps add their daily and weekly jobs with job_register() in AppConfig.ready().
SCHEDULE: list[JobSpec] = [
    JobSpec("prune-finished-tasks", "jianfu.core.tasks.prune_finished_tasks", ScheduledJob.Every.WEEK,
            dt.time(3, 0), weekday=6, label=_("Delete the records of tasks that finished over 30 days ago")),
]


def job_register(*specs: JobSpec) -> None:
    for spec in specs:
        if spec.name not in {s.name for s in SCHEDULE}:
            SCHEDULE.append(spec)


def job_label(name: str) -> Any:
    """A scheduled job's label, or its name when no app describes it."""
    return next((s.label for s in SCHEDULE if s.name == name and s.label), name)


_TASK_LABELS: dict[str, Any] = {}


def task_label_register(task_path: str, label: Any) -> None:
    """Name a task that is queued on demand (an import, an export) for the jobs page."""
    _TASK_LABELS[task_path] = label


def task_label(task_path: str) -> Any:
    """What a queued task does, in words; empty when no app describes it."""
    if task_path in _TASK_LABELS:
        return _TASK_LABELS[task_path]
    return next((s.label for s in SCHEDULE if s.task_path == task_path and s.label), "")


def next_run_after(*, every: str, at_time: dt.time | None, weekday: int | None,
                   after: dt.datetime) -> dt.datetime:
    """The first moment strictly after `after` that matches the rhythm, in Beijing time."""
    local = after.astimezone(BEIJING)
    if every == ScheduledJob.Every.HOUR:
        base = local.replace(minute=at_time.minute if at_time else 0, second=0, microsecond=0)
        while base <= local:
            base += dt.timedelta(hours=1)
        return base.astimezone(dt.UTC)
    at = at_time or dt.time(0, 0)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    while candidate <= local or (
        every == ScheduledJob.Every.WEEK and weekday is not None and candidate.weekday() != weekday
    ):
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


@transaction.atomic
def schedule_sync(*, specs: list[JobSpec] | None = None, now: dt.datetime | None = None) -> int:
    """Create or update the table from the declared jobs; returns how many rows changed."""
    now = now or timezone.now()
    changed = 0
    for spec in specs if specs is not None else SCHEDULE:
        job = ScheduledJob.objects.filter(name=spec.name).first()
        if job is None:
            ScheduledJob.objects.create(
                name=spec.name, task_path=spec.task_path, every=spec.every, at_time=spec.at_time,
                weekday=spec.weekday,
                next_run_at=next_run_after(every=spec.every, at_time=spec.at_time, weekday=spec.weekday,
                                           after=now),
            )
            changed += 1
        elif (job.task_path, job.every, job.at_time, job.weekday) != (
                spec.task_path, spec.every, spec.at_time, spec.weekday):
            job.task_path, job.every, job.at_time, job.weekday = (
                spec.task_path, spec.every, spec.at_time, spec.weekday)
            job.next_run_at = next_run_after(every=spec.every, at_time=spec.at_time, weekday=spec.weekday,
                                             after=now)
            job.save()
            changed += 1
    return changed


def schedule_tick(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every due job once, even with several workers: each claim is a conditional update."""
    now = now or timezone.now()
    started: list[str] = []
    for job in ScheduledJob.objects.filter(enabled=True, next_run_at__lte=now):
        following = next_run_after(every=job.every, at_time=job.at_time, weekday=job.weekday, after=now)
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                next_run_at=following, last_run_at=now)
            if not claimed:
                continue
            try:
                task = import_string(job.task_path)
            except ImportError:
                logger.error("scheduled job %s names a missing task %s", job.name, job.task_path)
                continue
            result = task.enqueue()
            ScheduledJob.objects.filter(pk=job.pk).update(last_result_id=str(result.id))
        started.append(job.name)
    return started
