"""The columns each kind of import expects, in Chinese or English, and how cell text maps to values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from ..models import Role, UnitType
from .problems import WARNING, Problem


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How a missing column is named in a message, in both languages a sheet may use."""
        return f"{self.zh}/{self.en}"


UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "代码", "code", True, ("单位代码", "编码", "单位编码", "代碼", "單位代碼", "unit code")),
    Column("name", "名称", "name", True, ("单位名称", "名稱", "單位名稱", "unit name")),
    Column("type", "类型", "type", True, ("单位类型", "類型", "單位類型", "unit type")),
    Column("parent_code", "上级代码", "parent_code", True,
           ("上级单位代码", "上级编码", "上級代碼", "上級單位代碼", "parent", "parent unit code")),
    Column("active", "状态", "active", False, ("是否启用", "启用", "狀態", "status")),
)

PEOPLE_COLUMNS: tuple[Column, ...] = (
    Column("username", "登录名", "username", True,
           ("用户名", "账号", "帐号", "登錄名", "用戶名", "帳號", "login", "login name", "user name")),
    Column("name", "姓名", "name", True, ("名字", "full name")),
    Column("phone", "手机", "phone", False,
           ("手机号", "手机号码", "电话", "联系电话", "手機", "手機號碼", "電話", "mobile", "telephone")),
    Column("title", "职务", "title", False, ("职位", "職務", "職位", "post", "position")),
    Column("unit_code", "单位代码", "unit_code", True,
           ("单位编码", "所在单位代码", "單位代碼", "unit code", "unit")),
    Column("role", "角色", "role", True, ("角色名称", "角色名稱")),
)

_NOTE = re.compile(r"[（(][^)）]*[)）]")
_JOINERS = re.compile(r"[\s_\-*＊:：]+")


def header_key(text: str) -> str:
    """Normalise a header so "上级代码（必填）", "Parent code" and "parent_code" compare equal."""
    return _JOINERS.sub("", _NOTE.sub("", text)).lower()


def _column_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.zh, column.en, column.key, *column.aliases):
            index[header_key(name)] = column
    return index


@dataclass
class HeaderMap:
    row: int
    index: dict[str, int]  # column key -> position in the row
    headers: dict[str, str]  # column key -> the header text as written in the file
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.level != WARNING for p in self.problems)

    def get(self, cells: list[str], key: str) -> str:
        i = self.index.get(key)
        if i is None or i >= len(cells):
            return ""
        return cells[i]


def column_letter(position: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters = ""
    position += 1
    while position:
        position, rem = divmod(position - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def find_header(rows: list[tuple[int, list[str]]], columns: tuple[Column, ...]) -> HeaderMap:
    """Find the header among the first rows (a title row above it is common) and map its columns."""
    index = _column_index(columns)
    if not rows:
        return HeaderMap(0, {}, {}, [Problem(gettext_noop("The file has no rows."))])
    chosen = rows[0]
    for number, cells in rows[:10]:
        recognised = {index[header_key(c)].key for c in cells if c and header_key(c) in index}
        if len(recognised) >= 2:
            chosen = (number, cells)
            break
    number, cells = chosen
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    problems: list[Problem] = []
    unknown: list[str] = []
    for i, text in enumerate(cells):
        if not text:
            continue
        column = index.get(header_key(text))
        if column is None:
            unknown.append(text)
            continue
        if column.key in positions:
            problems.append(Problem(
                gettext_noop("The column “%(column)s” appears twice, in columns %(first)s and %(second)s."),
                {"column": text, "first": column_letter(positions[column.key]), "second": column_letter(i)},
                row=number, column=text))
            continue
        positions[column.key] = i
        headers[column.key] = text
    missing = [c.label for c in columns if c.required and c.key not in positions]
    if missing:
        found = [c for c in cells if c]
        problems.append(Problem(
            gettext_noop("Missing required column(s): %(missing)s. Columns found: %(found)s."),
            {"missing": ", ".join(missing), "found": ", ".join(found[:30]) or "—"},
            row=number))
    for text in unknown:
        problems.append(Problem(gettext_noop("Unknown column “%(column)s” is ignored."), {"column": text},
                                row=number, column=text, level=WARNING))
    for column in columns:
        headers.setdefault(column.key, column.zh)
    return HeaderMap(number, positions, headers, problems)


def value_key(text: str) -> str:
    return (text.strip().lower().replace("（", "(").replace("）", ")").replace("，", ",")
            .replace(" ", "").replace("\u3000", ""))


UNIT_TYPE_WORDS: dict[str, str] = {
    "市": UnitType.CITY, "地级市": UnitType.CITY, "市(州)": UnitType.CITY, "市州": UnitType.CITY,
    "县": UnitType.COUNTY, "区": UnitType.COUNTY, "县级市": UnitType.COUNTY, "县(市、区)": UnitType.COUNTY,
    "县市区": UnitType.COUNTY, "县(市,区)": UnitType.COUNTY, "县区": UnitType.COUNTY,
    "縣": UnitType.COUNTY, "區": UnitType.COUNTY, "縣(市、區)": UnitType.COUNTY,
    "乡镇": UnitType.TOWNSHIP, "乡": UnitType.TOWNSHIP, "镇": UnitType.TOWNSHIP, "街道": UnitType.TOWNSHIP,
    "乡镇(街道)": UnitType.TOWNSHIP, "乡镇街道": UnitType.TOWNSHIP, "鄉鎮": UnitType.TOWNSHIP,
    "鄉": UnitType.TOWNSHIP, "鎮": UnitType.TOWNSHIP, "鄉鎮(街道)": UnitType.TOWNSHIP,
    "村": UnitType.VILLAGE, "社区": UnitType.VILLAGE, "村(社区)": UnitType.VILLAGE,
    "村社区": UnitType.VILLAGE,
    "村居": UnitType.VILLAGE, "社區": UnitType.VILLAGE, "村(社區)": UnitType.VILLAGE,
    "部门": UnitType.DEPARTMENT, "市直部门": UnitType.DEPARTMENT, "县直部门": UnitType.DEPARTMENT,
    "部門": UnitType.DEPARTMENT,
    "专班": UnitType.TASK_FORCE, "工作专班": UnitType.TASK_FORCE, "專班": UnitType.TASK_FORCE,
    "其他": UnitType.OTHER, "其他单位": UnitType.OTHER, "其它": UnitType.OTHER, "其他單位": UnitType.OTHER,
}

ROLE_WORDS: dict[str, str] = {
    "专班干部": Role.TASK_FORCE_OFFICER, "專班幹部": Role.TASK_FORCE_OFFICER,
    "部门经办人": Role.DEPARTMENT_CLERK, "部門經辦人": Role.DEPARTMENT_CLERK,
    "基层干部": Role.GRASSROOTS_CADRE, "基層幹部": Role.GRASSROOTS_CADRE,
    "纪检监督人员": Role.OVERSIGHT_OFFICER, "紀檢監督人員": Role.OVERSIGHT_OFFICER,
    "纪检监督干部": Role.OVERSIGHT_OFFICER, "紀檢監督幹部": Role.OVERSIGHT_OFFICER,
    "领导": Role.LEADER, "領導": Role.LEADER,
    "系统管理员": Role.SYSTEM_ADMIN, "系統管理員": Role.SYSTEM_ADMIN,
}

TRUE_WORDS = {"1", "true", "yes", "y", "active", "是", "启用", "有效", "正常", "在用", "啟用"}
FALSE_WORDS = {"0", "false", "no", "n", "inactive", "否", "停用", "无效", "撤销", "已撤销", "已停用", "無效"}


@lru_cache(maxsize=4)
def _choice_words(kind: str) -> dict[str, str]:
    """Every spelling accepted for a unit type or role: values, Chinese names, labels in each language."""
    choices = UnitType if kind == "unit_type" else Role
    words = dict(UNIT_TYPE_WORDS if kind == "unit_type" else ROLE_WORDS)
    for value, label in choices.choices:
        words.setdefault(value, value)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                words.setdefault(value_key(str(label)), value)
    return {value_key(k): v for k, v in words.items()}


def parse_unit_type(text: str) -> str | None:
    return _choice_words("unit_type").get(value_key(text))


def parse_role(text: str) -> str | None:
    return _choice_words("role").get(value_key(text))


def parse_active(text: str) -> bool | None:
    key = value_key(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    raise ValueError(text)
