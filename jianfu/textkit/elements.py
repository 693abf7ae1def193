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


# find_elements reads the first 8 non-blank lines (and the recipient up to 4 lines below a title among
# them, so up to line 12) and the last 6.
HEAD_LINES = 12
TAIL_LINES = 6


def _clean(line: str) -> str:
    r"""Collapse each run of spaces, tabs and ideographic spaces to one space, and strip the ends.

    The same as `re.sub(r"[ \t\u3000]+", " ", line).strip()` (a test holds them equal), several times
    faster on the long lines of Chinese text, where the regex tests every character against its class.
    """
    return " ".join(filter(None, line.replace("\t", " ").replace("\u3000", " ").split(" "))).strip()


def _raw_lines(text: str) -> list[str]:
    """The non-blank lines as written; of a long text only the head and tail ones, the body skipped."""
    raw = text.splitlines()
    head: list[str] = []
    i = 0
    while i < len(raw) and len(head) < HEAD_LINES:
        if raw[i] and not raw[i].isspace():  # the same test as .strip(), without copying the line
            head.append(raw[i])
        i += 1
    tail: list[str] = []
    j = len(raw) - 1
    while j >= i and len(tail) < TAIL_LINES:
        if raw[j] and not raw[j].isspace():
            tail.append(raw[j])
        j -= 1
    tail.reverse()
    return head + tail


def _lines(text: str) -> list[str]:
    """The non-blank lines that find_elements may read, spaces collapsed."""
    return [_clean(ln) for ln in _raw_lines(text)]


def _doc_number(line: str) -> re.Match[str] | None:
    # Every document number ends in 号: most lines are skipped without running the pattern.
    return DOC_NUMBER.search(line) if "号" in line else None


def find_elements(text: str) -> Elements:
    """Locate the elements in the usual places: number and title on top, issuer and date at the end."""
    raw = _raw_lines(text)
    cleaned: list[str | None] = [None] * len(raw)

    def line(i: int) -> str:
        # Spaces are collapsed only in the lines actually read: usually a few of the head and tail.
        ln = cleaned[i]
        if ln is None:
            ln = cleaned[i] = _clean(raw[i])
        return ln

    found = Elements()
    head = range(min(8, len(raw)))
    for i in head:
        m = _doc_number(line(i))
        if m:
            found.doc_number = m.group(0)
            if m.group("open") != "〔" or m.group("close") != "〕":
                found.doc_number_bracket_ok = False
                found.doc_number_suggestion = f"{m.group('org')}〔{m.group('year')}〕{m.group('seq')}号"
            break
    title_index = -1
    for i in head:
        ln = line(i)
        if TITLE.match(ln) and not _doc_number(ln):
            found.title = ln
            title_index = i  # no earlier line equals it: that line would have been taken
            break
    for i in range(title_index + 1, min(title_index + 5, len(raw))) if found.title else head:
        ln = line(i)
        if RECIPIENT.match(ln):
            found.recipient = ln.rstrip("：:")
            break
    tail = range(max(0, len(raw) - 6), len(raw))
    # Without a date the issuer is the last line; with one, one of the two lines above it.
    issuer_lines = tail[-1:]
    for k in range(len(tail) - 1, -1, -1):
        m = DATE.match(line(tail[k]).replace(" ", ""))
        if m:
            found.date = m.group("date")
            issuer_lines = [tail[j] for j in range(k - 1, max(-1, k - 3), -1)]
            break
    for i in issuer_lines:
        cand = line(i).replace(" ", "")
        if len(cand) <= 40 and ISSUER_END.search(cand) and not cand.endswith(("。", "；")):
            found.issuer = cand
            break
    for name, value in (("doc_number", found.doc_number), ("title", found.title),
                        ("recipient", found.recipient), ("issuer", found.issuer), ("date", found.date)):
        if not value:
            found.missing.append(name)
    return found
