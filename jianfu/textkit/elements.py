"""Finding the elements of an official document (GB/T 9704): number, title, recipient, issuer, date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# 郴发〔2019〕5号 with any bracket a clerk might type instead of 〔〕.
DOC_NUMBER = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,12})\s*(?P<open>[〔\[【（(［{〈《])\s*(?P<year>(19|20)\d{2})\s*"
    r"(?P<close>[〕\]】）)］}〉》])\s*(?P<seq>\d{1,4})\s*号"
)
TITLE = re.compile(
    r"^.{0,80}?(关于|印发|转发).{1,120}?"
    r"(通知|意见|决定|报告|方案|办法|规定|请示|函|批复|通报|纪要|细则|要点|规划|决议|公告|通告|公报|议案|命令|措施)$"
)
RECIPIENT = re.compile(r"^[\u4e00-\u9fff、，,（）()\s]{2,120}[：:]$")
DATE = re.compile(
    r"^(?P<date>((19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
    r"|([〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日))$"
)
ISSUER_END = re.compile(
    r"(委员会|人民政府|办公室|办公厅|委|局|部|厅|院|处|室|中心|专班|领导小组|县|市|区|镇|乡|街道|党委|党组)$"
)


@dataclass
class Elements:
    doc_number: str = ""
    doc_number_bracket_ok: bool = True
    doc_number_suggestion: str = ""
    title: str = ""
    recipient: str = ""
    issuer: str = ""
    date: str = ""
    missing: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    return [re.sub(r"[ \t\u3000]+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


def find_elements(text: str) -> Elements:
    """Locate the elements in the usual places: number and title on top, issuer and date at the end."""
    lines = _lines(text)
    found = Elements()
    head = lines[:8]
    for ln in head:
        m = DOC_NUMBER.search(ln)
        if m:
            found.doc_number = m.group(0)
            if m.group("open") != "〔" or m.group("close") != "〕":
                found.doc_number_bracket_ok = False
                found.doc_number_suggestion = f"{m.group('org')}〔{m.group('year')}〕{m.group('seq')}号"
            break
    for ln in head:
        if TITLE.match(ln) and not DOC_NUMBER.search(ln):
            found.title = ln
            break
    title_index = lines.index(found.title) if found.title else -1
    for ln in lines[title_index + 1: title_index + 5] if found.title else head:
        if RECIPIENT.match(ln):
            found.recipient = ln.rstrip("：:")
            break
    tail = lines[-6:]
    # Without a date the issuer is the last line; with one, one of the two lines above it.
    issuer_lines = tail[-1:]
    for i in range(len(tail) - 1, -1, -1):
        m = DATE.match(tail[i].replace(" ", ""))
        if m:
            found.date = m.group("date")
            issuer_lines = [tail[j] for j in range(i - 1, max(-1, i - 3), -1)]
            break
    for ln in issuer_lines:
        cand = ln.replace(" ", "")
        if len(cand) <= 40 and ISSUER_END.search(cand) and not cand.endswith(("。", "；")):
            found.issuer = cand
            break
    for name, value in (("doc_number", found.doc_number), ("title", found.title),
                        ("recipient", found.recipient), ("issuer", found.issuer), ("date", found.date)):
        if not value:
            found.missing.append(name)
    return found
