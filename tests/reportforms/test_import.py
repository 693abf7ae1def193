"""Importing a form's fields from .xlsx: every bad file is reported by row and column and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from jianfu.audit.models import AuditRecord
from jianfu.demands.models import Demand
from jianfu.reportforms.importing import problem_text, read_form_definition
from jianfu.reportforms.models import FieldDefinition

pytestmark = pytest.mark.django_db

HEADER = ["字段名称", "定义", "计量单位", "是否必填"]


def workbook(rows, merge: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems(data: bytes, language: str = "zh-hans") -> list[str]:
    with translation.override(language):
        result = read_form_definition(data, file_name="表.xlsx")
        assert not result.fields
        return [problem_text(p) for p in result.problems]


def upload(cast, data: bytes, name: str = "字段.xlsx"):
    return cast.client(cast.clerk).post(reverse("reportforms:import"), {"file": SimpleUploadedFile(name, data)})


def test_a_good_workbook_previews_its_fields_and_fills_the_registration_form(cast):
    data = workbook([HEADER, ["户籍人口", "户籍登记人口", "人", "是"], ["耕地面积", "", "亩", "否"]])
    response = upload(cast, data)
    assert response.status_code == 200
    assert [f.name for f in response.context["result"].fields] == ["户籍人口", "耕地面积"]
    lines = response.context["lines"]
    assert lines == "户籍人口 | 户籍登记人口 | 人\n耕地面积 |  | 亩 | 选填"
    form = cast.client(cast.clerk).post(reverse("reportforms:new"), {"from_import": "1", "new_fields": lines})
    assert form.status_code == 200 and "耕地面积" in form.content.decode()
    assert not form.context["form"].is_bound
    assert FieldDefinition.objects.count() == 0


def test_merged_header_cells_are_named_by_row_and_columns(cast):
    data = workbook([HEADER + ["备注"], ["户籍人口", "", "人", "是"]], merge="C1:E1")
    assert "第1行 C–E 列：表头是合并单元格，请每列单独命名。" in problems(data)


def test_merged_cells_below_the_header_are_named_too(cast):
    data = workbook([HEADER, ["户籍人口", "", "人", "是"], ["常住人口", "", "人", "是"]], merge="B2:B3")
    assert any(p.startswith("第2行 B (2–3) 列") for p in problems(data))


def test_a_blank_row_between_fields_is_named(cast):
    data = workbook([HEADER, ["户籍人口"], [], ["耕地面积"]])
    assert problems(data) == ["第3行：这一行是空行；请删除，或把下面的字段上移。"]


def test_a_duplicate_field_name_names_both_rows(cast):
    data = workbook([HEADER, ["户籍人口"], ["耕地面积"], [" 户籍人口 "]])
    assert problems(data) == ["第4行 A 列：“户籍人口”与第2行的字段重复。"]


def test_two_thousand_columns_are_refused_before_reading_them(cast):
    data = workbook([HEADER + [f"列{i}" for i in range(1996)], ["户籍人口"]])
    [problem] = problems(data)
    assert problem.startswith("第1行 AY–BXX 列：") and "2000" in problem


def test_an_unknown_header_and_a_missing_name_column_are_reported(cast):
    assert problems(workbook([["指标口径说明书"], ["户籍人口"]])) == [
        "第1行 A 列：“指标口径说明书”不是可识别的列名；请使用 字段名称、定义、计量单位、是否必填 或 备注。",
        "第1行：表头没有“字段名称”列。"]


def test_a_file_that_is_not_a_workbook_is_refused(cast):
    assert problems("name,definition\n户籍人口,x\n".encode()) == ["文件不是 Excel 工作簿，请上传 .xlsx 文件。"]


def test_a_zip_bomb_is_refused_without_being_opened(cast):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("xl/workbook.xml", "<x/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    [problem] = problems(out.getvalue())
    assert "解压后的数据量" in problem


def test_problems_are_in_the_readers_language(cast):
    data = workbook([HEADER, ["户籍人口"], [], ["耕地面积"]])
    assert problems(data, "en") == ["Row 3: the row is empty; delete it, or move the fields below it up."]


@pytest.mark.parametrize("data", [
    workbook([HEADER + ["备注"], ["户籍人口"]], merge="C1:E1"),
    workbook([HEADER, ["户籍人口"], [], ["耕地面积"]]),
    workbook([HEADER, ["户籍人口"], ["户籍人口"]]),
    b"PK\x03\x04 not really a zip",
    b"",
])
def test_a_bad_file_writes_nothing_and_keeps_the_page(cast, data):
    before = (FieldDefinition.objects.count(), Demand.objects.count(), AuditRecord.objects.count())
    response = upload(cast, data)
    assert response.status_code == 400
    assert response.context["problems"] or response.context["form"].errors
    assert (FieldDefinition.objects.count(), Demand.objects.count(), AuditRecord.objects.count()) == before


def test_the_template_workbook_reads_back_without_problems(cast):
    response = cast.client(cast.clerk).get(reverse("reportforms:import_template"))
    result = read_form_definition(response.content)
    assert result.ok and [f.name for f in result.fields] == ["户籍人口", "安全生产检查次数"]
    assert result.fields[1].required is False
