"""Real processes, really killed: a worker killed with SIGKILL in the middle of an import is taken over by the
next worker and the import finishes exactly once; `jianfu run` restarts a worker killed mid-import while
the web server keeps answering, and stops when the web server dies.

Each test runs `jianfu` as subprocesses against its own SQLite file (a copy of one migrated database) with a
3 s lease and a 1 s heartbeat, and takes 10-20 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

JIANFU = str(Path(sys.executable).with_name("jianfu"))
VILLAGES = 10_000
PORTS = iter(range(18150, 18199))


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated database for the module; each test works on a copy."""
    where = tmp_path_factory.mktemp("migrated")
    subprocess.run([JIANFU, "migrate", "-v0"], env=environment(where, where / "db.sqlite3"), check=True,
                   timeout=120)
    return where / "db.sqlite3"


def environment(where: Path, database: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANFU_", "DATABASE_URL", "DJANGO_"))}
    env.update({"JIANFU_VAR_DIR": str(where / "var"), "DATABASE_URL": f"sqlite:///{database}",
                "JIANFU_TASK_LEASE_SECONDS": "3", "JIANFU_WORKER_BEAT_SECONDS": "1",
                "JIANFU_WRITE_BATCH_ROWS": "500", "JIANFU_LOG_LEVEL": "WARNING"})
    env.update(values)
    return env


@pytest.fixture
def site(migrated, tmp_path) -> dict[str, str]:
    shutil.copy(migrated, tmp_path / "db.sqlite3")
    return environment(tmp_path, tmp_path / "db.sqlite3")


def query(env: dict[str, str], sql: str, *params) -> list[tuple]:
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=20) as db:
        return db.execute(sql, params).fetchall()


def wait_for(what, *, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(f"gave up waiting after {timeout} s")


SETUP = """
import csv, io, pathlib
from django.conf import settings
from jianfu.org import services as org
from jianfu.org.models import Role, UnitType
from jianfu.org.imports.services import import_job_check, import_job_confirm, import_job_create

city = org.unit_create(by=None, code="431000", name="郴州市", type=UnitType.CITY)
tf = org.unit_create(by=None, code="431000TF", name="专班", type=UnitType.TASK_FORCE, parent=city)
county = org.unit_create(by=None, code="431026", name="汝城县", type=UnitType.COUNTY, parent=city)
officer = org.person_create(by=None, username="officer", name="周专班")
org.membership_grant(by=None, person=officer, unit=tf, role=Role.TASK_FORCE_OFFICER)
rows = [["代码", "名称", "类型", "上级代码"], ["T1", "新镇", "乡镇", "431026"]]
rows += [[f"T1-{i}", f"新村{i}", "村", "T1"] for i in range(%(villages)d)]
buffer = io.StringIO()
csv.writer(buffer).writerows(rows)
path = pathlib.Path(settings.VAR_DIR) / "units.csv"
path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
with path.open("rb") as f:
    job = import_job_create(by=officer, kind="units", upload=f, file_name="units.csv", size=path.stat().st_size)
job = import_job_check(job_id=job.pk)
assert job.status == "checked", job.errors[:3]
assert import_job_confirm(by=officer, job=job)
print(job.pk)
"""


def confirmed_import(env: dict[str, str]) -> int:
    """An import of a township and 10,000 villages, checked and confirmed: its apply task waits in the queue."""
    done = subprocess.run([JIANFU, "shell", "-c", SETUP % {"villages": VILLAGES}], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.strip().splitlines()[-1])


def worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([JIANFU, "worker", "--interval", "0.2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_mid_import_is_taken_over_and_the_import_finishes_exactly_once(site):
    job = confirmed_import(site)
    first = worker(site)
    try:
        # Let a few batches commit, then kill the worker the way the OOM killer or `kill -9` would.
        wait_for(lambda: query(site, "SELECT COUNT(*) FROM core_writebatch")[0][0] >= 3, timeout=60, every=0.01)
        first.kill()
        first.wait(timeout=10)
    finally:
        stop(first)
    status, = query(site, "SELECT status FROM org_importjob WHERE id = ?", job)[0]
    written = query(site, "SELECT COUNT(*) FROM org_unit WHERE code LIKE 'T1-%'")[0][0]
    assert status == "importing" and 0 < written < VILLAGES, "the kill came too late to test anything"
    assert query(site, "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE "
                       "'%import_job_apply_task'") == [("RUNNING",)]

    second = worker(site)
    try:
        wait_for(lambda: query(site, "SELECT status FROM org_importjob WHERE id = ?", job)[0][0] == "done",
                 timeout=40, every=0.2)
    finally:
        stop(second)
    assert_imported_once(site, job)
    runs = query(site, "SELECT status, exception_class_path FROM django_tasks_database_dbtaskresult "
                       "WHERE task_path LIKE '%import_job_apply_task' ORDER BY enqueued_at")
    assert runs == [("FAILED", "jianfu.core.worker.WorkerLost"), ("SUCCESSFUL", "")]
    assert query(site, "SELECT attempts, gave_up FROM core_taskattempt") == [(2, 0)]


def assert_imported_once(site: dict[str, str], job: int) -> None:
    """Every unit of the file is there once, with one creation record; the import is recorded once."""
    assert query(site, "SELECT status, created_count FROM org_importjob WHERE id = ?", job) == [
        ("done", VILLAGES + 1)]
    units = {str(pk) for pk, in query(site, "SELECT id FROM org_unit WHERE code = 'T1' OR code LIKE 'T1-%'")}
    assert len(units) == VILLAGES + 1
    records = dict(query(site, "SELECT object_id, COUNT(*) FROM audit_auditrecord WHERE action = 'unit.create' "
                               "GROUP BY object_id"))
    assert {pk: records.get(pk) for pk in units} == dict.fromkeys(units, 1)
    assert query(site, "SELECT COUNT(*) FROM audit_auditrecord WHERE action = 'import.apply' "
                       "AND object_id = ?", str(job)) == [(1,)]
    assert query(site, "SELECT COUNT(*) FROM core_writebatch") == [(0,)]


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


class Run:
    """`jianfu run` on a port of its own, its output read line by line."""

    def __init__(self, env: dict[str, str]):
        self.port = next(PORTS)
        self.process = subprocess.Popen([JIANFU, "run", "--port", str(self.port), "--workers", "1"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines: list[str] = []

    def wait_line(self, start: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.lines.append(line.strip())
            if line.startswith(start):
                return line.strip()
        raise AssertionError(f"no line starting {start!r} in {self.lines}")

    def pid_of(self, line: str) -> int:
        return int(line.split("(process ")[1].split(")")[0].split(",")[0])

    def stop(self) -> None:
        stop(self.process)


class Watch(threading.Thread):
    """Asks /healthz five times a second and counts the answers that were not 200."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.asked, self.failed = port, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.asked += 1
            self.failed += not healthy(self.port)


def test_jianfu_run_restarts_a_worker_killed_mid_import_while_the_site_stays_up(site):
    job = confirmed_import(site)
    run = Run(site)
    watch = None
    try:
        web_pid = run.pid_of(run.wait_line("web server started"))
        worker_pid = run.pid_of(run.wait_line("worker started"))
        wait_for(lambda: healthy(run.port), timeout=20, every=0.2)
        assert Path(site["JIANFU_VAR_DIR"], "run", f"gunicorn-{run.port}.ctl").exists()
        watch = Watch(run.port)
        watch.start()
        wait_for(lambda: query(site, "SELECT COUNT(*) FROM core_writebatch")[0][0] >= 3, timeout=60, every=0.01)

        os.kill(worker_pid, signal.SIGKILL)
        assert run.wait_line("worker stopped") == "worker stopped (killed by SIGKILL); restarting it in 1 s"
        restarted = run.pid_of(run.wait_line("worker restarted"))
        assert restarted != worker_pid
        wait_for(lambda: query(site, "SELECT status FROM org_importjob WHERE id = ?", job)[0][0] == "done",
                 timeout=40, every=0.2)
        assert query(site, "SELECT restarts, last_exit FROM core_workerbeat WHERE pid = ?", restarted) == [
            (1, "killed by SIGKILL")]
        os.kill(web_pid, 0)  # still the web server it started with
    finally:
        if watch:
            watch.done.set()
            watch.join()
        run.stop()
    assert run.process.returncode == 0
    assert watch.asked > 10 and watch.failed == 0, "the site did not stay up while the worker was down"
    assert_imported_once(site, job)


def test_jianfu_run_stops_the_worker_and_exits_1_when_the_web_server_dies(site):
    run = Run(site)
    try:
        web_pid = run.pid_of(run.wait_line("web server started"))
        worker_pid = run.pid_of(run.wait_line("worker started"))
        wait_for(lambda: healthy(run.port), timeout=20, every=0.2)
        os.kill(web_pid, signal.SIGKILL)
        assert run.process.wait(timeout=60) == 1
    finally:
        run.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(worker_pid, 0)
