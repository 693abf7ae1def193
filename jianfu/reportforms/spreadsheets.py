"""The empty form-definition workbook the import page hands out."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jianfu.core.exports import xlsx_text_only


def template_workbook() -> bytes:
    """An .xlsx with the header row, two example fields and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Fields")
    ws.append(["字段名称", "定义", "计量单位", "是否必填", "备注"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.append(["户籍人口", "户籍登记在本辖区的人口数（年末数）", "人", "是", ""])
    ws.append(["安全生产检查次数", "本期内组织开展安全生产检查的次数", "次", "否", ""])
    for letter, width in zip("ABCDE", (24, 48, 10, 10, 24), strict=True):
        ws.column_dimensions[letter].width = width
    notes = wb.create_sheet(_("Instructions"))
    for line in (
        _("One field per row under the header row; the first worksheet is read."),
        _("字段名称 is required; 定义, 计量单位, 是否必填 (是 or 否) and 备注 may be left empty."),
        _("Do not merge cells, leave empty rows between fields or repeat a field name."),
        _("Fields the dictionary already has are taken from it; the others are proposed to the task force."),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    xlsx_text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
