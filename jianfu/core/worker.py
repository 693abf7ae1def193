"""The worker: runs queued tasks, retries failures, gives up visibly, and ticks the schedule."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskAttempt
from .scheduling import schedule_sync, schedule_tick

logger = logging.getLogger("jianfu.worker")


def retry_delay(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * (2 ** (attempt - 1))))


@transaction.atomic
def task_failure_handle(*, result_id: str) -> TaskAttempt:
    """Record a failed run; enqueue another attempt or give up so administrators see it."""
    failed = DBTaskResult.objects.get(pk=result_id)
    error = ""
    if failed.traceback:
        error = failed.traceback[-4000:]
    chain = TaskAttempt.objects.select_for_update().filter(latest_result_id=str(result_id)).first()
    if chain is None:
        chain = TaskAttempt.objects.create(first_result_id=str(result_id), latest_result_id=str(result_id),
                                           task_path=failed.task_path, attempts=1)
    chain.last_error = error
    if chain.attempts >= settings.JIANFU_TASK_MAX_ATTEMPTS:
        chain.gave_up = True
        chain.save()
        logger.error("task %s gave up after %d attempts", chain.task_path, chain.attempts)
        return chain
    task = failed.task.using(run_after=timezone.now() + retry_delay(chain.attempts))
    retry = task.enqueue(*failed.args_kwargs["args"], **failed.args_kwargs["kwargs"])
    chain.latest_result_id = str(retry.id)
    chain.attempts += 1
    chain.save()
    return chain


@transaction.atomic
def task_retry_now(*, chain: TaskAttempt) -> TaskAttempt:
    """An administrator's manual retry of a task that gave up."""
    failed = DBTaskResult.objects.get(pk=chain.latest_result_id)
    retry = failed.task.enqueue(*failed.args_kwargs["args"], **failed.args_kwargs["kwargs"])
    chain.latest_result_id = str(retry.id)
    chain.gave_up = False
    chain.attempts = 1
    chain.save()
    return chain


class JianfuWorker(Worker):
    """django-tasks-db's worker with retries, plus a thread that ticks the schedule table."""

    tick_seconds = 30.0

    def run(self) -> None:
        schedule_sync()
        stop = threading.Event()
        ticker = threading.Thread(target=self._tick_loop, args=(stop,), name="schedule", daemon=True)
        ticker.start()
        try:
            super().run()
        finally:
            stop.set()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        db_task_result.refresh_from_db(fields=["status"])
        if db_task_result.status == "FAILED":
            try:
                task_failure_handle(result_id=str(db_task_result.pk))
            except Exception:  # the worker must outlive any one failure
                logger.exception("could not record failure of task %s", db_task_result.pk)

    def _tick_loop(self, stop: threading.Event) -> None:
        from django.db import close_old_connections, connection

        while not stop.is_set():
            try:
                for name in schedule_tick():
                    logger.info("scheduled job %s enqueued", name)
            except Exception:
                logger.exception("schedule tick failed")
            finally:
                close_old_connections()
            stop.wait(self.tick_seconds)
        connection.close()
