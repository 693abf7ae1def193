"""The worker retries failing tasks, gives up after the configured attempts and shows administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from jianfu.core import worker as worker_module
from jianfu.core.models import TaskAttempt
from jianfu.core.worker import JianfuWorker, retry_delay

from . import sample_tasks

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker_env(settings, monkeypatch):
    """The real database backend; the worker runs in the test transaction, without its schedule thread."""
    settings.TASKS = DB_TASKS
    settings.JIANFU_TASK_MAX_ATTEMPTS = 3
    # The worker closes "old" connections between tasks; inside the test's transaction that would close ours.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(JianfuWorker, "_tick_loop", lambda self, stop: None)
    sample_tasks.RUNS.clear()
    return settings


@pytest.fixture
def db_tasks(worker_env, monkeypatch):
    """As `worker_env`, with retries due at once."""
    monkeypatch.setattr(worker_module, "retry_delay", lambda attempt: dt.timedelta(0))
    return worker_env


def run_worker() -> None:
    JianfuWorker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                 max_tasks=50, worker_id="test-worker", excluded_queue_names=[]).run()


def test_retry_delay_grows_and_is_capped():
    delays = [retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays[:3] == [30, 60, 120]
    assert delays == sorted(delays)
    assert max(delays) == 3600


def test_a_failing_task_is_retried_then_given_up_after_the_max_attempts(db_tasks):
    sample_tasks.always_fails.enqueue("report")
    run_worker()
    assert sample_tasks.RUNS["report"] == 3
    chain = TaskAttempt.objects.get()
    assert chain.attempts == 3
    assert chain.gave_up
    assert chain.task_path == "tests.core.sample_tasks.always_fails"
    assert "always fails: report" in chain.last_error
    results = DBTaskResult.objects.filter(task_path=chain.task_path)
    assert results.count() == 3
    assert set(results.values_list("status", flat=True)) == {"FAILED"}
    assert str(chain.first_result_id) != str(chain.latest_result_id)
    assert {str(chain.first_result_id), str(chain.latest_result_id)} <= {str(r.pk) for r in results}


def test_the_max_attempts_setting_is_respected(db_tasks):
    db_tasks.JIANFU_TASK_MAX_ATTEMPTS = 5
    sample_tasks.always_fails.enqueue("five")
    run_worker()
    assert sample_tasks.RUNS["five"] == 5
    assert TaskAttempt.objects.get().attempts == 5


def test_a_task_that_recovers_is_not_given_up(db_tasks):
    sample_tasks.fails_then_succeeds.enqueue("flaky", 2)
    run_worker()
    assert sample_tasks.RUNS["flaky"] == 3
    chain = TaskAttempt.objects.get()
    assert chain.attempts == 3
    assert not chain.gave_up
    latest = DBTaskResult.objects.get(pk=chain.latest_result_id)
    assert latest.status == "SUCCESSFUL"
    assert latest.return_value == 3


def test_a_successful_task_leaves_no_attempt_record(db_tasks):
    sample_tasks.tick.enqueue()
    run_worker()
    assert sample_tasks.RUNS["tick"] == 1
    assert not TaskAttempt.objects.exists()


def test_a_retry_waits_for_its_delay(worker_env):
    sample_tasks.always_fails.enqueue("later")
    run_worker()
    assert sample_tasks.RUNS["later"] == 1
    chain = TaskAttempt.objects.get()
    assert (chain.attempts, chain.gave_up) == (2, False)
    waiting = DBTaskResult.objects.get(pk=chain.latest_result_id)
    assert waiting.status == "READY"
    assert waiting.run_after > waiting.enqueued_at + dt.timedelta(seconds=25)


def given_up(db_tasks) -> TaskAttempt:
    sample_tasks.always_fails.enqueue("visible")
    run_worker()
    return TaskAttempt.objects.get(gave_up=True)


def test_a_given_up_task_appears_on_the_jobs_page_for_the_administrator(cast, db_tasks):
    chain = given_up(db_tasks)
    response = cast.client(cast.admin).get(reverse("core:jobs"))
    assert response.status_code == 200
    assert chain in response.context["page"].object_list
    assert "always_fails" in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "clerk", "cadre_a", "cadre_b", "leader"])
def test_the_jobs_pages_are_404_for_everyone_but_the_administrator(cast, db_tasks, who):
    chain = given_up(db_tasks)
    client = cast.client(getattr(cast, who))
    assert client.get(reverse("core:jobs")).status_code == 404
    assert client.post(reverse("core:job_retry", args=[chain.pk])).status_code == 404
    assert client.post(reverse("core:job_acknowledge", args=[chain.pk])).status_code == 404
    chain.refresh_from_db()
    assert chain.gave_up and not chain.acknowledged


def test_the_administrator_retries_a_given_up_task_and_it_counts_afresh(cast, db_tasks):
    chain = given_up(db_tasks)
    client = cast.client(cast.admin)
    assert client.post(reverse("core:job_retry", args=[chain.pk])).status_code == 302
    chain.refresh_from_db()
    assert (chain.gave_up, chain.attempts) == (False, 1)
    run_worker()
    chain.refresh_from_db()
    assert (chain.gave_up, chain.attempts) == (True, 3)
    assert sample_tasks.RUNS["visible"] == 6


def test_the_administrator_acknowledges_a_given_up_task(cast, db_tasks):
    chain = given_up(db_tasks)
    client = cast.client(cast.admin)
    assert client.post(reverse("core:job_acknowledge", args=[chain.pk])).status_code == 302
    chain.refresh_from_db()
    assert chain.acknowledged
    assert client.get(reverse("core:job_retry", args=[chain.pk])).status_code == 405
