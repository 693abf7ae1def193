"""A task whose worker died is taken over once its lease runs out; the jobs page says whether a worker runs;
`jianfu run` restarts a stopped worker after a growing pause."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from jianfu.core.management.commands import run
from jianfu.core.models import TaskAttempt, TaskLease, WorkerBeat
from jianfu.core.worker import (
    JianfuWorker,
    WorkerLost,
    task_in_flight,
    task_lease_renew,
    task_lease_take,
    task_leases_reap,
    worker_beat,
)

from . import sample_tasks

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    settings.JIANFU_TASK_MAX_ATTEMPTS = 3
    settings.JIANFU_TASK_LEASE_SECONDS = 60
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(JianfuWorker, "_tick_loop", lambda self, stop: None)
    sample_tasks.RUNS.clear()
    return settings


def run_worker(worker_id: str = "test-worker") -> None:
    JianfuWorker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                 max_tasks=50, worker_id=worker_id, excluded_queue_names=[]).run()


def claimed_by_a_worker_that_died(*, seconds_ago: int, lease: bool = True) -> DBTaskResult:
    """A task a worker claimed `seconds_ago` and was killed running: still RUNNING, its lease not renewed."""
    sample_tasks.tick.enqueue()
    result = DBTaskResult.objects.get()
    started = timezone.now() - dt.timedelta(seconds=seconds_ago)
    DBTaskResult.objects.filter(pk=result.pk).update(status="RUNNING", started_at=started, worker_ids=["dead"])
    if lease:
        TaskLease.objects.create(result_id=result.pk, claimed_by="dead", claimed_at=started,
                                 lease_until=started + dt.timedelta(seconds=60))
    return result


def test_a_task_whose_lease_ran_out_is_failed_as_lost_and_queued_again_at_once(db_tasks):
    lost = claimed_by_a_worker_that_died(seconds_ago=61)
    assert task_leases_reap() == [str(lost.pk)]
    lost.refresh_from_db()
    assert lost.status == "FAILED" and lost.exception_class_path.endswith(WorkerLost.__qualname__)
    assert not TaskLease.objects.exists()
    chain = TaskAttempt.objects.get()
    assert (chain.attempts, chain.gave_up, chain.first_result_id) == (2, False, str(lost.pk))
    retry = DBTaskResult.objects.get(pk=chain.latest_result_id)
    assert retry.status == "READY" and retry.run_after <= timezone.now()
    run_worker()
    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL" and sample_tasks.RUNS["tick"] == 1


def test_a_task_still_under_its_lease_is_left_to_its_worker(db_tasks):
    claimed_by_a_worker_that_died(seconds_ago=30)
    assert task_leases_reap() == []
    assert DBTaskResult.objects.get().status == "RUNNING"


def test_a_claim_without_a_lease_is_reaped_only_a_lease_period_after_it_was_made(db_tasks):
    # The worker died between claiming the task and taking its lease.
    claimed_by_a_worker_that_died(seconds_ago=30, lease=False)
    assert task_leases_reap() == []
    DBTaskResult.objects.update(started_at=timezone.now() - dt.timedelta(seconds=61))
    assert len(task_leases_reap()) == 1


def test_a_renewed_lease_keeps_the_task_and_a_taken_over_one_cannot_be_renewed(db_tasks):
    result = claimed_by_a_worker_that_died(seconds_ago=59)
    TaskLease.objects.all().delete()
    task_lease_take(result_id=result.pk, worker_id="alive")
    assert task_lease_renew(result_id=result.pk, worker_id="alive")
    assert not task_lease_renew(result_id=result.pk, worker_id="someone-else")
    assert task_leases_reap(now=timezone.now() + dt.timedelta(seconds=30)) == []
    assert len(task_leases_reap(now=timezone.now() + dt.timedelta(seconds=61))) == 1


def test_two_workers_reaping_the_same_lost_task_queue_it_again_once(db_tasks):
    claimed_by_a_worker_that_died(seconds_ago=120)
    assert len(task_leases_reap()) == 1
    assert task_leases_reap() == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_task_that_keeps_killing_its_worker_gives_up_visibly(db_tasks):
    claimed_by_a_worker_that_died(seconds_ago=120)
    for _ in range(3):
        task_leases_reap()
        DBTaskResult.objects.filter(status="READY").update(
            status="RUNNING", started_at=timezone.now() - dt.timedelta(seconds=120))
    chain = TaskAttempt.objects.get()
    assert chain.gave_up and chain.attempts == 3 and "stopped reporting" in chain.last_error


LEASES_SEEN: list[list[str]] = []


@task()
def sees_its_lease() -> None:
    LEASES_SEEN.append(list(TaskLease.objects.values_list("claimed_by", flat=True)))


def test_the_worker_holds_a_lease_while_a_task_runs_and_releases_it_after(db_tasks):
    LEASES_SEEN.clear()
    sees_its_lease.enqueue()
    run_worker("the-worker")
    assert LEASES_SEEN == [["the-worker"]]
    assert not TaskLease.objects.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_queued_or_live_run_is_in_flight_and_a_lost_one_is_not(db_tasks):
    path = sample_tasks.fails_then_succeeds.module_path
    assert not task_in_flight(task_path=path, args=["a"])
    sample_tasks.fails_then_succeeds.enqueue("a", 0)
    assert task_in_flight(task_path=path, args=["a"])
    assert not task_in_flight(task_path=path, args=["b"])
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    TaskLease.objects.create(result_id=DBTaskResult.objects.get().pk, claimed_by="w",
                             lease_until=timezone.now() + dt.timedelta(seconds=60))
    assert task_in_flight(task_path=path, args=["a"])
    TaskLease.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))
    assert not task_in_flight(task_path=path, args=["a"])


# The jobs page --------------------------------------------------------------------------------------------


def jobs_page(cast) -> str:
    with translation.override("en"):
        response = cast.client(cast.admin).get(reverse("core:jobs"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_jobs_page_says_when_no_worker_has_ever_reported_and_how_many_tasks_wait(cast, settings):
    settings.TASKS = DB_TASKS
    sample_tasks.tick.enqueue()
    page = jobs_page(cast)
    assert 'data-worker="never"' in page and "No worker has reported yet" in page
    assert 'data-waiting="1"' in page and "1 task is waiting to run." in page


def test_the_jobs_page_says_a_worker_runs_and_when_it_last_reported(cast):
    worker_beat(worker_id="host-1", hostname="host", pid=4321)
    WorkerBeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=4))
    page = jobs_page(cast)
    assert 'data-worker="running"' in page
    assert "Process 4321 on host last reported 4 seconds ago." in page


def test_the_jobs_page_says_the_worker_is_not_running_once_it_stops_reporting(cast):
    worker_beat(worker_id="host-1", hostname="host", pid=4321, restarts=2, last_exit="killed by SIGKILL")
    WorkerBeat.objects.update(seen_at=timezone.now() - dt.timedelta(minutes=3))
    page = jobs_page(cast)
    assert 'data-worker="stopped"' in page and "The worker is not running: it last reported 3" in page


def test_the_jobs_page_says_the_worker_was_restarted_after_the_one_before_it_was_killed(cast):
    worker_beat(worker_id="host-2", hostname="host", pid=99, restarts=1, last_exit="killed by SIGKILL")
    page = jobs_page(cast)
    assert "Restarted once after the worker before it stopped (killed by SIGKILL)." in page


def test_a_heartbeat_updates_the_same_row(db):
    worker_beat(worker_id="w", hostname="h", pid=1, starting=True)
    worker_beat(worker_id="w", running_task="x.y", hostname="h", pid=1)
    beat = WorkerBeat.objects.get()
    assert beat.running_task == "x.y" and beat.pid == 1


def test_a_worker_starting_under_the_id_of_one_that_stopped_is_alive(cast):
    worker_beat(worker_id="host-7", hostname="host", pid=7, starting=True)
    WorkerBeat.objects.update(stopped_at=timezone.now(), restarts=3)
    worker_beat(worker_id="host-7", hostname="host", pid=7, restarts=0, starting=True)
    beat = WorkerBeat.objects.get()
    assert beat.stopped_at is None and beat.restarts == 0
    assert 'data-worker="running"' in jobs_page(cast)


# `jianfu run`'s pauses before restarting the worker ------------------------------------------------------


def test_the_pause_before_restarting_the_worker_doubles_to_a_minute_and_starts_again_after_a_good_run(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(run.time, "monotonic", lambda: clock[0])
    child = run.Child("worker", ["true"], {})
    pauses = []
    for _ in range(9):
        child.started = clock[0]
        clock[0] += 2  # stops two seconds after each start
        pauses.append(child.schedule_restart(-9))
    assert pauses == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert child.restarts == 9 and child.last_exit == "killed by SIGKILL"
    child.started = clock[0]
    clock[0] += 120  # this one ran two minutes
    assert child.schedule_restart(1) == 1 and child.last_exit == "exit code 1"


def test_each_gunicorn_gets_its_own_control_socket_under_the_var_directory_or_none(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert run.control_socket_args(18101) == ["--control-socket", str(tmp_path / "run" / "gunicorn-18101.ctl")]
    assert run.control_socket_args(18102) != run.control_socket_args(18101)
    settings.VAR_DIR = tmp_path / ("x" * 120)
    assert run.control_socket_args(18101) == ["--no-control-socket"]
