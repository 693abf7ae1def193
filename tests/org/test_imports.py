"""Importing units and people from .xlsx or .csv: row-level problems, all-or-nothing, scope, CLI."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from jianfu.audit.models import AuditRecord
from jianfu.audit.selectors import audit_chain_verify
from jianfu.org import services as org
from jianfu.org.imports import reading
from jianfu.org.imports.columns import UNIT_COLUMNS, find_header
from jianfu.org.imports.problems import ImportFileError, problem_message
from jianfu.org.imports.services import import_file_apply, import_file_check
from jianfu.org.models import ImportJob, Membership, Person, Role, Unit, UnitType
from tests.exports import export_download

UNIT_HEADER = ["代码", "名称", "类型", "上级代码"]
PEOPLE_HEADER = ["登录名", "姓名", "手机", "职务", "单位代码", "角色"]


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English messages; the reader's-language test switches explicitly."""
    with translation.override("en"):
        yield


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def counts() -> tuple[int, int, int, int]:
    return (Unit.objects.count(), Person.objects.count(), Membership.objects.count(),
            AuditRecord.objects.count())


def problems_of(outcome, level: str = "error") -> list[tuple]:
    return [(p["row"], p["column"], problem_message(p)) for p in outcome.problems if p["level"] == level]


def apply(kind: str, path: Path, actor) -> object:
    with translation.override("en"):
        return import_file_apply(kind=kind, path=path, file_name=path.name, actor=actor)


def new_county_rows() -> list[list]:
    return [
        UNIT_HEADER,
        ["431028", "安仁县", "县（市、区）", "431000"],
        ["431028101", "永乐江镇", "乡镇（街道）", "431028"],
        ["431028101201", "永乐村", "村（社区）", "431028101"],
        ["431028101202", "新江社区", "村", "431028101"],
    ]


# Reading and checking ------------------------------------------------------------------------------


def test_a_units_csv_imports_with_correct_paths_and_an_intact_audit_chain(cast, tmp_path):
    before = counts()
    outcome = apply("units", write_csv(tmp_path / "units.csv", new_county_rows()), cast.officer)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.updated) == (4, 0)
    county = Unit.objects.get(code="431028")
    town = Unit.objects.get(code="431028101")
    village = Unit.objects.get(code="431028101201")
    assert county.parent == cast.city and county.type == UnitType.COUNTY
    assert county.path == f"{cast.city.path}{county.pk}/" and county.level == 1
    assert town.path == f"{county.path}{town.pk}/" and town.level == 2
    assert village.path == f"{town.path}{village.pk}/" and village.level == 3
    assert village.type == UnitType.VILLAGE and village.active
    assert counts()[3] == before[3] + 4
    created = AuditRecord.objects.filter(action="unit.create", object_id=str(village.pk)).get()
    assert created.actor_id == cast.officer.pk and created.after["parent"] == "431028101"
    assert audit_chain_verify().ok


def test_a_csv_in_gbk_is_read_correctly(cast, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", new_county_rows(), encoding="gbk")
    outcome = apply("units", path, cast.officer)
    assert outcome.ok, outcome.problems
    assert Unit.objects.get(code="431028101").name == "永乐江镇"


def test_an_xlsx_with_a_title_row_english_headers_and_numeric_codes_is_read(cast, tmp_path):
    rows = [["安仁县单位名单"], ["Code", "Name", "Type", "Parent code", "Active"],
            [431028, "安仁县", "county", 431000, "yes"],
            [431028101, "永乐江镇", "Township / street", 431028.0, "启用"]]
    outcome = apply("units", write_xlsx(tmp_path / "units.xlsx", rows), cast.officer)
    assert outcome.ok, outcome.problems
    assert Unit.objects.get(code="431028101").parent.code == "431028"


def test_a_file_in_an_unreadable_encoding_is_refused_and_writes_nothing(cast, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("代码,名称\n".encode() + b"\xff\xfe\x80 caf\xe9\n")
    before = counts()
    with pytest.raises(ImportFileError) as info, translation.override("en"):
        import_file_apply(kind="units", path=path, actor=cast.officer)
    assert "neither UTF-8 nor GBK" in info.value.problem.message
    assert counts() == before


def test_missing_columns_are_one_file_level_problem_naming_them_and_the_columns_found(cast, tmp_path):
    path = write_csv(tmp_path / "units.csv", [["代码", "名称", "备注"], ["X1", "某村", ""]])
    before = counts()
    outcome = apply("units", path, cast.officer)
    [(row, _column, message)] = problems_of(outcome)
    assert row == 1
    assert "类型/type" in message and "上级代码/parent_code" in message
    assert "Columns found: 代码, 名称, 备注" in message
    assert counts() == before


def test_unknown_extra_columns_are_only_a_warning(cast, tmp_path):
    rows = [[*UNIT_HEADER, "备注"], ["431000D09", "市统计局", "部门", "431000", "新设"]]
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    assert outcome.ok
    assert problems_of(outcome, "warning") == [(1, "备注", "Unknown column “备注” is ignored.")]
    assert Unit.objects.filter(code="431000D09").exists()


def test_a_cycle_in_the_parent_chain_is_reported_on_every_row_in_it_and_writes_nothing(cast, tmp_path):
    rows = [UNIT_HEADER, ["D1", "一处", "部门", "D3"], ["D2", "二处", "部门", "D1"],
            ["D3", "三处", "部门", "D2"],
            ["D4", "四处", "部门", "431000D02"]]
    before = counts()
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    cycle_rows = sorted(row for row, column, message in problems_of(outcome) if "circle" in message)
    assert cycle_rows == [2, 3, 4]
    assert all(column == "上级代码" for _, column, _ in problems_of(outcome))
    assert counts() == before


def test_a_cycle_through_units_already_in_the_database_is_found(cast, tmp_path):
    sub = org.unit_create(by=None, code="431000D02-1", name="秘书科", type=UnitType.DEPARTMENT,
                          parent=cast.department)
    rows = [UNIT_HEADER, ["431000D02", "市委办", "部门", sub.code]]
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    assert [(r, m) for r, _, m in problems_of(outcome)] == [
        (2, "The parent chain goes round in a circle: 431000D02 → 431000D02.")]
    assert Unit.objects.get(pk=cast.department.pk).parent == cast.city


def test_an_unknown_parent_a_duplicate_code_and_a_wrong_type_are_each_reported(cast, tmp_path):
    rows = [UNIT_HEADER,
            ["V1", "甲村", "村", "NOPE"],
            ["V2", "乙村", "村", "431026101"],
            ["V2", "乙村重复", "村", "431026101"],
            ["V3", "丙村", "村", "431026"],
            ["V4", "丁村", "小组", "431026101"],
            ["", "无码村", "村", "431026101"]]
    before = counts()
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    found = problems_of(outcome)
    assert (2, "上级代码", "Unknown parent unit NOPE: it is neither in this file nor among the units you may "
            "change.") in found
    assert (4, "代码", "The code V2 already appears in row 3.") in found
    assert any(r == 5 and "cannot sit under 431026" in m for r, _, m in found)
    assert any(r == 6 and c == "类型" and "Unknown unit type “小组”" in m for r, c, m in found)
    assert (7, "代码", "This value is required.") in found
    assert not any(r == 3 for r, _, _ in found)
    assert counts() == before


def test_a_unit_other_than_the_city_needs_a_parent(cast, tmp_path):
    path = write_csv(tmp_path / "u.csv", [UNIT_HEADER, ["X9", "孤县", "县", ""]])
    assert problems_of(apply("units", path, cast.officer)) == [
        (2, "上级代码", "A unit of type “County / district” needs a parent unit code.")]


def test_reimporting_a_corrected_sheet_updates_changed_units_and_audits_only_those(cast, tmp_path):
    rows = [UNIT_HEADER, ["431026101", "土桥镇（更名）", "乡镇", "431026"],
            ["431026102", "热水镇", "乡镇", "431026"]]
    records = AuditRecord.objects.count()
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    township = Unit.objects.get(pk=cast.township_a.pk)
    assert township.name == "土桥镇（更名）" and township.version == cast.township_a.version + 1
    update = AuditRecord.objects.get(seq__gt=records)
    assert update.action == "unit.update" and update.before["name"] == "土桥镇"
    assert audit_chain_verify().ok


def test_moving_an_existing_unit_under_a_new_one_repaths_its_whole_subtree(cast, tmp_path):
    rows = [UNIT_HEADER, ["431099", "新区", "县", "431000"], ["431026101", "土桥镇", "乡镇", "431099"]]
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    assert outcome.ok, outcome.problems
    new_county = Unit.objects.get(code="431099")
    township = Unit.objects.get(pk=cast.township_a.pk)
    village = Unit.objects.get(pk=cast.village_a.pk)
    assert township.parent == new_county and township.path == f"{new_county.path}{township.pk}/"
    assert village.path == f"{township.path}{village.pk}/" and village.level == 3


def test_deactivating_a_unit_with_active_sub_units_is_refused(cast, tmp_path):
    rows = [[*UNIT_HEADER, "状态"], ["431026101", "土桥镇", "乡镇", "431026", "停用"]]
    outcome = apply("units", write_csv(tmp_path / "u.csv", rows), cast.officer)
    assert [(r, c) for r, c, _ in problems_of(outcome)] == [(2, "状态")]


# Malformed files: clear messages and nothing written ------------------------------------------------


def zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    return path


def junk(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


MALFORMED = {
    "zip bomb": lambda tmp: zip_bomb(tmp / "bomb.xlsx"),
    "10 MB of junk named .csv": lambda tmp: junk(tmp / "junk.csv", 10 * 1024 * 1024),
    "10 MB of junk named .xlsx": lambda tmp: junk(tmp / "junk.xlsx", 10 * 1024 * 1024),
    "over the size limit": lambda tmp: junk(tmp / "big.csv", 10 * 1024 * 1024 + 1),
    "a zip that is not a workbook": lambda tmp: _plain_zip(tmp / "docs.xlsx"),
    "an old .xls": lambda tmp: _write(tmp / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
    "empty": lambda tmp: _write(tmp / "empty.csv", b""),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _plain_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return path


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_an_unreadable_file_gives_one_clear_problem_and_writes_nothing(cast, tmp_path, case):
    path = MALFORMED[case](tmp_path)
    before = counts()
    with pytest.raises(ImportFileError) as info, translation.override("en"):
        import_file_apply(kind="units", path=path, file_name=path.name, actor=cast.officer)
    assert info.value.problem.row is None and info.value.problem.message
    assert counts() == before


def test_a_zip_bomb_is_refused_before_calamine_sees_it(cast, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("calamine must not open a zip bomb")

    monkeypatch.setattr(reading, "_read_xlsx", refuse)
    with pytest.raises(ImportFileError) as info, translation.override("en"):
        reading.read_sheet(zip_bomb(tmp_path / "bomb.xlsx"))
    assert "unpacks to far more data" in info.value.problem.message


def test_the_total_unpacked_size_is_counted_not_taken_from_the_zip_directory(tmp_path, monkeypatch):
    rows = [UNIT_HEADER] + [[f"C{i}", "名", "村", "P"] for i in range(300)]
    path = write_xlsx(tmp_path / "units.xlsx", rows)
    monkeypatch.setattr(reading, "MAX_UNCOMPRESSED_BYTES", 5000)
    with pytest.raises(ImportFileError):
        reading.check_xlsx_container(path)


# People ---------------------------------------------------------------------------------------------


def test_a_people_sheet_creates_people_with_their_roles(cast, tmp_path):
    rows = [PEOPLE_HEADER,
            ["zhang3", "张三", "138 0013 8000", "副镇长", "431026101", "基层干部"],
            ["li4", "李四", "0735-2222222", "", "431000D02", "department_clerk"]]
    outcome = apply("people", write_csv(tmp_path / "p.csv", rows), cast.officer)
    assert outcome.ok, outcome.problems
    zhang = Person.objects.get(username="zhang3")
    assert zhang.phone == "13800138000" and zhang.title == "副镇长" and not zhang.has_usable_password()
    assert Membership.objects.filter(person=zhang, unit=cast.township_a, role=Role.GRASSROOTS_CADRE,
                                     active=True).exists()
    assert AuditRecord.objects.filter(action="person.create", actor_id=cast.officer.pk).count() == 2
    assert audit_chain_verify().ok


def test_a_bad_phone_an_unknown_unit_an_unknown_role_and_a_repeated_login_are_reported(cast, tmp_path):
    rows = [PEOPLE_HEADER,
            ["a1", "甲", "1234", "", "431026101", "基层干部"],
            ["a2", "乙", "", "", "NOPE", "基层干部"],
            ["a3", "丙", "", "", "431026101", "村长"],
            ["a3", "丙二", "", "", "431026101", "基层干部"]]
    before = counts()
    outcome = apply("people", write_csv(tmp_path / "p.csv", rows), cast.officer)
    found = {(r, c) for r, c, _ in problems_of(outcome)}
    assert found == {(2, "手机"), (3, "单位代码"), (4, "角色"), (5, "登录名")}
    assert counts() == before


def test_an_existing_login_name_is_updated_and_given_the_new_role(cast, tmp_path):
    rows = [PEOPLE_HEADER, ["cadre_a", "李镇", "13900000000", "镇长", "431026101201", "基层干部"]]
    outcome = apply("people", write_csv(tmp_path / "p.csv", rows), cast.officer)
    assert (outcome.created, outcome.updated) == (0, 1)
    cadre = Person.objects.get(pk=cast.cadre_a.pk)
    assert cadre.phone == "13900000000" and cadre.title == "镇长"
    assert Membership.objects.filter(person=cadre, unit=cast.village_a, active=True).exists()
    again = apply("people", write_csv(tmp_path / "p2.csv", rows), cast.officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_only_an_administrator_can_import_administrators(cast, tmp_path):
    rows = [PEOPLE_HEADER, ["boss", "大管理", "", "", "431000", "系统管理员"]]
    path = write_csv(tmp_path / "p.csv", rows)
    assert [(r, c) for r, c, _ in problems_of(apply("people", path, cast.officer))] == [(2, "角色")]
    assert apply("people", path, cast.admin).ok


# Pages ----------------------------------------------------------------------------------------------


def upload(client, path: Path, kind: str = "units"):
    with path.open("rb") as f:
        return client.post(reverse("org:import_list"), {"kind": kind, "file": f})


def test_an_officer_uploads_previews_and_imports_through_the_pages(cast, tmp_path,
                                                                    django_capture_on_commit_callbacks):
    client = cast.client(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, write_xlsx(tmp_path / "安仁.xlsx", new_county_rows()))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("org:import_detail", args=[job.pk])
    assert job.status == ImportJob.Status.CHECKED and job.total_rows == 4 and job.created_count == 4
    assert job.file_name == "安仁.xlsx" and len(job.file_sha256) == 64
    assert "安仁" not in job.file_path and (tmp_path / "var" / job.file_path).is_file()
    page = client.get(reverse("org:import_detail", args=[job.pk]))
    assert reverse("org:import_confirm", args=[job.pk]) in page.content.decode()
    assert not Unit.objects.filter(code="431028").exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:import_confirm", args=[job.pk]))
        client.post(reverse("org:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 4
    assert Unit.objects.filter(code__startswith="431028").count() == 4
    assert AuditRecord.objects.filter(action="import.apply").count() == 1
    assert audit_chain_verify().ok


def test_a_file_with_problems_shows_them_and_offers_no_import(cast, tmp_path,
                                                              django_capture_on_commit_callbacks):
    client = cast.client(cast.officer)
    rows = [UNIT_HEADER, ["V1", "甲村", "村", "NOPE"], ["V1", "甲村", "村", "431026101"]]
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, write_csv(tmp_path / "bad.csv", rows))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.INVALID
    html = client.get(reverse("org:import_detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unknown parent unit NOPE" in html and "already appears in row 2" in html
    assert reverse("org:import_confirm", args=[job.pk]) not in html
    client.post(reverse("org:import_confirm", args=[job.pk]))
    assert ImportJob.objects.get().status == ImportJob.Status.INVALID
    sheet_path = tmp_path / "problems.xlsx"
    sheet_path.write_bytes(export_download(client, reverse("org:import_problems_export", args=[job.pk])))
    rows = CalamineWorkbook.from_path(str(sheet_path)).get_sheet_by_index(0).to_python()
    assert len(rows) == 1 + len(job.errors)


def test_apply_checks_again_and_writes_nothing_when_the_data_changed_since_the_check(
        cast, tmp_path, django_capture_on_commit_callbacks):
    client = cast.client(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, write_csv(tmp_path / "v.csv", [UNIT_HEADER, ["V9", "新村", "村", "431026101"]]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.CHECKED
    org.unit_create(by=None, code="V9", name="抢先村", type=UnitType.VILLAGE, parent=cast.township_b)
    org.unit_set_active(by=None, unit=cast.village_a, active=False)
    org.unit_set_active(by=None, unit=Unit.objects.get(pk=cast.township_a.pk), active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("org:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID
    assert Unit.objects.get(code="V9").name == "抢先村"


def test_the_progress_fragment_polls_while_running_and_reloads_the_page_when_done(cast, tmp_path):
    client = cast.client(cast.officer)
    upload(client, write_csv(tmp_path / "u.csv", new_county_rows()))  # no commit: the check never runs
    job = ImportJob.objects.get()
    fragment = client.get(reverse("org:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKED)
    done = client.get(reverse("org:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"


def test_the_template_download_has_headers_the_import_recognises(cast, tmp_path):
    response = cast.client(cast.officer).get(reverse("org:import_template", args=["units"]))
    path = tmp_path / "template.xlsx"
    path.write_bytes(response.content)
    sheet = reading.read_sheet(path)
    header = find_header(sheet.rows, UNIT_COLUMNS)
    assert header.ok and header.row == 1 and set(header.index) == {c.key for c in UNIT_COLUMNS}


def test_an_upload_that_is_not_xlsx_or_csv_is_refused(cast, tmp_path):
    response = upload(cast.client(cast.officer), _write(tmp_path / "notes.txt", b"hello"))
    assert response.status_code == 400 and not ImportJob.objects.exists()


@pytest.mark.parametrize("who", ["cadre_b", "leader", "clerk"])
def test_people_without_org_manage_get_404_on_every_import_page(cast, tmp_path, who,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(cast.client(cast.officer), write_csv(tmp_path / "u.csv", new_county_rows()))
    job = ImportJob.objects.get()
    client = cast.client(getattr(cast, who))
    for url in (reverse("org:import_list"), reverse("org:import_template", args=["units"]),
                reverse("org:import_detail", args=[job.pk]), reverse("org:import_progress", args=[job.pk]),
                reverse("org:import_problems_export", args=[job.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("org:import_confirm", args=[job.pk])).status_code == 404
    assert upload(client, tmp_path / "u.csv").status_code == 404
    assert ImportJob.objects.get().status == ImportJob.Status.CHECKED
    assert "org/import/" not in client.get(reverse("home")).content.decode()


def test_a_manager_who_sees_everything_sees_another_persons_import(cast, tmp_path):
    upload(cast.client(cast.officer), write_csv(tmp_path / "u.csv", new_county_rows()))
    job = ImportJob.objects.get()
    assert cast.client(cast.admin).get(reverse("org:import_detail", args=[job.pk])).status_code == 200
    listing = cast.client(cast.officer).get(reverse("org:import_list")).content.decode()
    assert "u.csv" in listing and reverse("org:import_list") in listing


def test_problems_are_stored_language_neutral_and_shown_in_the_readers_language(cast, tmp_path):
    path = write_csv(tmp_path / "u.csv", [UNIT_HEADER, ["", "甲", "村", ""]])
    outcome = import_file_check(kind="units", path=path, actor=cast.officer)
    stored = outcome.problems[0]
    assert stored["msgid"] == "This value is required." and "message" not in stored
    with translation.override("en"):
        assert problem_message(stored) == "This value is required."


# The command line -----------------------------------------------------------------------------------


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_the_cli_imports_a_file_and_prints_the_counts(cast, tmp_path):
    path = write_csv(tmp_path / "u.csv", new_county_rows())
    code, out, err = run("import_units", str(path), "--as", "officer")
    assert code == 0 and "4 rows: 4 created, 0 updated, 0 unchanged" in out and "100%" in err
    assert Unit.objects.filter(code__startswith="431028").count() == 4
    record = AuditRecord.objects.get(action="import.apply")
    assert record.actor_id == cast.officer.pk and audit_chain_verify().ok


def test_the_cli_prints_every_problem_and_exits_1_without_writing(cast, tmp_path):
    rows = [UNIT_HEADER, ["V1", "甲村", "村", "NOPE"], ["V2", "乙村", "村", "V3"], ["V3", "丙村", "村", "V2"]]
    before = counts()
    code, out, message = run("import_units", str(write_csv(tmp_path / "u.csv", rows)))
    assert code == 1 and "nothing was written" in message
    assert "Row 2, 上级代码: Unknown parent unit NOPE" in out and "Row 4, 上级代码: The parent chain" in out
    assert counts() == before


def test_the_cli_exits_2_on_an_unreadable_file(cast, tmp_path):
    assert run("import_units", str(zip_bomb(tmp_path / "bomb.xlsx")))[0] == 2
    assert run("import_people", str(tmp_path / "missing.csv"))[0] == 2


def test_the_cli_dry_run_writes_nothing(cast, tmp_path):
    rows = [PEOPLE_HEADER, ["zhang3", "张三", "13800138000", "", "431026101", "基层干部"]]
    before = counts()
    code, out, _ = run("import_people", str(write_csv(tmp_path / "p.csv", rows)), "--dry-run")
    assert code == 0 and "1 would create" in out
    assert counts() == before


def test_a_unit_type_named_in_a_problem_is_shown_in_the_readers_language():
    """Stored problems keep the label's msgid, so a Chinese reader never sees “County / district”."""
    from jianfu.org.imports.problems import msgid_of, problem_message
    from jianfu.org.models import UnitType

    with translation.override("zh-hans"):
        stored = {"msgid": "A unit of type “%(type)s” needs a parent unit code.",
                  "params": {"type": msgid_of(UnitType.COUNTY.label)}}
        assert stored["params"]["type"] == "County / district"
        shown = problem_message(stored)
    assert "县（市、区）" in shown and "County" not in shown


def test_a_cell_with_a_character_the_forms_refuse_is_a_problem_of_its_row_and_nothing_is_written(cast, tmp_path):
    """The import keeps the forms' and the API's text rules (core.validation): a control character or a soft
    hyphen in a cell is reported with its row and column instead of failing on the database."""
    rows = new_county_rows()
    rows[2] = ["431028101", "永乐\x07江镇", "乡镇（街道）", "431028"]
    rows[3] = ["\u00ad431028101201", "永乐村", "村（社区）", "431028101"]
    before = counts()
    outcome = apply("units", write_csv(tmp_path / "units.csv", rows), cast.officer)
    assert not outcome.ok
    found = problems_of(outcome)
    assert any(row == 3 and "U+0007" in message for row, _col, message in found), found
    assert any(row == 4 and "U+00AD" in message for row, _col, message in found), found
    assert counts() == before


def test_a_login_name_with_markup_is_refused_in_an_import_as_in_the_forms(cast, tmp_path):
    rows = [PEOPLE_HEADER, ["<script>x", "新人", "", "", cast.village_a.code, "基层干部"]]
    outcome = apply("people", write_csv(tmp_path / "people.csv", rows), cast.officer)
    assert not outcome.ok
    assert any("letters, digits" in message for _row, _col, message in problems_of(outcome))
