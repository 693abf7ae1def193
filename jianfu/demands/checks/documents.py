"""Checks on a document draft: length, the no-issuance categories, reissued notices, elements, overlap."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_noop

from jianfu.rules.engine import Finding, RuleSet
from jianfu.textkit.counting import char_count
from jianfu.textkit.elements import find_elements

KIND_LABELS = {
    "normative": {"zh": "规范性文件", "en": "normative document"},
    "comprehensive": {"zh": "综合报告", "en": "comprehensive report"},
    "special": {"zh": "专项报告", "en": "special report"},
    "other": {"zh": "其他文件", "en": "other document"},
}
# Examples in the template notation of official-document guides (××, 20××), naming no real body or year.
ELEMENT_LABELS = {
    "doc_number": ({"zh": "发文字号", "en": "document number"}, {"zh": "××发〔20××〕×号", "en": "××发〔20××〕×号"}),
    "title": ({"zh": "标题", "en": "title"}, {"zh": "关于……的通知", "en": "关于……的通知 (“Notice on …”)"}),
    "recipient": ({"zh": "主送机关", "en": "main recipient"},
                  {"zh": "各县市区委、人民政府，市直各单位：", "en": "各县市区委、人民政府，市直各单位："}),
    "issuer": ({"zh": "发文机关署名", "en": "issuing body"}, {"zh": "中共××市委办公室", "en": "中共××市委办公室"}),
    "date": ({"zh": "成文日期", "en": "date"}, {"zh": "20××年×月×日", "en": "20××年×月×日"}),
}
REISSUED = re.compile(r"(召开.{0,40}会议的通知|会议通知|在.{1,60}(会议|大会|座谈会)上的讲话|讲话稿|领导讲话|发言材料)")
# A speech opens a line with its salutation, also below a document number and title.
SPEECH_OPENING = re.compile(r"^\s*(同志们|各位领导|同志们、朋友们)[：:，,]", re.MULTILINE)
# Each salutation SPEECH_OPENING looks for contains one of these.
SALUTATIONS = ("同志们", "各位领导")


def _speech_opening(head: str) -> bool:
    # A substring test first: the pattern alone tries every position of 3,000 characters (16 µs a draft).
    return any(s in head for s in SALUTATIONS) and SPEECH_OPENING.search(head) is not None


@dataclass(frozen=True)
class SimilarDocument:
    demand_id: int
    title: str
    control_number: str
    jaccard: float


def check_document(*, text: str, title: str, kind: str, checklist: dict[str, Any], rules: RuleSet,
                   similar: Sequence[SimilarDocument] = ()) -> tuple[int, list[Finding]]:
    """Return the character count and every finding for a document draft."""
    findings: list[Finding] = []
    count = char_count(text)

    length = rules.get(f"document.max_chars.{kind}")
    if length is not None and count > int(length.value):
        limit = int(length.value)
        findings.append(Finding.of(
            length,
            gettext_noop("A %(kind)s may have at most %(limit)s characters; this draft has %(count)s (%(over)s over)."),
            {"kind": KIND_LABELS.get(kind, kind), "limit": limit, "count": count, "over": count - limit},
            fix=gettext_noop("Cut at least %(over)s characters, or split off what belongs in another document."),
            fix_params={"over": count - limit}, count=count, limit=limit))

    categories = rules.get("document.no_issuance")
    if categories is not None:
        unanswered = [c for c in categories.value if c["code"] not in checklist]
        if unanswered:
            findings.append(Finding.of(
                categories, gettext_noop("Answer every question of the no-issuance checklist (%(n)s unanswered)."),
                {"n": len(unanswered)}, fix=gettext_noop("Tick yes or no for each of the categories."),
                unanswered=[c["code"] for c in unanswered]))
        for c in categories.value:
            if checklist.get(c["code"]) is True:
                findings.append(Finding.of(
                    categories, gettext_noop("No document is issued when: %(category)s."),
                    {"category": {"zh": c["zh"], "en": c.get("en") or c["zh"]}},
                    fix=gettext_noop(
                        "Do not issue this document; deploy the work directly, by phone or at an existing meeting."),
                    category=c["code"]))

    reissued = rules.get("document.reissued_notice")
    if reissued is not None and reissued.value and (REISSUED.search(title) or _speech_opening(text[:3000])):
        findings.append(Finding.of(
            reissued, gettext_noop("This looks like a meeting notice or a speech issued as a document."), {},
            fix=gettext_noop("Send the meeting notice as a notice, and do not print speeches as documents.")))

    elements = rules.get("document.elements")
    if elements is not None and elements.value:
        found = find_elements(text)
        if found.doc_number and not found.doc_number_bracket_ok:
            findings.append(Finding.of(
                elements, gettext_noop("The document number %(number)s must use 〔〕 around the year."),
                {"number": found.doc_number}, fix=gettext_noop("Write it as %(suggestion)s."),
                fix_params={"suggestion": found.doc_number_suggestion}))
        for name in found.missing:
            label, example = ELEMENT_LABELS[name]
            findings.append(Finding.of(
                elements, gettext_noop("The %(element)s is missing or not where it belongs."), {"element": label},
                fix=gettext_noop("Add it in the official layout, for example: %(example)s"),
                fix_params={"example": example},
                element=name))

    overlap = rules.get("document.near_duplicate")
    if overlap is not None:
        threshold = float(overlap.value)
        for match in similar:
            if match.jaccard >= threshold:
                findings.append(Finding.of(
                    overlap, gettext_noop("This draft overlaps %(percent)s%% with “%(title)s” (%(number)s)."),
                    {"percent": round(match.jaccard * 100), "title": match.title,
                     "number": match.control_number or "—"},
                    fix=gettext_noop("Amend or cite the existing document instead of issuing another."),
                    demand_id=match.demand_id))
    return count, findings
