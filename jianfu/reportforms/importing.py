"""Reading a form definition from an .xlsx workbook: one field per row under a header row.

Layout (first visible worksheet): row 1 holds the column names, each field of the form is one row below it.

    字段名称 (required) | 定义/口径 | 计量单位 | 是否必填 | 备注
    户籍人口            | 户籍登记在本村的人口 | 人 | 是 |

Column names may be Chinese or English (field name, definition, unit of measure, required, notes) and in any
order. Every problem is reported with its row and column; nothing is kept from a file that has any.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, gettext_noop

from jianfu.org.imports.problems import ImportFileError, Problem
from jianfu.org.imports.reading import cell_text, check_xlsx_container

from .checks import MAX_FIELDS
from .services import NewField

MAX_COLUMNS = 50  # a definition sheet needs five; anything far wider is some other workbook
MAX_DECLARED_BYTES = 20 * 1024 * 1024  # a 500-field definition unpacks to well under 1 MB

HEADERS = {
    "name": ("字段名称", "字段名", "字段", "名称", "指标名称", "指标", "field name", "field", "name"),
    "definition": ("定义", "口径", "统计口径", "指标解释", "字段说明", "说明", "definition", "meaning"),
    "unit_of_measure": ("计量单位", "单位", "unit of measure", "unit"),
    "required": ("是否必填", "必填", "required"),
    "notes": ("备注", "notes", "note"),
}
YES = {"是", "必填", "yes", "y", "true", "1", "√", "✓", ""}
NO = {"否", "选填", "選填", "no", "n", "false", "0", "×"}


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_span(first: int, last: int) -> str:
    return column_letter(first) if first == last else f"{column_letter(first)}–{column_letter(last)}"


def _header_key(text: str) -> str | None:
    value = "".join(text.split()).lower().replace("（", "(").split("(")[0]
    for key, words in HEADERS.items():
        if value in {"".join(w.split()).lower() for w in words}:
            return key
    return None


@dataclass
class FormDefinition:
    fields: list[NewField] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def problem_text(p: Problem) -> str:
    """A problem in the reader's language, with where it is: 第3行 B 列：…"""
    message = p.message
    if p.row is not None and p.column:
        return gettext("Row %(row)s, column %(column)s: %(message)s") % {"row": p.row, "column": p.column,
                                                                         "message": message}
    if p.row is not None:
        return gettext("Row %(row)s: %(message)s") % {"row": p.row, "message": message}
    return message


def read_form_definition(data: bytes, *, file_name: str = "") -> FormDefinition:
    """Check and read an uploaded definition; the result holds either fields or problems, never both."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            return _read(Path(tmp.name), data, file_name)
        except ImportFileError as exc:
            return FormDefinition(problems=[exc.problem])


def _read(path: Path, data: bytes, file_name: str) -> FormDefinition:
    if not data:
        raise ImportFileError(gettext_noop("The file is empty."))
    if not data.startswith(b"PK\x03\x04"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError(gettext_noop(
                "This is an old-style .xls workbook or a password-protected one. "
                "Save it in Excel as .xlsx (Excel Workbook), without a password, and upload it again."))
        raise ImportFileError(gettext_noop("The file is not an Excel workbook. Upload an .xlsx file."))
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(e.file_size for e in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(gettext_noop("The workbook is damaged or is not an Excel (.xlsx) file.")) from exc
    if declared > MAX_DECLARED_BYTES:
        raise ImportFileError(gettext_noop(
            "The workbook unpacks to far more data than a form definition holds, so it was not opened. "
            "Keep only the sheet with the fields and upload it again."))
    check_xlsx_container(path)
    return _read_sheet(path)


def _read_sheet(path: Path) -> FormDefinition:
    from python_calamine import CalamineWorkbook

    damaged = gettext_noop("The workbook is damaged or is not an Excel (.xlsx) file.")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types and plain ones
        raise ImportFileError(damaged) from exc
    try:
        if not workbook.sheet_names:
            raise ImportFileError(gettext_noop("The workbook has no worksheet."))
        sheet = workbook.get_sheet_by_index(0)
        name = sheet.name
        if sheet.end is None:
            raise ImportFileError(gettext_noop("The first worksheet is empty."))
        width = sheet.end[1] + 1
        height = sheet.end[0] + 1
        problems: list[Problem] = []
        if width > MAX_COLUMNS:
            problems.append(Problem(
                gettext_noop("The sheet has %(n)s columns; a form definition has one field per row and at most "
                             "%(max)s columns."), {"n": width, "max": MAX_COLUMNS}, row=1,
                column=column_span(MAX_COLUMNS, width - 1)))
        if height > MAX_FIELDS + 1:
            problems.append(Problem(
                gettext_noop("The sheet has %(n)s rows; a form may ask for at most %(max)s fields."),
                {"n": height - 1, "max": MAX_FIELDS}, row=MAX_FIELDS + 2))
        if problems:
            return FormDefinition(problems=problems, sheet=name)
        merged = list(sheet.merged_cell_ranges or [])
        rows = [[cell_text(v) for v in values] for values in sheet.iter_rows()]
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(damaged) from exc
    finally:
        workbook.close()
    return _check_rows(rows, merged, name)


def _check_rows(rows: list[list[str]], merged: list[Any], sheet: str) -> FormDefinition:
    problems: list[Problem] = []
    for (r0, c0), (r1, c1) in merged:
        span = column_span(c0, c1)
        if r0 == 0:
            problems.append(Problem(gettext_noop("the header is a merged cell; give each column its own name."),
                                    row=1, column=span))
        else:
            rows_text = str(r0 + 1) if r0 == r1 else f"{r0 + 1}–{r1 + 1}"
            problems.append(Problem(gettext_noop("merged cells; give each field its own row and each value its "
                                                 "own cell."), row=r0 + 1, column=f"{span} ({rows_text})"))
    header = rows[0] if rows else []
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        if not text:
            if any(index < len(r) and r[index] for r in rows[1:]):
                problems.append(Problem(gettext_noop("the column has values but no name in the header."),
                                        row=1, column=column_letter(index)))
            continue
        key = _header_key(text)
        if key is None:
            problems.append(Problem(gettext_noop("“%(header)s” is not a column Jianfu knows; use 字段名称, 定义, "
                                                 "计量单位, 是否必填 or 备注."), {"header": text},
                                    row=1, column=column_letter(index)))
        elif key in columns:
            problems.append(Problem(gettext_noop("“%(header)s” repeats column %(other)s."),
                                    {"header": text, "other": column_letter(columns[key])},
                                    row=1, column=column_letter(index)))
        else:
            columns[key] = index
    if "name" not in columns:
        problems.append(Problem(gettext_noop("the header has no 字段名称 (field name) column."), row=1))
        return FormDefinition(problems=problems, sheet=sheet)

    def cell(values: list[str], key: str) -> str:
        i = columns.get(key)
        return values[i] if i is not None and i < len(values) else ""

    last = max((n for n, values in enumerate(rows) if any(values)), default=0)
    seen: dict[str, int] = {}
    fields: list[NewField] = []
    for n in range(1, last + 1):
        values, row = rows[n], n + 1
        if not any(values):
            problems.append(Problem(gettext_noop("the row is empty; delete it, or move the fields below it up."),
                                    row=row))
            continue
        name = " ".join(cell(values, "name").split())
        name_col = column_letter(columns["name"])
        if not name:
            problems.append(Problem(gettext_noop("the field has no name."), row=row, column=name_col))
            continue
        if len(name) > 120:
            problems.append(Problem(gettext_noop("the field name is longer than 120 characters."),
                                    row=row, column=name_col))
            continue
        key = "".join(name.split()).lower()
        if key in seen:
            problems.append(Problem(gettext_noop("“%(name)s” repeats the field in row %(other)s."),
                                    {"name": name, "other": seen[key]}, row=row, column=name_col))
            continue
        seen[key] = row
        required_text = cell(values, "required").strip().lower()
        if required_text not in YES | NO:
            problems.append(Problem(gettext_noop("“%(value)s” is not 是 or 否."), {"value": cell(values, "required")},
                                    row=row, column=column_letter(columns["required"])))
            continue
        unit = cell(values, "unit_of_measure")
        if len(unit) > 40:
            problems.append(Problem(gettext_noop("the unit of measure is longer than 40 characters."), row=row,
                                    column=column_letter(columns["unit_of_measure"])))
            continue
        fields.append(NewField(name=name, definition=cell(values, "definition"), unit_of_measure=unit,
                               required=required_text not in NO))
    if not fields and not problems:
        problems.append(Problem(gettext_noop("there are no fields under the header."), row=2))
    if problems:
        return FormDefinition(problems=problems, sheet=sheet)
    return FormDefinition(fields=fields, sheet=sheet)
