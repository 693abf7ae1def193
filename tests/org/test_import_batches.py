"""A units import is written in batches that let other writers in between; it still ends all or nothing:
cut off half-way (the worker died), its next run writes the rest once; if the rest no longer checks out,
every written batch is undone."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import override_settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from jianfu.audit.models import AuditRecord
from jianfu.core.models import WriteBatch
from jianfu.org import services as org
from jianfu.org.imports import running
from jianfu.org.imports.problems import problem_message
from jianfu.org.imports.services import import_job_apply, import_job_check, import_job_confirm, import_job_create
from jianfu.org.models import ImportJob, Membership, Person, Role, Unit, UnitType

HEADER = ["代码", "名称", "类型", "上级代码", "状态"]
VILLAGES = 11


class WorkerKilled(BaseException):
    """Stands for kill -9: nothing after it runs, not even `except Exception` handlers."""


@pytest.fixture(autouse=True)
def _small_batches(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    settings.JIANFU_WRITE_BATCH_ROWS = 3


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def villages_file(tmp_path: Path, cast) -> Path:
    """A township of the county with eleven villages, the last one inactive: batches of 1, 3, 3, 3 and 2 rows."""
    rows = [HEADER, ["431026109", "新镇", "乡镇", cast.county.code, ""]]
    rows += [[f"431026109{i:03d}", f"新村{i}", "村", "431026109", "停用" if i == VILLAGES else ""]
             for i in range(1, VILLAGES + 1)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "villages.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def checked_job(cast, path: Path, capture) -> ImportJob:
    with capture(execute=True), path.open("rb") as f:
        job = import_job_create(by=cast.officer, kind="units", upload=f, file_name=path.name,
                                size=path.stat().st_size)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    return job


def confirmed_job(cast, path: Path, capture) -> ImportJob:
    """Checked and confirmed; its apply task queued nowhere, for the test to run."""
    job = checked_job(cast, path, capture)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        assert import_job_confirm(by=cast.officer, job=job)
    return job


def cut_off_after(monkeypatch, steps: int, between=None) -> None:
    """Let `steps` batches commit, then run `between` (someone else's change) or kill the run in the next."""
    original = running.unit_import_step_apply
    calls = [0]

    def step(**kwargs):
        calls[0] += 1
        if calls[0] == steps + 1:
            if between is None:
                raise WorkerKilled
            between()
        return original(**kwargs)

    monkeypatch.setattr(running, "unit_import_step_apply", step)


def file_codes() -> list[str]:
    return ["431026109"] + [f"431026109{i:03d}" for i in range(1, VILLAGES + 1)]


def records(action: str, codes: list[str]) -> list[str]:
    """The codes of the units that have a record of this action, once per record."""
    code_of = {str(pk): code for pk, code in Unit.objects.filter(code__in=codes).values_list("pk", "code")}
    ids = AuditRecord.objects.filter(action=action, object_id__in=code_of).values_list("object_id", flat=True)
    return sorted(code_of[i] for i in ids)


def test_an_import_cut_off_half_way_finishes_once_when_its_task_runs_again(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    cut_off_after(monkeypatch, 2)
    with pytest.raises(WorkerKilled):
        import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING
    assert Unit.objects.filter(code__in=file_codes()).count() == 4  # the township and three villages
    assert WriteBatch.objects.count() == 2
    monkeypatch.undo()
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.total_rows) == (VILLAGES + 1, 0, VILLAGES + 1)
    assert sorted(Unit.objects.filter(code__in=file_codes()).values_list("code", flat=True)) == file_codes()
    assert records("unit.create", file_codes()) == file_codes()  # one record each, none twice
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1
    assert not WriteBatch.objects.exists()
    township = Unit.objects.get(code="431026109")
    assert all(v.path == f"{township.path}{v.pk}/" and v.level == 3 for v in township.children.all())
    # A third run, as from a worker that was only slow, changes nothing.
    assert import_job_apply(job_id=job.pk, by_id=cast.officer.pk).status == ImportJob.Status.DONE
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1


def test_confirming_again_an_import_left_importing_by_a_dead_worker_finishes_it(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    cut_off_after(monkeypatch, 1)
    with pytest.raises(WorkerKilled):
        import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert import_job_confirm(by=cast.officer, job=job), "says “already started” and does nothing"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == VILLAGES + 1
    assert records("unit.create", file_codes()) == file_codes()


def test_a_finished_import_cannot_be_confirmed_again(cast, tmp_path, django_capture_on_commit_callbacks):
    job = checked_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = import_job_confirm(by=cast.officer, job=job)
    assert not confirmed
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1


def test_confirming_twice_while_the_import_waits_for_the_worker_queues_it_once(
        cast, tmp_path, settings, django_capture_on_commit_callbacks):
    job = checked_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    for expected in (True, False):
        with django_capture_on_commit_callbacks(execute=True):
            assert import_job_confirm(by=cast.officer, job=job) is expected
    assert DBTaskResult.objects.filter(task_path="jianfu.org.tasks.import_job_apply_task").count() == 1


@pytest.mark.django_db(transaction=True)
def test_other_writers_get_the_database_between_the_batches_of_an_import(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    # Another writer waits at most a second for a lock: if the import held it, that write would fail.
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 1)
    else:
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "options", "-c lock_timeout=1000")
    between: list[tuple[bool, str]] = []
    original = running._FileProgress.__call__

    def someone_files_meanwhile():
        try:
            org.unit_create(by=None, code=f"OTHER{len(between)}", name="别处", type=UnitType.OTHER,
                            parent=cast.township_b)
            between.append((connection.in_atomic_block, "written"))
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            between.append((connection.in_atomic_block, repr(exc)))
        finally:
            connections.close_all()

    def progress(self, phase, fraction):
        if phase == "writing":
            writer = threading.Thread(target=someone_files_meanwhile)
            writer.start()
            writer.join(timeout=10)
        return original(self, phase, fraction)

    monkeypatch.setattr(running._FileProgress, "__call__", progress)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.DONE
    assert between == [(False, "written")] * 5  # after each of the five batches
    assert Unit.objects.filter(code__startswith="OTHER").count() == 5


def test_a_change_between_batches_that_still_checks_out_is_written_through(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)

    def someone_creates_a_village_the_file_names():
        township = Unit.objects.get(code="431026109")
        org.unit_create(by=None, code="431026109011", name="抢先村", type=UnitType.VILLAGE, parent=township)

    cut_off_after(monkeypatch, 2, between=someone_creates_a_village_the_file_names)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.updated_count) == (VILLAGES, 1)
    late = Unit.objects.get(code="431026109011")
    assert (late.name, late.active) == ("新村11", False)
    assert records("unit.create", file_codes()) == file_codes()  # ten by the import, one by the other person
    assert records("unit.update", file_codes()) == ["431026109011"]
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1


def someone_takes_the_last_code_and_puts_a_unit_under_it():
    """The file deactivates 431026109011; with an active sub-unit it cannot, so the rest no longer checks out."""
    taken = org.unit_create(by=None, code="431026109011", name="抢先", type=UnitType.OTHER,
                            parent=Unit.objects.get(code="431026102"))
    org.unit_create(by=None, code="X-SUB", name="下级", type=UnitType.OTHER, parent=taken)


def test_a_change_between_batches_that_breaks_the_rest_undoes_every_written_batch(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    cut_off_after(monkeypatch, 2, between=someone_takes_the_last_code_and_puts_a_unit_under_it)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.INVALID
    assert list(Unit.objects.filter(code__in=file_codes()).values_list("name", flat=True)) == ["抢先"]
    deleted = AuditRecord.objects.filter(action="unit.delete").values_list("object_repr", flat=True)
    assert sorted(deleted) == sorted(["新镇"] + [f"新村{i}" for i in range(1, VILLAGES - 1)])
    assert [p["params"] for p in job.errors if p["level"] == "error"] == [{"code": "431026109011", "child": "X-SUB"}]
    assert not WriteBatch.objects.exists()
    assert not AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).exists()


def test_an_undo_leaves_a_new_unit_someone_started_using_and_says_so(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)

    def someone_uses_a_new_village_then_breaks_the_rest():
        village = Unit.objects.get(code="431026109001")
        org.membership_grant(by=None, person=cast.clerk, unit=village, role=Role.GRASSROOTS_CADRE)
        someone_takes_the_last_code_and_puts_a_unit_under_it()

    cut_off_after(monkeypatch, 2, between=someone_uses_a_new_village_then_breaks_the_rest)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.INVALID
    # The village has a member, so it stays, and so does the township it sits under.
    assert set(Unit.objects.filter(code__in=file_codes()[:-1]).values_list("code", flat=True)) == {
        "431026109", "431026109001"}
    assert Membership.objects.filter(unit__code="431026109001").exists()
    notes = [problem_message(p) for p in job.errors if p["level"] == "warning"]
    assert any("431026109001, 431026109." in note for note in notes), notes


def test_a_check_cut_off_by_a_dead_worker_is_run_again_by_the_tasks_retry(
        cast, tmp_path, django_capture_on_commit_callbacks):
    path = villages_file(tmp_path, cast)
    with django_capture_on_commit_callbacks(execute=False), path.open("rb") as f:
        job = import_job_create(by=cast.officer, kind="units", upload=f, file_name=path.name,
                                size=path.stat().st_size)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)  # the worker died here
    assert import_job_check(job_id=job.pk).status == ImportJob.Status.CHECKED


def test_a_late_check_does_not_undo_a_confirmation(cast, tmp_path, django_capture_on_commit_callbacks):
    job = confirmed_job(cast, villages_file(tmp_path, cast), django_capture_on_commit_callbacks)
    assert import_job_check(job_id=job.pk).status == ImportJob.Status.IMPORTING


# People imports and the command line go the same way -----------------------------------------------------------

PEOPLE_HEADER = ["登录名", "姓名", "手机", "职务", "单位代码", "角色"]
NEWCOMERS = 7


def people_file(tmp_path: Path, cast) -> Path:
    """cadre_b gets a title, then seven newcomers: six in village A, the last one in village B.

    In batches of three: the seven new people (3, 3, 1), then cadre_b."""
    rows = [PEOPLE_HEADER, ["cadre_b", "赵镇", "", "副镇长", cast.township_b.code, "基层干部"]]
    rows += [[f"new{i}", f"新人{i}", "", "", (cast.village_a if i <= 6 else cast.village_b).code, "基层干部"]
             for i in range(1, NEWCOMERS + 1)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "people.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def confirmed_people_job(cast, path: Path, capture) -> ImportJob:
    with capture(execute=True), path.open("rb") as f:
        job = import_job_create(by=cast.officer, kind="people", upload=f, file_name=path.name,
                                size=path.stat().st_size)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        assert import_job_confirm(by=cast.officer, job=job)
    return job


def cut_people_off_after(monkeypatch, steps: int, between=None) -> None:
    original = running.person_import_step_apply
    calls = [0]

    def step(**kwargs):
        calls[0] += 1
        if calls[0] == steps + 1:
            if between is None:
                raise WorkerKilled
            between()
        return original(**kwargs)

    monkeypatch.setattr(running, "person_import_step_apply", step)


def newcomers() -> list[str]:
    return [f"new{i}" for i in range(1, NEWCOMERS + 1)]


def person_records(action: str, usernames: list[str]) -> list[str]:
    """The login names of these people that have a record of this action, once per record."""
    name_of = {str(pk): u for pk, u in Person.objects.filter(username__in=usernames).values_list("pk", "username")}
    ids = AuditRecord.objects.filter(action=action, object_id__in=name_of).values_list("object_id", flat=True)
    return sorted(name_of[i] for i in ids)


def test_a_people_import_cut_off_half_way_writes_each_person_and_role_once_when_it_runs_again(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_people_job(cast, people_file(tmp_path, cast), django_capture_on_commit_callbacks)
    cut_people_off_after(monkeypatch, 1)
    with pytest.raises(WorkerKilled):
        import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.IMPORTING
    assert Person.objects.filter(username__in=newcomers()).count() == 3 and WriteBatch.objects.count() == 1
    monkeypatch.undo()
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.updated_count, job.total_rows) == (NEWCOMERS, 1, NEWCOMERS + 1)
    assert sorted(Person.objects.filter(username__in=newcomers()).values_list("username", flat=True)) == newcomers()
    roles = Membership.objects.filter(person__username__in=newcomers() + ["cadre_b"], role=Role.GRASSROOTS_CADRE)
    assert sorted(roles.values_list("person__username", flat=True)) == sorted(newcomers() + ["cadre_b"])
    assert person_records("person.create", newcomers()) == newcomers()  # one record each, none twice
    assert person_records("person.update", newcomers() + ["cadre_b"]) == ["cadre_b"]
    assert Person.objects.get(username="cadre_b").title == "副镇长"
    assert AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).count() == 1
    assert not WriteBatch.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_other_writers_get_the_database_between_the_batches_of_a_people_import(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_people_job(cast, people_file(tmp_path, cast), django_capture_on_commit_callbacks)
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 1)
    else:
        monkeypatch.setitem(connection.settings_dict["OPTIONS"], "options", "-c lock_timeout=1000")
    between: list[tuple[bool, str]] = []
    original = running._FileProgress.__call__

    def someone_writes_meanwhile():
        try:
            org.unit_create(by=None, code=f"OTHER{len(between)}", name="别处", type=UnitType.OTHER,
                            parent=cast.township_b)
            between.append((connection.in_atomic_block, "written"))
        except Exception as exc:  # noqa: BLE001 - the test reports what went wrong
            between.append((connection.in_atomic_block, repr(exc)))
        finally:
            connections.close_all()

    def progress(self, phase, fraction):
        if phase == "writing":
            writer = threading.Thread(target=someone_writes_meanwhile)
            writer.start()
            writer.join(timeout=10)
        return original(self, phase, fraction)

    monkeypatch.setattr(running._FileProgress, "__call__", progress)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert between == [(False, "written")] * 4  # after each of the four batches


def test_a_change_between_people_batches_that_breaks_the_rest_undoes_every_written_batch(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    job = confirmed_people_job(cast, people_file(tmp_path, cast), django_capture_on_commit_callbacks)
    before = AuditRecord.objects.count()

    def someone_deactivates_village_b():
        org.unit_set_active(by=None, unit=Unit.objects.get(pk=cast.village_b.pk), active=False)

    # While the second batch is written (it names village A only): the third one's unit goes.
    cut_people_off_after(monkeypatch, 1, between=someone_deactivates_village_b)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    assert job.status == ImportJob.Status.INVALID
    assert [(p["row"], p["params"]) for p in job.errors if p["level"] == "error"] == [
        (9, {"code": cast.village_b.code})]
    # The six written in two batches are gone again, with their roles; each removal is recorded.
    assert not Person.objects.filter(username__in=newcomers()).exists()
    assert not Membership.objects.filter(unit=cast.village_a, person__username__startswith="new").exists()
    written = AuditRecord.objects.filter(seq__gt=before)
    assert sorted(written.filter(action="person.delete").values_list("object_repr", flat=True)) == [
        f"新人{i}" for i in range(1, 7)]
    assert written.filter(action="membership.revoke").count() == 6
    assert not WriteBatch.objects.exists()
    assert not AuditRecord.objects.filter(action="import.apply", object_id=str(job.pk)).exists()


def test_a_people_import_that_fails_at_the_end_gives_a_changed_person_their_earlier_values_back(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """cadre_b is changed in the last batch; the undo after an unexpected error restores them."""
    job = confirmed_people_job(cast, people_file(tmp_path, cast), django_capture_on_commit_callbacks)
    original_finish = running._finish

    def finish_fails(run, outcome):
        assert Person.objects.get(username="cadre_b").title == "副镇长"
        raise RuntimeError("disk full")

    monkeypatch.setattr(running, "_finish", finish_fails)
    job = import_job_apply(job_id=job.pk, by_id=cast.officer.pk)
    monkeypatch.setattr(running, "_finish", original_finish)
    assert job.status == ImportJob.Status.FAILED and "disk full" in job.message
    assert Person.objects.get(username="cadre_b").title == ""
    assert person_records("person.update", ["cadre_b"]) == ["cadre_b", "cadre_b"]  # written, then undone
    assert not Person.objects.filter(username__in=newcomers()).exists()
    assert not WriteBatch.objects.exists()


def run_cli(*args) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, "--no-progress", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def test_the_cli_imports_units_in_batches_and_a_second_run_finishes_one_cut_off(cast, tmp_path, monkeypatch):
    path = villages_file(tmp_path, cast)
    cut_off_after(monkeypatch, 2)
    with pytest.raises(WorkerKilled):
        run_cli("import_units", str(path), "--as", "officer")
    # Two batches stand, each committed on its own.
    assert Unit.objects.filter(code__in=file_codes()).count() == 4 and WriteBatch.objects.count() == 2
    monkeypatch.undo()
    code, out = run_cli("import_units", str(path), "--as", "officer")
    assert code == 0 and f"{VILLAGES + 1} rows: {VILLAGES + 1} created, 0 updated, 0 unchanged" in out
    assert records("unit.create", file_codes()) == file_codes()
    summary = AuditRecord.objects.get(action="import.apply")
    assert summary.after["created"] == VILLAGES + 1 and summary.after["source"] == "cli"
    assert not WriteBatch.objects.exists()


def test_the_cli_import_interrupted_by_the_operator_undoes_what_it_wrote(cast, tmp_path, monkeypatch):
    original = running.unit_import_step_apply
    calls = [0]

    def step(**kwargs):
        calls[0] += 1
        if calls[0] == 3:
            raise KeyboardInterrupt
        return original(**kwargs)

    monkeypatch.setattr(running, "unit_import_step_apply", step)
    with pytest.raises(KeyboardInterrupt):
        run_cli("import_units", str(villages_file(tmp_path, cast)))
    assert not Unit.objects.filter(code__in=file_codes()).exists()
    assert records("unit.create", file_codes()) == []
    assert AuditRecord.objects.filter(action="unit.delete").count() == 4
    assert not WriteBatch.objects.exists() and not AuditRecord.objects.filter(action="import.apply").exists()


def test_the_cli_imports_people_in_batches(cast, tmp_path, monkeypatch):
    steps = []
    original = running.person_import_step_apply

    def step(**kwargs):
        steps.append(connection.in_atomic_block)
        return original(**kwargs)

    monkeypatch.setattr(running, "person_import_step_apply", step)
    code, out = run_cli("import_people", str(people_file(tmp_path, cast)), "--as", "officer")
    assert code == 0 and f"{NEWCOMERS + 1} rows: {NEWCOMERS} created, 1 updated, 0 unchanged" in out
    assert len(steps) == 4
    assert person_records("person.create", newcomers()) == newcomers()
