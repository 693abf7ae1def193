"""Applying a checked import: the check is not repeated when nothing it read has changed, the units and
audit records written are the ones the ORM and the general audit writer would write, and the import
steps and their tasks do not import each other."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone, translation

import jianfu
from jianfu.audit.models import AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.audit.services import Change, audit_record_many, audit_record_many_plain
from jianfu.org import services as org
from jianfu.org.imports import running
from jianfu.org.imports.reading import read_sheet
from jianfu.org.imports.services import import_job_apply, import_job_confirm, import_job_create
from jianfu.org.imports.units import unit_import_check, unit_import_recheck
from jianfu.org.models import ImportJob, Role, Unit, UnitType

UNIT_HEADER = ["代码", "名称", "类型", "上级代码", "状态"]


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


def write_csv(path: Path, rows: list[list]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def county_rows() -> list[list]:
    return [UNIT_HEADER,
            ["431028", "安仁县", "县（市、区）", "431000", ""],
            ["431028101", "永乐江镇", "乡镇（街道）", "431028", ""],
            ["431028101201", "永乐村", "村（社区）", "431028101", "停用"],
            ["431026101", "土桥镇（更名）", "乡镇", "431026", ""]]


def count_reads(monkeypatch) -> list[str]:
    reads: list[str] = []

    def counting(path, **kwargs):
        reads.append(kwargs.get("file_name") or path.name)
        return read_sheet(path, **kwargs)

    monkeypatch.setattr(running, "read_sheet", counting)
    return reads


def run_job(cast, path: Path, capture, *, between=None) -> ImportJob:
    """Upload, check, confirm and apply a job the way the pages and the worker do, in this process."""
    with capture(execute=True), path.open("rb") as f:
        job = import_job_create(by=cast.officer, kind="units", upload=f, file_name=path.name,
                                size=path.stat().st_size)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.errors
    if between:
        between()
    with capture(execute=True):
        assert import_job_confirm(by=cast.officer, job=job)
    job.refresh_from_db()
    return job


# The check is not repeated ---------------------------------------------------------------------------


def test_an_apply_right_after_its_check_does_not_read_and_check_the_file_again(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    reads = count_reads(monkeypatch)
    job = run_job(cast, write_csv(tmp_path / "u.csv", county_rows()), django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, (job.errors, job.message)
    assert (job.created_count, job.updated_count, job.total_rows) == (3, 1, 4)
    assert reads == ["u.csv"]
    village = Unit.objects.get(code="431028101201")
    assert not village.active and village.path == f"{village.parent.path}{village.pk}/" and village.level == 3
    assert Unit.objects.get(pk=cast.township_a.pk).name == "土桥镇（更名）"
    assert audit_chain_verify().ok


def test_an_apply_after_the_data_changed_checks_the_file_again_and_writes_nothing(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    reads = count_reads(monkeypatch)

    def someone_else_takes_the_village_code_and_puts_a_unit_under_it():
        taken = org.unit_create(by=None, code="431028101201", name="抢先", type=UnitType.OTHER,
                                parent=cast.township_b)
        org.unit_create(by=None, code="X-SUB", name="下级", type=UnitType.OTHER, parent=taken)

    job = run_job(cast, write_csv(tmp_path / "u.csv", county_rows()), django_capture_on_commit_callbacks,
                  between=someone_else_takes_the_village_code_and_puts_a_unit_under_it)
    assert job.status == ImportJob.Status.INVALID
    assert reads == ["u.csv", "u.csv"]
    with translation.override("en"):
        assert [p["params"] for p in job.errors] == [{"code": "431028101201", "child": "X-SUB"}]
    assert not Unit.objects.filter(code__in=["431028", "431028101"]).exists()
    assert Unit.objects.get(code="431028101201").active


def test_an_apply_after_the_person_lost_their_scope_checks_again_and_writes_nothing(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    reads = count_reads(monkeypatch)

    def the_officer_leaves_the_task_force():
        org.membership_revoke(by=None, membership=cast.officer.memberships.get())

    job = run_job(cast, write_csv(tmp_path / "u.csv", county_rows()), django_capture_on_commit_callbacks,
                  between=the_officer_leaves_the_task_force)
    assert job.status == ImportJob.Status.INVALID and reads == ["u.csv", "u.csv"]
    assert not Unit.objects.filter(code="431028").exists()


def test_a_check_run_by_one_person_is_not_reused_for_an_apply_confirmed_by_another(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    reads = count_reads(monkeypatch)
    path = write_csv(tmp_path / "u.csv", county_rows())
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as f:
        job = import_job_create(by=cast.officer, kind="units", upload=f, file_name=path.name,
                                size=path.stat().st_size)
    job.refresh_from_db()
    assert ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    job = import_job_apply(job_id=job.pk, by_id=cast.admin.pk)
    assert job.status == ImportJob.Status.DONE and reads == ["u.csv", "u.csv"]


def test_a_second_check_of_another_job_replaces_the_remembered_plan(
        cast, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    reads = count_reads(monkeypatch)
    first = write_csv(tmp_path / "a.csv", county_rows())
    second = write_csv(tmp_path / "b.csv", [UNIT_HEADER, ["X1", "甲县", "县", "431000", ""]])
    jobs = []
    for path in (first, second):
        with django_capture_on_commit_callbacks(execute=True), path.open("rb") as f:
            jobs.append(import_job_create(by=cast.officer, kind="units", upload=f, file_name=path.name,
                                          size=path.stat().st_size))
    assert ImportJob.objects.filter(pk=jobs[0].pk).update(status=ImportJob.Status.IMPORTING)
    assert import_job_apply(job_id=jobs[0].pk).status == ImportJob.Status.DONE
    assert reads == ["a.csv", "b.csv", "a.csv"]


@pytest.fixture
def checked(cast, tmp_path):
    """A plan checked as the township cadre of 土桥镇: a new village under it, and the old one deactivated."""
    rows = [UNIT_HEADER, ["431026101202", "新村", "村", "431026101", ""],
            ["431026101201", "土桥村", "村", "431026101", "停用"]]
    sheet = read_sheet(write_csv(tmp_path / "c.csv", rows))
    plan = unit_import_check(sheet=sheet, actor=cast.cadre_a)
    assert plan.ok, [p.as_dict() for p in plan.problems]
    return plan


def recheck(plan, person) -> bool:
    with transaction.atomic():
        fresh = type(person).objects.get(pk=person.pk)  # the scope is cached on the object
        return unit_import_recheck(plan=plan, actor=fresh)


def test_a_plan_still_holds_when_nothing_it_read_changed(cast, checked):
    org.unit_create(by=None, code="431026102202", name="别村", type=UnitType.VILLAGE, parent=cast.township_b)
    org.unit_update(by=None, unit=Unit.objects.get(pk=cast.village_b.pk), name="热水村（改）")
    assert recheck(checked, cast.cadre_a)


@pytest.mark.parametrize("change", ["renamed parent", "code taken", "parent deactivated", "new active child",
                                    "scope widened", "scope lost"])
def test_a_plan_no_longer_holds_when_something_it_read_changed(cast, checked, change):
    if change == "renamed parent":
        org.unit_update(by=None, unit=Unit.objects.get(pk=cast.township_a.pk), name="土桥镇（改）")
    elif change == "code taken":
        org.unit_create(by=None, code="431026101202", name="抢先村", type=UnitType.VILLAGE, parent=cast.township_b)
    elif change == "parent deactivated":
        org.unit_set_active(by=None, unit=Unit.objects.get(pk=cast.village_a.pk), active=False)
        org.unit_set_active(by=None, unit=Unit.objects.get(pk=cast.township_a.pk), active=False)
    elif change == "new active child":
        # Nothing can sit under a village, so the child is put there behind the services' back.
        Unit.objects.create(code="X-CHILD", name="子单位", type=UnitType.OTHER, parent_id=cast.village_a.pk,
                            path=f"{cast.village_a.path}0/", level=4)
    elif change == "scope widened":
        org.membership_grant(by=None, person=cast.cadre_a, unit=cast.county, role=Role.GRASSROOTS_CADRE)
    elif change == "scope lost":
        org.membership_revoke(by=None, membership=cast.cadre_a.memberships.get())
    assert not recheck(checked, cast.cadre_a)


# The same rows and records as before ------------------------------------------------------------------


def test_imported_units_have_every_column_a_unit_created_through_the_orm_has(cast, tmp_path):
    with translation.override("en"):
        outcome = running.import_file_apply(kind="units", path=write_csv(tmp_path / "u.csv", county_rows()),
                                            file_name="u.csv", actor=cast.officer)
    assert outcome.ok and outcome.created == 3
    imported = Unit.objects.get(code="431028101")
    made = org.unit_create(by=None, code="431028102", name="另一镇", type=UnitType.TOWNSHIP,
                           parent=Unit.objects.get(code="431028"))
    made.refresh_from_db()
    for field in Unit._meta.concrete_fields:
        if field.name in ("id", "code", "name", "path", "created_at", "updated_at"):
            continue
        assert getattr(imported, field.attname) == getattr(made, field.attname), field.name
    assert imported.path == f"{imported.parent.path}{imported.pk}/"
    assert imported.created_at == imported.updated_at and abs(imported.created_at - timezone.now()) < dt.timedelta(
        minutes=5)


def test_the_import_audits_each_row_with_plain_values(cast, tmp_path):
    start = AuditRecord.objects.count()
    with translation.override("en"):
        running.import_file_apply(kind="units", path=write_csv(tmp_path / "u.csv", county_rows()),
                                  file_name="u.csv", actor=cast.officer)
    records = {r.object_repr: r for r in AuditRecord.objects.filter(seq__gt=start)}
    county = Unit.objects.get(code="431028")
    village = Unit.objects.get(code="431028101201")
    assert records["永乐村"].action == "unit.create" and records["永乐村"].before is None
    assert records["永乐村"].after == {"code": "431028101201", "name": "永乐村", "type": "village",
                                      "parent": "431028101", "active": False, "liaison": None}
    assert records["永乐村"].object_id == str(village.pk) and records["安仁县"].object_id == str(county.pk)
    update = records["土桥镇（更名）"]
    assert update.action == "unit.update"
    assert update.before == {"code": "431026101", "name": "土桥镇", "type": "township", "parent": "431026",
                             "active": True, "liaison": None}
    assert update.after == {**update.before, "name": "土桥镇（更名）"}
    assert [r.actor_id for r in records.values()] == [cast.officer.pk] * 4
    assert audit_chain_verify().ok


def _written(writer, changes, actor) -> tuple[list[dict], list[tuple]]:
    """The records a writer appends, read back through the ORM and as raw column text; then undone."""
    start = AuditRecord.objects.count()
    with transaction.atomic():
        writer(actor=actor, changes=changes)
        fields = [f.attname for f in AuditRecord._meta.concrete_fields if f.name != "id"]
        records = list(AuditRecord.objects.filter(seq__gt=start).values(*fields))
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {q('before')}, {q('after')}, {q('at')} FROM {q(AuditRecord._meta.db_table)} "  # noqa: S608
                           f"WHERE {q('seq')} > %s ORDER BY {q('seq')}", [start])
            raw = cursor.fetchall()
        transaction.set_rollback(True)
    return records, raw


def test_the_plain_audit_writer_writes_the_records_and_hashes_of_the_general_one(cast, monkeypatch):
    fixed = timezone.now().replace(microsecond=123456)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    changes = [
        Change("unit.create", "org.unit", "7", "甲村", None,
               {"code": "X1", "name": "甲村", "type": UnitType.VILLAGE, "parent": None, "active": True,
                "liaison": None}),
        Change("unit.update", "org.unit", 8, "乙镇" * 200,
               {"code": "X2", "active": False, "liaison": 3}, {"code": "X2", "active": True, "liaison": None}),
        Change("person.update", "org.person", "9", "王“小”二",
               {"phone": "", "title": "科员\n\t\\"}, {"role_granted": {"unit": "X", "role": Role.LEADER}}),
        Change("import.apply", "import.file", "", "", [1, 2.5, "三", None], {"z": {"b": 1, "a": [True, -0.0]}}),
        Change("empty", "x"),
    ]
    general = _written(audit_record_many, changes, cast.officer)
    plain = _written(audit_record_many_plain, changes, cast.officer)
    assert len(general[0]) == len(changes)
    assert plain == general
    assert _written(audit_record_many_plain, changes, None) == _written(audit_record_many, changes, None)


def test_the_plain_audit_writer_refuses_to_run_outside_a_transaction(db):
    # As if the caller had not opened a transaction (the test's own one is always open).
    wrapper = transaction.get_connection()
    wrapper.in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            audit_record_many_plain(actor=None, changes=[Change("x", "y")])
    finally:
        wrapper.in_atomic_block = True


# No import circle ------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The jianfu.org modules a file imports, lazy imports inside functions included."""
    package = "jianfu." + ".".join(path.relative_to(Path(jianfu.__file__).parent).parent.parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m.startswith("jianfu.org.")}


def test_the_import_tasks_and_the_import_services_do_not_import_each_other():
    org_dir = Path(jianfu.__file__).parent / "org"
    files = {"jianfu.org.tasks": org_dir / "tasks.py"}
    files.update({f"jianfu.org.imports.{p.stem}": p for p in (org_dir / "imports").glob("*.py")
                  if p.stem != "__init__"})
    graph = {name: _imports(path) & files.keys() for name, path in files.items()}
    assert "jianfu.org.tasks" in graph["jianfu.org.imports.services"]
    reachable, todo = set(), ["jianfu.org.tasks"]
    while todo:
        for nxt in graph[todo.pop()] - reachable:
            reachable.add(nxt)
            todo.append(nxt)
    assert "jianfu.org.tasks" not in reachable and "jianfu.org.imports.services" not in reachable
