"""Problems found in an import file, stored language-neutral and translated when shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem: the spreadsheet row (header = 1; None for the whole file), its column, a message."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str = ""
    level: str = ERROR

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "level": self.level,
                "msgid": self.msgid, "params": self.params}

    @property
    def message(self) -> str:
        return problem_message(self.as_dict())


class ImportFileError(Exception):
    """The file cannot be read at all (too big, not a spreadsheet, a zip bomb, undecodable)."""

    def __init__(self, msgid: str, **params: Any):
        super().__init__(msgid % params if params else msgid)
        self.problem = Problem(msgid, params)


# Parameters that hold a label (a unit type, a role): stored as the English msgid, shown translated.
LABEL_PARAMS = frozenset({"type", "parent_type", "role"})


def msgid_of(label: Any) -> str:
    """The untranslated text of a lazy label, so a stored problem does not freeze one language."""
    with translation.override(None):
        return str(label)


def problem_message(problem: dict[str, Any]) -> str:
    """Translate a stored problem into the active language."""
    text = gettext(problem.get("msgid", ""))
    params = {k: gettext(v) if k in LABEL_PARAMS and isinstance(v, str) and v else v
              for k, v in (problem.get("params") or {}).items()}
    try:
        return text % params if params else text
    except (KeyError, TypeError, ValueError):
        # A translation with a broken placeholder must not hide the problem itself.
        return problem.get("msgid", "") % params if params else problem.get("msgid", "")


def has_errors(problems: list[dict[str, Any]]) -> bool:
    return any(p.get("level", ERROR) == ERROR for p in problems)


def problems_for_display(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**p, "message": problem_message(p)} for p in problems]
