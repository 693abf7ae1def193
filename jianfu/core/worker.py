"""The worker: runs queued tasks, retries failures, gives up visibly, and ticks the schedule.

Each task a worker runs carries a lease (`TaskLease`) that a thread of the worker renews every few seconds
while the task runs, beside the worker's heartbeat (`WorkerBeat`). A worker killed mid-task (kill -9, a
lost machine) renews nothing: once the lease has expired, any worker marks the task failed ("the worker
stopped") and queues it again at once through the usual retries, so it never stays "running" forever.
A task may therefore start again after part of a run; tasks are written to be run again (they claim their
work with conditional updates and check status flags under a row lock), so the work finishes once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import TaskAttempt, TaskLease, WorkerBeat
from .scheduling import schedule_sync, schedule_tick

logger = logging.getLogger("jianfu.worker")

RUNNING = "RUNNING"
READY = "READY"
# Heartbeats older than this are deleted; the jobs page reports the last one until then.
BEAT_KEPT = dt.timedelta(days=7)


class WorkerLost(Exception):
    """The worker running a task stopped reporting before the task finished."""


def lease_seconds() -> int:
    return settings.JIANFU_TASK_LEASE_SECONDS


def beat_seconds() -> float:
    return settings.JIANFU_WORKER_BEAT_SECONDS


def retry_delay(attempt: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(3600, 30 * (2 ** (attempt - 1))))


@transaction.atomic
def task_failure_handle(*, result_id: str, retry_at: dt.datetime | None = None) -> TaskAttempt:
    """Record a failed run; enqueue another attempt or give up so administrators see it.

    `retry_at` overrides the growing delay: a task whose worker died is retried at once.
    """
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
    task = failed.task.using(run_after=retry_at or timezone.now() + retry_delay(chain.attempts))
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


# --- leases -------------------------------------------------------------------------------------------------

def _lease_lost(now: dt.datetime) -> Q:
    """Running results whose worker stopped renewing: an expired lease, or none long after the claim."""
    return (Q(jianfu_lease__lease_until__lt=now)
            | Q(jianfu_lease__isnull=True, started_at__lt=now - dt.timedelta(seconds=lease_seconds())))


def task_lease_take(*, result_id, worker_id: str) -> TaskLease:
    """Record that this worker runs the task, for one lease period."""
    now = timezone.now()
    lease, _ = TaskLease.objects.update_or_create(
        result_id=result_id, defaults={"claimed_by": worker_id, "claimed_at": now,
                                       "lease_until": now + dt.timedelta(seconds=lease_seconds())})
    return lease


def task_lease_renew(*, result_id, worker_id: str) -> bool:
    """Extend this worker's lease; False when it is no longer this worker's (another took the task over)."""
    until = timezone.now() + dt.timedelta(seconds=lease_seconds())
    return bool(TaskLease.objects.filter(result_id=result_id, claimed_by=worker_id).update(lease_until=until))


def task_lease_release(*, result_id, worker_id: str) -> bool:
    return bool(TaskLease.objects.filter(result_id=result_id, claimed_by=worker_id).delete()[0])


def task_leases_reap(*, now: dt.datetime | None = None) -> list[str]:
    """Fail every running task whose worker stopped, and queue it again at once; return their ids.

    Each is taken with a conditional update, so with several workers reaping, one of them does it.
    """
    now = now or timezone.now()
    reaped: list[str] = []
    for result_id in list(DBTaskResult.objects.filter(status=RUNNING).filter(_lease_lost(now))
                          .values_list("pk", flat=True)[:100]):
        with transaction.atomic():
            taken = DBTaskResult.objects.filter(pk=result_id, status=RUNNING).filter(_lease_lost(now)).update(
                status="FAILED", finished_at=now, return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__qualname__}: the worker running this task stopped reporting "
                          f"(lease of {lease_seconds()} s expired); the task is queued again.")
            if not taken:
                continue
            TaskLease.objects.filter(result_id=result_id).delete()
            chain = task_failure_handle(result_id=str(result_id), retry_at=now)
        logger.warning("task %s lost its worker; %s", result_id,
                       "gave up" if chain.gave_up else f"queued again (attempt {chain.attempts})")
        reaped.append(str(result_id))
    return reaped


def task_in_flight(*, task_path: str, args: list) -> bool:
    """Whether a run of this task with these arguments is queued, or running under a live lease."""
    now = timezone.now()
    results = DBTaskResult.objects.filter(task_path=task_path)
    for i, value in enumerate(args):
        results = results.filter(**{f"args_kwargs__args__{i}": value})
    return (results.filter(status=READY).exists()
            or results.filter(status=RUNNING).exclude(_lease_lost(now)).exists())


# --- heartbeats ---------------------------------------------------------------------------------------------

def worker_beat(*, worker_id: str, running_task: str = "", starting: bool = False, **fields) -> None:
    """Say this worker is alive (and what it runs). A starting worker records `fields` afresh, even over the
    row of an earlier process that had the same id (a process id used again)."""
    now = timezone.now()
    if starting:
        WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
            "seen_at": now, "started_at": now, "stopped_at": None, "running_task": running_task[:200], **fields})
    elif not WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now, running_task=running_task[:200]):
        WorkerBeat.objects.create(worker_id=worker_id, seen_at=now, running_task=running_task[:200], **fields)


def worker_status(*, now: dt.datetime | None = None) -> dict:
    """What the background jobs page says about the workers: those alive, or when one last reported."""
    now = now or timezone.now()
    # Three missed beats (and never less than 30 s, for a worker busy with a long database write).
    stale = now - dt.timedelta(seconds=max(30.0, 3 * beat_seconds()))
    beats = list(WorkerBeat.objects.order_by("-seen_at")[:20])
    for beat in beats:
        beat.seconds_ago = max(0, int((now - beat.seen_at).total_seconds()))
    alive = [b for b in beats if b.stopped_at is None and b.seen_at >= stale]
    last = beats[0] if beats else None
    return {"alive": alive, "last": last, "now": now,
            "waiting": DBTaskResult.objects.ready().count()}


class JianfuWorker(Worker):
    """django-tasks-db's worker with retries, leases, a heartbeat and a thread that ticks the schedule."""

    tick_seconds = 30.0

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.current: DBTaskResult | None = None

    def run(self) -> None:
        schedule_sync()
        stop = threading.Event()
        ticker = threading.Thread(target=self._tick_loop, args=(stop,), name="schedule", daemon=True)
        ticker.start()
        try:
            super().run()
        finally:
            stop.set()
            ticker.join(timeout=5)
            try:
                WorkerBeat.objects.filter(worker_id=self.worker_id).update(stopped_at=timezone.now(),
                                                                         running_task="")
            except Exception:  # stopping must not fail because the database is away
                logger.exception("could not record that worker %s stopped", self.worker_id)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # The claim is committed; the lease follows at once (a worker that dies in between leaves no lease,
        # which the reaper treats like an expired one once a lease period has passed since the claim).
        task_lease_take(result_id=db_task_result.pk, worker_id=self.worker_id)
        self.current = db_task_result
        try:
            super().run_task(db_task_result)
        finally:
            self.current = None
            if not task_lease_release(result_id=db_task_result.pk, worker_id=self.worker_id):
                logger.warning("task %s finished after its lease was taken over; its retry finds the work done",
                               db_task_result.pk)
        db_task_result.refresh_from_db(fields=["status"])
        if db_task_result.status == "FAILED":
            try:
                task_failure_handle(result_id=str(db_task_result.pk))
            except Exception:  # the worker must outlive any one failure
                logger.exception("could not record failure of task %s", db_task_result.pk)

    def _tick_loop(self, stop: threading.Event) -> None:
        """Every few seconds: the heartbeat, the running task's lease, reaping dead workers' tasks; and the
        schedule every `tick_seconds`. Its own thread, so a long task does not stop the heartbeat."""
        from django.db import close_old_connections, connection

        first = {"hostname": socket.gethostname()[:100], "pid": os.getpid(),
                 "restarts": _env_int("JIANFU_WORKER_RESTARTS"),
                 "last_exit": os.environ.get("JIANFU_WORKER_LAST_EXIT", "")[:100]}
        next_tick = 0.0
        starting = True
        while not stop.is_set():
            current = self.current
            try:
                worker_beat(worker_id=self.worker_id, running_task=current.task_path if current else "",
                            starting=starting, **first)
                starting = False
                if current is not None and not task_lease_renew(result_id=current.pk, worker_id=self.worker_id):
                    logger.warning("the lease on task %s was taken over", current.pk)
                task_leases_reap()
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + self.tick_seconds
                    for name in schedule_tick():
                        logger.info("scheduled job %s enqueued", name)
                    WorkerBeat.objects.filter(seen_at__lt=timezone.now() - BEAT_KEPT).delete()
            except Exception:
                logger.exception("worker heartbeat or schedule tick failed")
            finally:
                close_old_connections()
            stop.wait(beat_seconds())
        connection.close()


def _env_int(name: str) -> int:
    try:
        return max(0, int(os.environ.get(name, "0")))
    except ValueError:
        return 0
