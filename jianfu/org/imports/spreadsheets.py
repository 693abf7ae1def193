"""Spreadsheets the import pages hand out: empty templates with their instructions."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _

from jianfu.core.exports import xlsx_text_only

from ..models import ImportJob, Role, UnitType
from .columns import PEOPLE_COLUMNS, ROLE_WORDS, UNIT_COLUMNS, UNIT_TYPE_WORDS, Column


def _first_word(words: dict[str, str], value: str) -> str:
    return next((w for w, v in words.items() if v == value), value)


def template_workbook(kind: str) -> bytes:
    """An .xlsx with the expected header row, and a second sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    chinese = (translation.get_language() or "zh-hans").startswith("zh")
    columns: tuple[Column, ...] = UNIT_COLUMNS if kind == ImportJob.Kind.UNITS else PEOPLE_COLUMNS
    wb = Workbook()
    ws = wb.active
    ws.title = _("Units") if kind == ImportJob.Kind.UNITS else _("People")
    ws.append([c.zh if chinese else c.en for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, _column in enumerate(columns):
        ws.column_dimensions[chr(65 + i)].width = 18
    # Codes and phone numbers are text: keep Excel from turning them into numbers.
    for letter in (chr(65 + i) for i, c in enumerate(columns)
                   if c.key in ("code", "parent_code", "unit_code", "phone")):
        for row in range(2, 2001):
            ws[f"{letter}{row}"].number_format = "@"

    notes = wb.create_sheet(_("Instructions"))
    notes.append([_("Column"), _("Required"), _("What to write")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    explanations = {
        "code": _("The unit's code, unique; the official administrative-division code where one exists."),
        "name": _("The unit's name.") if kind == ImportJob.Kind.UNITS else _("The person's full name."),
        "type": _("One of: %(types)s.") % {"types": ", ".join(
            f"{_first_word(UNIT_TYPE_WORDS, t)} ({label})" for t, label in UnitType.choices)},
        "parent_code": _("The code of the unit it sits under, in this file or already in Jianfu; "
                         "empty only for the city."),
        "active": _("启用 (active) or 停用 (inactive); empty keeps the current state."),
        "username": _("The login name, unique; existing login names are updated."),
        "phone": _("An 11-digit mobile number or a landline such as 0735-2222222."),
        "title": _("The person's post, e.g. 副镇长."),
        "unit_code": _("The code of a unit already in Jianfu."),
        "role": _("One of: %(roles)s.") % {"roles": ", ".join(
            f"{_first_word(ROLE_WORDS, r)} ({label})" for r, label in Role.choices)},
    }
    for c in columns:
        notes.append([f"{c.zh} / {c.en}", _("Yes") if c.required else _("No"), explanations.get(c.key, "")])
    notes.append([])
    notes.append([_("The first row holds the column names, in Chinese or English. Rows are checked all "
                    "together; nothing is written until every row is right.")])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 90
    xlsx_text_only(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
