"""Background tasks of the organisation app; thin: load by id, call a service."""

from __future__ import annotations

from django_tasks import task

from .imports.running import import_job_apply, import_job_check


@task()
def import_job_check_task(job_id: int) -> str:
    """Check an uploaded spreadsheet row by row."""
    return import_job_check(job_id=job_id).status


@task()
def import_job_apply_task(job_id: int, by_id: int | None = None) -> str:
    """Apply a confirmed spreadsheet import all-or-nothing."""
    return import_job_apply(job_id=job_id, by_id=by_id).status
