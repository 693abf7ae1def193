"""The schedule: due jobs are enqueued once, at the right Beijing time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu.core import scheduling
from jianfu.core.models import ScheduledJob
from jianfu.core.scheduling import SCHEDULE, JobSpec, next_run_after, schedule_sync, schedule_tick

BEIJING = ZoneInfo("Asia/Shanghai")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TICK = "tests.core.sample_tasks.tick"


def beijing(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BEIJING)


# --- next_run_after ---------------------------------------------------------

def test_daily_job_runs_later_the_same_beijing_day():
    # 2019-05-01 01:00 in Beijing is 2019-04-30 17:00 UTC.
    after = beijing(2019, 5, 1, 1, 0)
    result = next_run_after(every="day", at_time=dt.time(2, 0), weekday=None, after=after)
    assert result == beijing(2019, 5, 1, 2, 0)


def test_daily_job_past_its_time_runs_the_next_beijing_day():
    after = beijing(2019, 5, 1, 2, 0)
    result = next_run_after(every="day", at_time=dt.time(2, 0), weekday=None, after=after)
    assert result == beijing(2019, 5, 2, 2, 0)


def test_daily_time_is_beijing_time_not_utc():
    # 20:00 UTC on 30 April is already 04:00 on 1 May in Beijing, so the 02:00 run is on 2 May.
    after = dt.datetime(2019, 4, 30, 20, 0, tzinfo=dt.UTC)
    result = next_run_after(every="day", at_time=dt.time(2, 0), weekday=None, after=after)
    assert result == dt.datetime(2019, 5, 1, 18, 0, tzinfo=dt.UTC)
    assert result.tzinfo == dt.UTC


def test_weekly_job_runs_on_its_weekday():
    # 2019-05-01 was a Wednesday; the Sunday 03:00 run is on 5 May.
    after = beijing(2019, 5, 1, 12, 0)
    result = next_run_after(every="week", at_time=dt.time(3, 0), weekday=6, after=after)
    assert result == beijing(2019, 5, 5, 3, 0)


def test_weekly_job_on_its_own_weekday_after_its_time_waits_a_week():
    after = beijing(2019, 5, 5, 3, 0, 1)
    result = next_run_after(every="week", at_time=dt.time(3, 0), weekday=6, after=after)
    assert result == beijing(2019, 5, 12, 3, 0)


def test_hourly_job_runs_at_its_minute():
    after = beijing(2019, 5, 1, 9, 45)
    assert next_run_after(every="hour", at_time=dt.time(0, 30), weekday=None, after=after) == beijing(
        2019, 5, 1, 10, 30)


moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                       timezones=st.sampled_from([dt.UTC, BEIJING, ZoneInfo("Europe/Berlin")]))
times = st.times()


@settings(max_examples=300, deadline=None)
@given(after=moments, at=times, weekday=st.integers(0, 6))
def test_weekly_next_run_is_strictly_after_on_the_weekday_at_the_time_within_a_week(after, at, weekday):
    result = next_run_after(every="week", at_time=at, weekday=weekday, after=after)
    local = result.astimezone(BEIJING)
    assert result > after
    assert result - after <= dt.timedelta(days=7)
    assert local.weekday() == weekday
    assert (local.hour, local.minute, local.second, local.microsecond) == (at.hour, at.minute, 0, 0)


@settings(max_examples=300, deadline=None)
@given(after=moments, at=times)
def test_daily_next_run_is_strictly_after_at_the_time_within_a_day(after, at):
    result = next_run_after(every="day", at_time=at, weekday=None, after=after)
    local = result.astimezone(BEIJING)
    assert result > after
    assert result - after <= dt.timedelta(days=1)
    assert (local.hour, local.minute) == (at.hour, at.minute)


@settings(max_examples=200, deadline=None)
@given(after=moments, at=times)
def test_hourly_next_run_is_strictly_after_within_an_hour(after, at):
    result = next_run_after(every="hour", at_time=at, weekday=None, after=after)
    # In UTC: wall-clock arithmetic on `after` would skip a daylight-saving gap (02:00 → 03:00 is no hour).
    assert after < result <= after.astimezone(dt.UTC) + dt.timedelta(hours=1)
    assert result.astimezone(BEIJING).minute == at.minute


# --- schedule_sync and schedule_tick -----------------------

@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    return settings


def tick_job(now: dt.datetime) -> ScheduledJob:
    schedule_sync(specs=[JobSpec("test-tick", TICK, ScheduledJob.Every.DAY, dt.time(2, 0))], now=now)
    return ScheduledJob.objects.get(name="test-tick")


@pytest.mark.django_db
def test_schedule_sync_creates_the_declared_jobs_once(db):
    now = beijing(2019, 5, 1, 12, 0)
    assert schedule_sync(now=now) == len(SCHEDULE)
    assert schedule_sync(now=now) == 0
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == {spec.name for spec in SCHEDULE}
    assert ScheduledJob.objects.get(name="audit-chain-verify").next_run_at == beijing(2019, 5, 2, 2, 0)


@pytest.mark.django_db
def test_schedule_sync_reschedules_a_changed_job(db):
    now = beijing(2019, 5, 1, 12, 0)
    tick_job(now)
    schedule_sync(specs=[JobSpec("test-tick", TICK, ScheduledJob.Every.DAY, dt.time(22, 0))], now=now)
    assert ScheduledJob.objects.get(name="test-tick").next_run_at == beijing(2019, 5, 1, 22, 0)


@pytest.mark.django_db
def test_schedule_tick_enqueues_a_due_job_once_even_if_called_twice(db_tasks):
    job = tick_job(beijing(2019, 5, 1, 12, 0))
    due = beijing(2019, 5, 2, 2, 0, 5)
    assert schedule_tick(now=beijing(2019, 5, 2, 1, 59)) == []
    assert schedule_tick(now=due) == ["test-tick"]
    assert schedule_tick(now=due) == []
    assert DBTaskResult.objects.filter(task_path=TICK).count() == 1
    job.refresh_from_db()
    assert job.next_run_at == beijing(2019, 5, 3, 2, 0)
    assert job.last_run_at == due
    assert job.last_result_id == str(DBTaskResult.objects.get(task_path=TICK).pk)


@pytest.mark.django_db
def test_two_workers_ticking_at_the_same_moment_enqueue_a_due_job_once(db_tasks, monkeypatch):
    """The second worker read the job before the first claimed it; its conditional update claims nothing."""
    tick_job(beijing(2019, 5, 1, 12, 0))
    due = beijing(2019, 5, 2, 2, 0, 5)
    real = scheduling.next_run_after
    other_worker: list[list[str]] = []

    def interleaved(**kwargs):
        if not other_worker:
            other_worker.append([])
            other_worker[0] = schedule_tick(now=due)
        return real(**kwargs)

    monkeypatch.setattr(scheduling, "next_run_after", interleaved)
    assert schedule_tick(now=due) == []
    assert other_worker == [["test-tick"]]
    assert DBTaskResult.objects.filter(task_path=TICK).count() == 1


@pytest.mark.django_db
def test_a_disabled_job_is_not_enqueued(db_tasks):
    job = tick_job(beijing(2019, 5, 1, 12, 0))
    ScheduledJob.objects.filter(pk=job.pk).update(enabled=False)
    assert schedule_tick(now=beijing(2019, 5, 9)) == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_job_naming_a_missing_task_is_skipped_and_the_others_still_run(db_tasks):
    now = beijing(2019, 5, 1, 12, 0)
    schedule_sync(specs=[JobSpec("a-missing", "tests.core.sample_tasks.nothing_here", ScheduledJob.Every.DAY,
                                 dt.time(2, 0)),
                         JobSpec("test-tick", TICK, ScheduledJob.Every.DAY, dt.time(2, 0))], now=now)
    assert schedule_tick(now=beijing(2019, 5, 2, 3, 0)) == ["test-tick"]
    assert DBTaskResult.objects.filter(task_path=TICK).count() == 1


@pytest.mark.django_db
def test_a_job_missed_for_days_runs_once_and_is_rescheduled_from_now(db_tasks):
    tick_job(beijing(2019, 5, 1, 12, 0))
    now = beijing(2019, 5, 9, 12, 0)
    assert schedule_tick(now=now) == ["test-tick"]
    assert ScheduledJob.objects.get(name="test-tick").next_run_at == beijing(2019, 5, 10, 2, 0)
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_the_nightly_audit_check_fails_on_a_broken_chain(cast):
    from django.db import connection

    from jianfu.audit.models import AuditRecord
    from jianfu.audit.tasks import audit_chain_check

    assert audit_chain_check.call() == {"ok": True, "count": AuditRecord.objects.count()}
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE seq = 2")
    with pytest.raises(RuntimeError):
        audit_chain_check.call()


@pytest.mark.django_db
def test_pruning_keeps_failures_and_recent_successes(db_tasks):
    from django.utils import timezone

    from jianfu.core.tasks import prune_finished_tasks

    from . import sample_tasks

    old_ok = sample_tasks.tick.enqueue()
    recent_ok = sample_tasks.tick.enqueue()
    old_failed = sample_tasks.tick.enqueue()
    long_ago = timezone.now() - dt.timedelta(days=40)
    DBTaskResult.objects.filter(pk=old_ok.id).update(status="SUCCESSFUL", finished_at=long_ago)
    DBTaskResult.objects.filter(pk=recent_ok.id).update(status="SUCCESSFUL", finished_at=timezone.now())
    DBTaskResult.objects.filter(pk=old_failed.id).update(status="FAILED", finished_at=long_ago)
    assert prune_finished_tasks.call() == 1
    assert set(map(str, DBTaskResult.objects.values_list("pk", flat=True))) == {str(recent_ok.id),
                                                                               str(old_failed.id)}
